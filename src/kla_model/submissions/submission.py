"""A district's submission: who it is, which round, its answers, evidence and verification.

A submission is checked here on its own (shape, types, finite numbers, real dates, and the
records' consistency with one another); whether its answers and records fit a particular
ruleset (known ids, allowed levels, percentages within 0-100, evidence kinds each item
accepts) is checked by :func:`kla_model.check` when it is scored.

A submission file keeps the district's answers as declared. Verifiers' records are added beside
them and never overwrite them; :mod:`kla_model.submissions.stage_view` derives what each stage
of the evaluation sees.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from kla_model._base.capped import first_problems
from kla_model._base.json_schema import json_path, shape_problems, shown
from kla_model._base.numbers import number_problems
from kla_model._base.strict_yaml import load_data_file
from kla_model.errors import Problem, SubmissionError
from kla_model.rules.answers import (
    IndicatorAnswer,
    ItemAnswer,
    ItemAnswers,
    Measurement,
    answer_to_data,
)
from kla_model.rules.model import Region
from kla_model.submissions.answer_reader import (
    ReadAnswers,
    UnusableNumberError,
    read_answers_and_facts,
)
from kla_model.submissions.evidence import (
    STAGES,
    Correction,
    Evidence,
    VerificationRecord,
    read_evidence,
    read_records,
    stage_index,
)
from kla_model.submissions.history import history_problems

__all__ = [
    "IndicatorAnswer",
    "ItemAnswer",
    "ItemAnswers",
    "Measurement",
    "Submission",
    "answer_to_data",
    "load_submission",
]


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


def _evidence(pieces: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return tuple(pieces)


def _records(records: Iterable[VerificationRecord]) -> tuple[VerificationRecord, ...]:
    return tuple(records)


def _looks_like_table(data: object, source: str) -> str | None:
    """What to say when a submission file holds a table (CSV) instead of one submission."""
    first_line = data.split("\n", 1)[0] if isinstance(data, str) else ""
    if source.lower().endswith((".csv", ".tsv")) or first_line.count(",") >= 4:
        return (
            "a table (comma-separated lines): this looks like a table of many districts; "
            "score it with `kla batch FILE` (or kla.load_table in Python)"
        )
    return None


def _number_problems(data: Mapping[str, Any], source: str) -> list[Problem]:
    """The unusable numbers of a document the schema check accepted, if a verifier's
    corrected value (the one place of its records where the schema allows a number; the
    answers are checked as they are read) holds one: then every unusable number of the
    document, located, in document order."""
    corrected = [record["value"] for record in data.get("verification", ()) if "value" in record]
    if corrected and number_problems(corrected, source):
        return number_problems(data, source)
    return []


def _history(
    data: Mapping[str, Any], source: str
) -> tuple[tuple[Evidence, ...], tuple[VerificationRecord, ...]]:
    """The evidence and records of a document the schema check accepted, each date read
    once; a date the calendar does not have fails them all, with every such date located."""
    if "evidence" not in data and "verification" not in data:
        return (), ()  # a self-assessment as most are sent: nothing to read
    try:
        evidence = tuple(map(read_evidence, data.get("evidence", ())))
        records = read_records(data.get("verification", ()))
    except ValueError:  # a date: the schema proved the rest
        raise SubmissionError(source, first_problems(_bad_dates(data, source), source)) from None
    return evidence, records


def _bad_dates(data: Mapping[str, Any], source: str) -> Iterator[Problem]:
    """Dates the schema's ``YYYY-MM-DD`` pattern lets through but the calendar does not."""
    places = [
        ("evidence", i, "issued", e["issued"]) for i, e in enumerate(data.get("evidence", ()))
    ]
    places += [
        ("verification", i, "date", r["date"])
        for i, r in enumerate(data.get("verification", ()))
        if "date" in r
    ]
    for field, index, key, text in places:
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            where = f"{source}: {json_path([field, index, key])}"
            yield Problem(where, f"expected a calendar date YYYY-MM-DD; found {shown(text)}")


