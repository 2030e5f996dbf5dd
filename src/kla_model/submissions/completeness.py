"""Evidence completeness: which items still lack the evidence they require, and what is at risk.

Before submitting, a district wants to know which claims verifiers will not be able to
check.  :func:`evidence_report` lists every answered item that requires evidence, earns
points, and has none that can stand: either nothing of a kind it accepts is attached
(``missing``), or every such piece has been rejected by the stage looked at
(``rejected``).  The points at risk are what the item's answer earns (as corrected by that
stage), since verification would take them away; the list is sorted by them, largest first.
"""

from __future__ import annotations

from typing import Any

import attrs

from kla_model.rules.model import Indicator, Item, Label, Region
from kla_model.rules.points import decimal_sum
from kla_model.rules.ruleset import RuleSet
from kla_model.rules.ruleset_ref import RuleSetRef
from kla_model.submissions.conformance import item_answers, raise_for_problems
from kla_model.submissions.evidence import STAGE_LABELS, known_stage
from kla_model.submissions.stage_view import StageView, stage_view
from kla_model.submissions.submission import Submission

__all__ = ["GAP_STATUSES", "EvidenceGap", "EvidenceReport", "evidence_report"]

#: Why an item lacks evidence: nothing of a kind it accepts is attached, or all of it is rejected.
GAP_STATUSES = ("missing", "rejected")


@attrs.frozen
class EvidenceGap:
    """An answered item whose required evidence is missing or rejected."""

    indicator: str
    item: str
    label: Label
    points: float
    status: str = attrs.field(validator=attrs.validators.in_(GAP_STATUSES))
    #: The kinds of evidence the item accepts.
    kinds: tuple[str, ...]
    #: The ids of the item's rejected evidence (empty when it is ``missing``).
    rejected: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "item": self.item,
            "label": self.label.to_dict(),
            "points": self.points,
            "status": self.status,
            "kinds": list(self.kinds),
            "rejected": list(self.rejected),
        }


@attrs.frozen
class EvidenceReport:
    """The items lacking the evidence they require, sorted by points at risk (largest first)."""

    region: Region
    year: int
    stage: str
    #: How many answered, point-earning items require evidence.
    required: int
    gaps: tuple[EvidenceGap, ...]
    #: The ruleset whose items and points the report reads (``None`` only for a report made
    #: by hand without one).
    ruleset: RuleSetRef | None = None

    @property
    def points_at_risk(self) -> float:
        return decimal_sum(gap.points for gap in self.gaps)

    @property
    def complete(self) -> bool:
        """Whether every item that requires evidence has some that can stand."""
        return not self.gaps

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-safe data, valid against the shipped ``evidence-report`` schema."""
        ruleset = {} if self.ruleset is None else {"ruleset": self.ruleset.to_dict()}
        return ruleset | {
            "region": self.region.to_dict(),
            "year": self.year,
            "stage": self.stage,
            "stage_label": STAGE_LABELS[self.stage].to_dict(),
            "required": self.required,
            "complete": self.complete,
            "points_at_risk": self.points_at_risk,
            "gaps": [gap.to_dict() for gap in self.gaps],
        }


def _gap(view: StageView, indicator: Indicator, item: Item, points: float) -> EvidenceGap | None:
    assert item.evidence is not None  # only items that require evidence are looked at
    attached = view.attached.get(item.id, ())
    standing = [e for e in attached if view.status[e] != "rejected"]
    if standing:
        return None
    status = "rejected" if attached else "missing"
    return EvidenceGap(
        indicator.id, item.id, item.label, points, status, item.evidence.kinds, attached
    )


def evidence_report(
    ruleset: RuleSet, submission: Submission, stage: str | None = None
) -> EvidenceReport:
    """The items of ``submission`` that lack the evidence ``ruleset`` requires of them, as
    ``stage`` sees it (by default the latest stage the submission has reached; at the
    self-assessment nothing has been rejected yet, so only missing evidence shows).

    Raises :class:`~kla_model.SubmissionError` if the submission does not fit the ruleset.
    """
    raise_for_problems(ruleset, submission)
    stage = submission.latest_stage if stage is None else known_stage(stage)
    view = stage_view(ruleset, submission, stage)
    required = 0
    gaps: list[EvidenceGap] = []
    for indicator in ruleset.indicators.values():
        answer = submission.answers.get(indicator.id)
        if answer is None:
            continue
        for item_id, declared in item_answers(indicator, answer).items():
            item = ruleset.items[item_id]
            if item.evidence is None or not item.evidence.required:
                continue
            correction = view.corrections.get(item_id)
            points = item.rule.apply(declared if correction is None else correction.value).points
            if points <= 0:
                continue  # nothing claimed, nothing to lose
            required += 1
            gap = _gap(view, indicator, item, points)
            if gap is not None:
                gaps.append(gap)
    gaps.sort(key=lambda gap: -gap.points)  # stable: ties stay in ruleset order
    return EvidenceReport(
        submission.region, submission.year, stage, required, tuple(gaps), ruleset.ref
    )
