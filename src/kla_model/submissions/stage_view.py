"""The submission as one stage of the evaluation sees it.

At the self-assessment the district's answers count as declared and its evidence as
attached.  From administrative verification on, a stage sees:

- for each item, the answer of the latest correction made at or before it, else the
  declared answer;
- for each piece of evidence, the latest decision made at or before it: ``accepted`` or
  ``rejected``; ``pending`` if it was submitted but no verifier has decided on it yet;
  ``not_submitted`` if the district hands it in only at a later stage;
- for each item, the evidence that supports it: the accepted pieces attached to the item,
  or attached to its indicator with a kind the item accepts.

The view is built once per stage from the records (never per item), so scoring an item
costs one dictionary lookup more than scoring it without records.  Which items a piece of
evidence can support depends on the ruleset alone, so it is worked out once per ruleset
(:func:`supported_items`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model.rules.model import EVIDENCE_KINDS
from kla_model.rules.ruleset import RuleSet
from kla_model.submissions.conformance import accepts, corrected_item
from kla_model.submissions.evidence import (
    STAGE_POSITION,
    STAGES,
    Correction,
    Decision,
    Evidence,
    VerificationRecord,
)
from kla_model.submissions.submission import Submission

__all__ = ["EVIDENCE_STATUSES", "StageView", "stage_view", "supported_items"]

#: How a stage sees a piece of evidence.
EVIDENCE_STATUSES = ("not_submitted", "declared", "pending", "accepted", "rejected")


@attrs.frozen
class StageView:
    """Which answers count, which corrections apply and which evidence stands at ``stage``."""

    __repr__ = attrs_repr

    stage: str
    #: Item id -> the correction in force (the latest made at or before the stage).
    corrections: Mapping[str, Correction]
    #: Evidence id -> the decision in force, for the pieces some verifier decided on.
    decisions: Mapping[str, Decision]
    #: Evidence id -> one of :data:`EVIDENCE_STATUSES`.
    status: Mapping[str, str]
    #: Item id -> the evidence submitted by this stage that could support the item.
    attached: Mapping[str, tuple[str, ...]]
    #: Item id -> the evidence that counts: as attached at the self-assessment, as
    #: accepted at a verification stage.
    support: Mapping[str, tuple[str, ...]]

    @property
    def verifying(self) -> bool:
        """Whether the stage is a verification stage (evidence must have been accepted)."""
        return self.stage != STAGES[0]


#: (indicator id, item id or ``None``, evidence kind) -> the ids of the items such a piece
#: can support.
_SupportTable = dict[tuple[str, str | None, str], tuple[str, ...]]


def _support_table(ruleset: RuleSet) -> _SupportTable:
    """Every (indicator, item, kind) a piece of evidence of ``ruleset`` can name, with the
    items it supports: a few hundred entries, made once per ruleset."""
    table: _SupportTable = {}
    for indicator in ruleset.indicators.values():
        for kind in EVIDENCE_KINDS:
            taking = tuple(item.id for item in indicator.items if accepts(item, kind))
            table[indicator.id, None, kind] = taking
            for item in indicator.items:
                table[indicator.id, item.id, kind] = (item.id,)
    return table


def supported_items(ruleset: RuleSet, piece: Evidence) -> tuple[str, ...]:
    """The ids of the items ``piece`` can support: its item, or its indicator's items that
    accept its kind."""
    found = ruleset.derived("evidence support", _support_table).get(
        (piece.indicator, piece.item, piece.kind)
    )
    if found is not None:
        return found
    # Not in the table: a piece that does not fit the ruleset (scoring refuses it first).
    if piece.item is not None:
        return (piece.item,)
    indicator = ruleset.indicators[piece.indicator]
    return tuple(item.id for item in indicator.items if accepts(item, piece.kind))


def _in_force(
    records: tuple[VerificationRecord, ...], upto: int, ruleset: RuleSet
) -> tuple[dict[str, Correction], dict[str, Decision]]:
    """The latest correction per item and decision per evidence at or before stage ``upto``."""
    corrections: dict[str, Correction] = {}
    decisions: dict[str, Decision] = {}
    for record in records:
        at = STAGE_POSITION[record.stage]
        if at > upto:
            continue
        if isinstance(record, Decision):
            known = decisions.get(record.evidence)
            if known is None or STAGE_POSITION[known.stage] < at:
                decisions[record.evidence] = record
            continue
        item = corrected_item(ruleset, record)
        assert item is not None  # the submission conforms to the ruleset
        found = corrections.get(item.id)
        if found is None or STAGE_POSITION[found.stage] < at:
            corrections[item.id] = record
    return corrections, decisions


def _status(piece: Evidence, upto: int, decisions: Mapping[str, Decision]) -> str:
    if STAGE_POSITION[piece.submitted] > upto:
        return "not_submitted"
    if upto == 0:
        return "declared"
    decision = decisions.get(piece.id)
    if decision is None:
        return "pending"
    return "accepted" if decision.accepted else "rejected"


def _sorted(ids: dict[str, list[str]]) -> Mapping[str, tuple[str, ...]]:
    """Sorted ids: a stage's view must not depend on the order evidence is listed in."""
    return MappingProxyType({key: _in_order(found) for key, found in ids.items()})


def _in_order(ids: list[str]) -> tuple[str, ...]:
    # Most items have one piece: nothing to sort.
    return (ids[0],) if len(ids) == 1 else tuple(sorted(ids))


def stage_view(ruleset: RuleSet, submission: Submission, stage: str) -> StageView:
    """What ``stage`` sees of ``submission``, which must conform to ``ruleset``
    (:func:`kla_model.check` finds nothing)."""
    upto = STAGE_POSITION[stage]
    corrections, decisions = _in_force(submission.verification, upto, ruleset)
    status = {piece.id: _status(piece, upto, decisions) for piece in submission.evidence}
    counts = "declared" if upto == 0 else "accepted"
    attached: dict[str, list[str]] = {}
    support: dict[str, list[str]] = {}
    for piece in submission.evidence:
        seen = status[piece.id]
        if seen == "not_submitted":
            continue
        for item_id in supported_items(ruleset, piece):
            attached.setdefault(item_id, []).append(piece.id)
            if seen == counts:
                support.setdefault(item_id, []).append(piece.id)
    return StageView(
        stage=stage,
        corrections=MappingProxyType(corrections),
        decisions=MappingProxyType(decisions),
        status=MappingProxyType(status),
        attached=_sorted(attached),
        support=_sorted(support),
    )