_new, _set = object.__new__, object.__setattr__

#: The types an item's answer can have: yes/no, a level id, checklist ticks, a number.
ITEM_ANSWER_TYPES = frozenset({bool, str, tuple, Measurement})


def _item_answers(answers: Mapping[str, IndicatorAnswer]) -> list[object]:
    """Every item's answer, in order: a one-item indicator's direct answer counts as its item's."""
    values: list[object] = []
    for answer in answers.values():
        values.extend(answer.items.values() if isinstance(answer, ItemAnswers) else (answer,))
    return values


def _data_years(
    values: list[object], records: tuple[VerificationRecord, ...]
) -> tuple[int, int] | None:
    years = [v.data_year for v in values if isinstance(v, Measurement) and v.data_year is not None]
    return _year_span(years, records)


def _year_span(years: list[int], records: tuple[VerificationRecord, ...]) -> tuple[int, int] | None:
    """The earliest and latest of the answers' data ``years`` and the corrected values'."""
    values = [record.value for record in records if isinstance(record, Correction)]
    years = years + [
        v.data_year for v in values if isinstance(v, Measurement) and v.data_year is not None
    ]
    return (min(years), max(years)) if years else None


@attrs.frozen
class Submission:
    """One district's answers for one evaluation round (``year``), with its evidence and the
    records verifiers added at each stage."""

    region: Region
    year: int
    answers: Mapping[str, IndicatorAnswer] = attrs.field(converter=_frozen_mapping, hash=False)
    note: str | None = None
    #: Where the submission was read from, for error messages; not part of its value.
    origin: str = attrs.field(default="submission", eq=False)
    #: The supporting documents (*data dukung*) the district attached, with unique ids.
    evidence: tuple[Evidence, ...] = attrs.field(default=(), converter=_evidence, kw_only=True)
    #: Verifiers' records, in the order they were written; only ever added to.
    verification: tuple[VerificationRecord, ...] = attrs.field(
        default=(), converter=_records, kw_only=True
    )
    #: The earliest and latest data year of its measured answers and corrected values
    #: (``None`` if none carries one): found once, so every score checks them in O(1).
    data_years: tuple[int, int] | None = attrs.field(init=False, eq=False, repr=False)
    #: Whether every item's answer has one of the ``ITEM_ANSWER_TYPES`` (exactly, not a
    #: subclass; an ``int`` is not a yes/no): the compiled scorer may then look answers up in
    #: tables, where ``1`` would equal ``True``.  ``score`` checks every answer itself.
    well_typed: bool = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        # Every way to make a submission (the constructor, with_evidence, with_records,
        # attrs.evolve) comes here, and from_mapping does the same in _read_submission: its
        # history is checked once, so scoring it need not check again.
        if self.evidence or self.verification:
            _raise_for_history(self.evidence, self.verification, self.origin)
        values = _item_answers(self.answers)
        object.__setattr__(self, "data_years", _data_years(values, self.verification))
        object.__setattr__(self, "well_typed", set(map(type, values)) <= ITEM_ANSWER_TYPES)

    def __repr__(self) -> str:
        return (
            f"<Submission {self.region.name} {self.year}: {len(self.answers)} indicators "
            f"answered, {len(self.evidence)} evidence, {len(self.verification)} records>"
        )

    @property
    def latest_stage(self) -> str:
        """The furthest stage the submission has reached: that of its latest record or
        evidence, or the self-assessment when verifiers have added nothing."""
        if not self.verification and not self.evidence:  # most submissions scored
            return STAGES[0]
        stages = [record.stage for record in self.verification]
        stages += [evidence.submitted for evidence in self.evidence]
        return max(stages, key=stage_index, default=STAGES[0])

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "submission") -> Submission:
        """Build a submission from parsed YAML/JSON, or raise :class:`SubmissionError`."""
        if not isinstance(data, Mapping):
            found = _looks_like_table(data, source) or type(data).__name__
            raise SubmissionError(source, [Problem(source, f"expected a mapping; found {found}")])
        data = dict(data)
        problems = shape_problems("submission", data, source)  # the one schema check
        read = ReadAnswers({}, [], True)
        if not problems:
            problems = _number_problems(data, source)
        if not problems:
            try:
                read = read_answers_and_facts(data["answers"])  # numbers checked as read
            except UnusableNumberError:
                problems = number_problems(data, source)
        if problems:
            raise SubmissionError(source, problems)
        evidence, records = _history(data, source)
        fields: dict[str, Any] = {
            "region": _read_region(data["region"]),
            "year": int(data["year"]),
            "note": data.get("note"),
            "origin": source,
            "evidence": evidence,
            "verification": records,
        }
        if cls is not Submission:  # a subclass's constructor may do more: let it
            return cls(answers=read.answers, **fields)
        return _read_submission(fields, read)

    def with_evidence(self, *evidence: Evidence) -> Submission:
        """A copy with ``evidence`` attached after the existing pieces.

        Raises :class:`SubmissionError` if the pieces clash with the file's evidence or
        records (a duplicate id, say); ``self`` is never changed.
        """
        return self._added(evidence=(*self.evidence, *evidence))

    def with_records(self, *records: VerificationRecord) -> Submission:
        """A copy with verifiers' ``records`` added after the existing ones.

        Records are only ever added: the declared answers and earlier records stay as they
        are.  Raises :class:`SubmissionError` if a record clashes with the others (a second
        decision on one piece of evidence at one stage, say); ``self`` is never changed.
        """
        return self._added(verification=(*self.verification, *records))

    def _added(self, **changes: Any) -> Submission:
        return attrs.evolve(self, **changes)  # which checks the history the changes make

    def to_dict(self) -> dict[str, Any]:
        """The submission as plain data; ``from_mapping(sub.to_dict()) == sub``."""
        data: dict[str, Any] = {"region": self.region.to_dict(), "year": self.year}
        if self.note is not None:
            data["note"] = self.note
        data["answers"] = {key: answer_to_data(value) for key, value in self.answers.items()}
        if self.evidence:
            data["evidence"] = [evidence.to_dict() for evidence in self.evidence]
        if self.verification:
            data["verification"] = [record.to_dict() for record in self.verification]
        return data


