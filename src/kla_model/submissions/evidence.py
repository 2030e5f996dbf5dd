"""Supporting documents (*data dukung*), the evaluation's stages, and verifiers' records.

A KLA round runs through ordered stages: the district's self-assessment, then
administrative, field and final verification.  A district attaches :class:`Evidence` to its
answers; at each verification stage verifiers add records: a :class:`Decision` accepts or
rejects a piece of evidence, a :class:`Correction` replaces an answer's value.  Records
are only ever added: the district's own answers stay as declared, and what each stage
sees is derived from them (:mod:`kla_model.submissions.stage_view`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model.errors import KlaError
from kla_model.rules.answers import ItemAnswer, answer_to_data, item_answer_from_data
from kla_model.rules.model import EVIDENCE_KINDS, Label

__all__ = [
    "ACTIONS",
    "DECISIONS",
    "STAGES",
    "STAGE_LABELS",
    "STAGE_POSITION",
    "VERIFICATION_STAGES",
    "Correction",
    "Decision",
    "Evidence",
    "VerificationRecord",
    "evidence_from_data",
    "known_stage",
    "read_evidence",
    "read_records",
    "record_from_data",
    "stage_index",
]

#: The evaluation's stages, in order.
STAGES = ("self_assessment", "administrative", "field", "final")
#: The stages at which verifiers add records: every stage after the self-assessment.
VERIFICATION_STAGES = STAGES[1:]
STAGE_LABELS: Mapping[str, Label] = MappingProxyType(
    {
        "self_assessment": Label("Penilaian mandiri", "Self-assessment"),
        "administrative": Label("Verifikasi administrasi", "Administrative verification"),
        "field": Label("Verifikasi lapangan", "Field verification"),
        "final": Label("Verifikasi final", "Final verification"),
    }
)
#: What a verifier can do to a piece of evidence.
DECISIONS = ("accept", "reject")
#: Every record's ``action``: a decision on evidence, or a correction of a value.
ACTIONS = (*DECISIONS, "correct")

#: Each stage's position in :data:`STAGES` (read only), for code that compares many: a
#: subscript where :func:`stage_index` is a call.
STAGE_POSITION = {stage: index for index, stage in enumerate(STAGES)}


def stage_index(stage: str) -> int:
    """The position of ``stage`` in :data:`STAGES`; ``KeyError`` for an unknown stage."""
    return STAGE_POSITION[stage]


def known_stage(stage: str) -> str:
    """``stage`` if it is one of :data:`STAGES`; else :class:`KlaError` saying which are."""
    if stage not in STAGE_POSITION:
        raise KlaError(f"stage: expected one of {', '.join(STAGES)}; found {stage!r}")
    return stage


def _non_empty(_: object, attribute: attrs.Attribute[Any], value: str | Label) -> None:
    if not value or (isinstance(value, Label) and not (value.id and value.en)):
        raise ValueError(f"{attribute.name} must not be empty")


#: A verifier's reason: one text as written, or ``{id: ..., en: ...}`` in both languages.
Reason: TypeAlias = str | Label


def reason_text(reason: Reason, lang: str = "id") -> str:
    """A reason in ``lang`` if it was written in both languages, else as written."""
    if isinstance(reason, Label):
        return reason.en if lang == "en" else reason.id
    return reason


def reason_data(reason: Reason) -> str | dict[str, str]:
    """A reason as plain data, as a submission file writes it."""
    return reason.to_dict() if isinstance(reason, Label) else reason


def _date(text: str | None) -> datetime.date | None:
    return None if text is None else datetime.date.fromisoformat(text)


def _optional(data: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """``data`` with the ``fields`` that are set; optional fields are left out, not null."""
    return data | {key: value for key, value in fields.items() if value is not None}


@attrs.frozen
class Evidence:
    """A supporting document attached to an indicator, or to one of its items.

    Attached to an indicator, it supports each of the indicator's items that accepts its
    ``kind``.  ``submitted`` is the stage at which the district handed it in: the
    self-assessment, or a later stage when verifiers let a district complete its evidence.
    """

    __repr__ = attrs_repr

    id: str = attrs.field(validator=_non_empty)
    kind: str = attrs.field(validator=attrs.validators.in_(EVIDENCE_KINDS))
    title: str = attrs.field(validator=_non_empty)
    number: str = attrs.field(validator=_non_empty)
    issued: datetime.date
    agency: str = attrs.field(validator=_non_empty)
    indicator: str = attrs.field(validator=_non_empty)
    item: str | None = None
    uri: str | None = None
    sha256: str | None = None
    submitted: str = attrs.field(default=STAGES[0], validator=attrs.validators.in_(STAGES))

    @property
    def target(self) -> str:
        """What it is attached to: ``K.1`` or ``K.1/K.1.2``."""
        return self.indicator if self.item is None else f"{self.indicator}/{self.item}"

    def to_dict(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "number": self.number,
            "issued": self.issued.isoformat(),
            "agency": self.agency,
            "indicator": self.indicator,
        }
        submitted = None if self.submitted == STAGES[0] else self.submitted
        return _optional(
            data, item=self.item, uri=self.uri, sha256=self.sha256, submitted=submitted
        )


@attrs.frozen
class Decision:
    """A verifier accepts or rejects a piece of evidence at a stage, for a reason."""

    __repr__ = attrs_repr

    stage: str = attrs.field(validator=attrs.validators.in_(VERIFICATION_STAGES))
    action: str = attrs.field(validator=attrs.validators.in_(DECISIONS))
    evidence: str = attrs.field(validator=_non_empty)
    verifier: str = attrs.field(validator=_non_empty)
    reason: Reason = attrs.field(validator=_non_empty)
    date: datetime.date | None = None

    @property
    def accepted(self) -> bool:
        return self.action == "accept"

    def describe(self) -> str:
        """``reject of evidence 'x' at administrative``: how error messages name the record."""
        return f"{self.action} of evidence {self.evidence!r} at {self.stage}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"stage": self.stage, "action": self.action}
        data |= {"evidence": self.evidence, "verifier": self.verifier}
        data["reason"] = reason_data(self.reason)
        return _optional(data, date=None if self.date is None else self.date.isoformat())


@attrs.frozen
class Correction:
    """A verifier replaces the answer of an item with ``value`` from a stage on, for a reason.

    ``item`` may be left out for an indicator with a single item, as in a submission's answers.
    """

    __repr__ = attrs_repr

    stage: str = attrs.field(validator=attrs.validators.in_(VERIFICATION_STAGES))
    indicator: str = attrs.field(validator=_non_empty)
    value: ItemAnswer = attrs.field(hash=False)
    verifier: str = attrs.field(validator=_non_empty)
    reason: Reason = attrs.field(validator=_non_empty)
    item: str | None = None
    date: datetime.date | None = None
    action: str = attrs.field(default="correct", init=False)

    @property
    def target(self) -> str:
        return self.indicator if self.item is None else f"{self.indicator}/{self.item}"

    def describe(self) -> str:
        """``correction of I.1 at field``: how error messages name the record."""
        return f"correction of {self.target} at {self.stage}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"stage": self.stage, "action": self.action}
        data["indicator"] = self.indicator
        data = _optional(data, item=self.item)
        data |= {"value": answer_to_data(self.value)}
        data |= {"verifier": self.verifier, "reason": reason_data(self.reason)}
        return _optional(data, date=None if self.date is None else self.date.isoformat())


#: A record a verifier adds at a stage.
VerificationRecord: TypeAlias = Decision | Correction


def evidence_from_data(data: Mapping[str, Any]) -> Evidence:
    """A piece of evidence from schema-valid data whose dates are real calendar dates."""
    issued = _date(data["issued"])
    assert issued is not None  # required by the schema
    return Evidence(
        id=data["id"],
        kind=data["kind"],
        title=data["title"],
        number=data["number"],
        issued=issued,
        agency=data["agency"],
        indicator=data["indicator"],
        item=data.get("item"),
        uri=data.get("uri"),
        sha256=data.get("sha256"),
        submitted=data.get("submitted", STAGES[0]),
    )


def record_from_data(data: Mapping[str, Any]) -> VerificationRecord:
    """A verification record from schema-valid data; its ``action`` says which kind."""
    return _record(data, Decision, Correction, Label)


# The same for data the submission schema check has just accepted, which has been proved
# to hold what the classes' validators look for (non-empty texts, known kinds and stages):
# made directly, field by field, past the validators and the frozen classes' __setattr__.
# Running the validators again costs more than the rest of reading a submission.
_new, _set = object.__new__, object.__setattr__


def read_evidence(data: Mapping[str, Any]) -> Evidence:
    """:func:`evidence_from_data` for data the submission schema check has accepted (its
    texts, kind and stage are not checked again); ``ValueError`` for a date the calendar
    does not have."""
    get, piece = data.get, _new(Evidence)
    _set(piece, "id", data["id"])
    _set(piece, "kind", data["kind"])
    _set(piece, "title", data["title"])
    _set(piece, "number", data["number"])
    _set(piece, "issued", datetime.date.fromisoformat(data["issued"]))
    _set(piece, "agency", data["agency"])
    _set(piece, "indicator", data["indicator"])
    _set(piece, "item", get("item"))
    _set(piece, "uri", get("uri"))
    _set(piece, "sha256", get("sha256"))
    _set(piece, "submitted", get("submitted", STAGES[0]))
    return piece


def read_records(entries: Iterable[Mapping[str, Any]]) -> tuple[VerificationRecord, ...]:
    """:func:`record_from_data` of each of ``entries``, data the submission schema check has
    accepted (texts and stages are not checked again); ``ValueError`` for a date the
    calendar does not have.  Records that give the same reason in both languages share one
    :class:`Label` (a verifier gives a few reasons to many records)."""
    labels: dict[tuple[str, str], Label] = {}

    def label(id_text: str, en_text: str) -> Label:
        found = labels.get((id_text, en_text))
        if found is None:
            found = labels[id_text, en_text] = _unchecked_label(id_text, en_text)
        return found

    return tuple(
        _record(entry, _unchecked_decision, _unchecked_correction, label) for entry in entries
    )


def _unchecked_decision(
    *, stage: str, action: str, evidence: str, verifier: str, reason: Reason, date: Any
) -> Decision:
    record = _new(Decision)
    _set(record, "stage", stage)
    _set(record, "action", action)
    _set(record, "evidence", evidence)
    _set(record, "verifier", verifier)
    _set(record, "reason", reason)
    _set(record, "date", date)
    return record


def _unchecked_correction(
    *,
    stage: str,
    indicator: str,
    value: ItemAnswer,
    verifier: str,
    reason: Reason,
    item: str | None,
    date: Any,
) -> Correction:
    record = _new(Correction)
    _set(record, "stage", stage)
    _set(record, "indicator", indicator)
    _set(record, "value", value)
    _set(record, "verifier", verifier)
    _set(record, "reason", reason)
    _set(record, "item", item)
    _set(record, "date", date)
    _set(record, "action", "correct")
    return record


def _unchecked_label(id_text: str, en_text: str) -> Label:
    label = _new(Label)
    _set(label, "id", id_text)
    _set(label, "en", en_text)
    return label


def _record(
    data: Mapping[str, Any],
    decision: Callable[..., Decision],
    correction: Callable[..., Correction],
    label: Callable[..., Label],
) -> VerificationRecord:
    stage, verifier, reason = data["stage"], data["verifier"], _reason(data["reason"], label)
    date = _date(data.get("date"))
    if data["action"] == "correct":
        return correction(
            stage=stage,
            indicator=data["indicator"],
            value=item_answer_from_data(data["value"]),
            verifier=verifier,
            reason=reason,
            item=data.get("item"),
            date=date,
        )
    return decision(
        stage=stage,
        action=data["action"],
        evidence=data["evidence"],
        verifier=verifier,
        reason=reason,
        date=date,
    )


def _reason(data: Any, label: Callable[..., Label]) -> Reason:
    kind = type(data)  # exact types first: a parsed file holds only these, the ABC is slow
    if kind is str:
        return data  # type: ignore[no-any-return]
    if kind is dict or isinstance(data, Mapping):
        return label(str(data["id"]), str(data["en"]))
    return str(data)