def _read_submission(fields: dict[str, Any], read: ReadAnswers) -> Submission:
    """The submission of the ``fields`` and answers ``from_mapping`` read, set as they are:
    the reader found what ``__attrs_post_init__`` would walk the answers again for (a test
    holds the two equal, field by field); the history is checked as there."""
    records = fields["verification"]
    if fields["evidence"] or records:
        _raise_for_history(fields["evidence"], records, fields["origin"])
    made = _new(Submission)
    for name, value in fields.items():
        _set(made, name, value)
    _set(made, "answers", MappingProxyType(read.answers))  # the reader's own dict: no copy
    _set(made, "data_years", _year_span(read.years, records))
    _set(made, "well_typed", read.well_typed)
    return made


def _read_region(data: Mapping[str, str]) -> Region:
    """The region of a document the schema check accepted, set as it is: its texts are not
    empty and its kind is one of ``REGION_KINDS``, all that :class:`Region` checks."""
    made = _new(Region)
    for name in _REGION_FIELDS:
        _set(made, name, data[name])
    return made


_REGION_FIELDS = tuple(field.name for field in attrs.fields(Region))


def _raise_for_history(
    evidence: tuple[Evidence, ...], records: tuple[VerificationRecord, ...], source: str
) -> None:
    problems = history_problems(evidence, records, source)
    if problems:
        raise SubmissionError(source, problems)


def load_submission(path: str | Path) -> Submission:
    """Read a submission from a YAML or JSON file (``.json`` is read as JSON)."""
    data = load_data_file(path, SubmissionError)
    return Submission.from_mapping(data, source=str(path))
