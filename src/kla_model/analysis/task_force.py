"""The task force's view: where each agency (OPD) stands and what it must do before the evaluation.

:func:`task_force` splits what the library already says of a district among the agencies of
its task force, by the assignment (:mod:`kla_model.submissions.assignment`):

- each item's points, at the stage in force and as self-assessed, go to its **lead agency
  only**; supporting agencies are listed beside the item, never credited.  Items without a
  lead go to an explicit *unassigned* bucket, so the buckets partition the items and their
  points add up to the district's total;
- the evidence still missing or rejected (:func:`~kla_model.evidence_report`) and the
  verifiers' corrections in force go to the lead of their item;
- the plan to the target tier stays **one** optimal plan for the district
  (:func:`~kla_model.plan`); each of its steps goes to the lead of the item it changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from kla_model._base.display import html_view
from kla_model.analysis.costs import Costs
from kla_model.analysis.plan import plan
from kla_model.analysis.plan_result import Plan, Step
from kla_model.rules.model import Label, Region
from kla_model.rules.points import decimal_sum
from kla_model.rules.ruleset import RuleSet
from kla_model.rules.ruleset_ref import RuleSetRef
from kla_model.rules.tiers import NO_TIER_LABEL, Tier
from kla_model.scoring.engine import score
from kla_model.scoring.results import IndicatorScore, ItemScore, ScoreCard
from kla_model.submissions.assignment import Agency, Assignment, Owner
from kla_model.submissions.completeness import EvidenceGap, evidence_report
from kla_model.submissions.evidence import STAGES, Evidence, Reason, known_stage, reason_data
from kla_model.submissions.submission import Submission

__all__ = [
    "AgencyTasks",
    "IndicatorShare",
    "OpenCorrection",
    "OwnedItem",
    "TaskForce",
    "task_force",
]

#: The bucket of the items no agency leads.
UNASSIGNED = Label(id="Belum ditugaskan", en="Unassigned")


@attrs.frozen
class OwnedItem:
    """An item an agency leads: its points at the stage in force and as self-assessed."""

    indicator: str
    indicator_label: Label
    item: str
    label: Label
    points: float
    max: float
    #: The points at the self-assessment, as the district declared them.
    declared: float
    #: The trace outcome at the stage in force (``scored``, ``missing``, ...).
    outcome: str
    #: The agencies supporting the lead on this item (listed, not credited).
    support: tuple[str, ...] = ()
    #: How many items its indicator has (an agency may lead only some of them).
    indicator_items: int = 1

    @property
    def lost(self) -> float:
        """The points verification took away (negative if a correction raised them)."""
        return self.declared - self.points

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "item": self.item,
            "label": self.label.to_dict(),
            "points": self.points,
            "max": self.max,
            "declared": self.declared,
            "lost": self.lost,
            "outcome": self.outcome,
            "support": list(self.support),
        }


@attrs.frozen
class IndicatorShare:
    """An agency's share of one indicator: the items of it that the agency leads."""

    id: str
    label: Label
    points: float
    max: float
    items: tuple[str, ...]
    #: Whether the agency leads every item of the indicator.
    whole: bool


def _reason(data: Any) -> Reason:
    """A reason from a card's trace: both languages come back as a :class:`Label`."""
    if isinstance(data, dict):
        return Label(id=str(data["id"]), en=str(data["en"]))
    return str(data)


@attrs.frozen
class OpenCorrection:
    """A verifier's correction in force on an item: the agency's data must match it."""

    indicator: str
    item: str
    declared: Any = attrs.field(hash=False)
    corrected: Any = attrs.field(hash=False)
    stage: str
    verifier: str
    #: As the verifier wrote it: one text, or a :class:`Label` in both languages.
    reason: Reason

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "item": self.item,
            "declared": self.declared,
            "corrected": self.corrected,
            "stage": self.stage,
            "verifier": self.verifier,
            "reason": reason_data(self.reason),
        }


@attrs.frozen
class AgencyTasks:
    """One agency's part: its items, the evidence and steps it owes, its open corrections.

    ``agency`` is ``None`` for the bucket of unassigned items.
    """

    agency: Agency | None
    items: tuple[OwnedItem, ...]
    #: Ids of the items the agency supports (another agency leads them).
    supports: tuple[str, ...]
    gaps: tuple[EvidenceGap, ...]
    steps: tuple[Step, ...]
    corrections: tuple[OpenCorrection, ...]

    @property
    def id(self) -> str | None:
        return None if self.agency is None else self.agency.id

    @property
    def name(self) -> Label:
        """The agency's short name and name (the same in both languages), or "unassigned"."""
        if self.agency is None:
            return UNASSIGNED
        text = f"{self.agency.short}: {self.agency.name}"
        return Label(id=text, en=text)

    @property
    def points(self) -> float:
        return decimal_sum(item.points for item in self.items)

    @property
    def max(self) -> float:
        return decimal_sum(item.max for item in self.items)

    @property
    def declared(self) -> float:
        return decimal_sum(item.declared for item in self.items)

    @property
    def lost(self) -> float:
        """Points lost at verification: self-assessed minus points at the stage in force."""
        return decimal_sum(item.lost for item in self.items)

    @property
    def at_risk(self) -> float:
        """Points its answers earn that lack the evidence they require."""
        return decimal_sum(gap.points for gap in self.gaps)

    @property
    def gain(self) -> float:
        """The points its steps of the plan add."""
        return decimal_sum(step.gain for step in self.steps)

    @property
    def cost(self) -> float:
        return decimal_sum(step.cost for step in self.steps)

    @property
    def points_after(self) -> float:
        """Its points once its steps of the plan are done."""
        return self.points + self.gain

    @property
    def indicators(self) -> tuple[IndicatorShare, ...]:
        """Its items grouped by indicator, in ruleset order."""
        shares: dict[str, list[OwnedItem]] = {}
        for item in self.items:
            shares.setdefault(item.indicator, []).append(item)
        return tuple(
            IndicatorShare(
                id=indicator,
                label=items[0].indicator_label,
                points=decimal_sum(item.points for item in items),
                max=decimal_sum(item.max for item in items),
                items=tuple(item.item for item in items),
                whole=len(items) == items[0].indicator_items,
            )
            for indicator, items in shares.items()
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": None if self.agency is None else self.agency.to_dict(),
            "points": self.points,
            "max": self.max,
            "declared": self.declared,
            "lost": self.lost,
            "at_risk": self.at_risk,
            "gain": self.gain,
            "cost": self.cost,
            "points_after": self.points_after,
            "items": [item.to_dict() for item in self.items],
            "supports": list(self.supports),
            "gaps": [gap.to_dict() for gap in self.gaps],
            "steps": [step.to_dict() for step in self.steps],
            "corrections": [correction.to_dict() for correction in self.corrections],
        }


@attrs.frozen
class TaskForce:
    """A district's score, evidence and plan, split among the agencies of its task force."""

    ruleset: RuleSetRef
    region: Region
    year: int
    #: The stage in force: the points, the evidence and the plan are as it sees them.
    stage: str
    #: The assignment's status: ``template``, ``illustrative`` or ``adopted``.
    status: str
    coordinator: Agency | None
    total: float
    declared_total: float
    max_score: float
    tier: Tier | None
    #: The one plan for the district, or ``None`` when it already holds the top tier.
    plan: Plan | None
    #: The agencies in the order of the assignment file.
    agencies: tuple[AgencyTasks, ...]
    #: The items no agency leads (always present; empty when every item is assigned).
    unassigned: AgencyTasks
    none_label: Label = NO_TIER_LABEL
    #: The pieces of evidence the gaps name as rejected (their titles and links, for the
    #: agencies' pages); not part of :meth:`to_dict`, which names them by id.
    rejected_evidence: tuple[Evidence, ...] = attrs.field(default=(), repr=False)

    @property
    def tier_label(self) -> Label:
        return self.none_label if self.tier is None else self.tier.label

    @property
    def buckets(self) -> tuple[AgencyTasks, ...]:
        """The agencies, then the unassigned items if there are any: together, every item."""
        return (*self.agencies, self.unassigned) if self.unassigned.items else self.agencies

    def agency(self, agency_id: str) -> AgencyTasks:
        """The part of the agency ``agency_id`` (a ``KeyError`` if it has none)."""
        for tasks in self.agencies:
            if tasks.id == agency_id:
                return tasks
        raise KeyError(agency_id)

    def _repr_html_(self) -> str:
        """The overview for notebooks (registered by :mod:`kla_model.views.task_force`)."""
        return html_view(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset.to_dict(),
            "region": self.region.to_dict(),
            "year": self.year,
            "stage": self.stage,
            "status": self.status,
            "coordinator": None if self.coordinator is None else self.coordinator.to_dict(),
            "total": self.total,
            "declared_total": self.declared_total,
            "max_score": self.max_score,
            "tier": None if self.tier is None else self.tier.id,
            "plan": None if self.plan is None else self.plan.to_dict(),
            "agencies": [tasks.to_dict() for tasks in self.agencies],
            "unassigned": self.unassigned.to_dict(),
        }


def _corrections(indicator: IndicatorScore, item: ItemScore) -> tuple[OpenCorrection, ...]:
    trace = item.correction
    if trace is None:
        return ()
    return (
        OpenCorrection(
            indicator=indicator.id,
            item=item.id,
            declared=trace["declared"],
            corrected=item.input,
            stage=trace["stage"],
            verifier=trace["verifier"],
            reason=_reason(trace["reason"]),
        ),
    )


@attrs.define
class _Bucket:
    """What one agency collects while the items are dealt out."""

    items: list[OwnedItem] = attrs.field(factory=list)
    supports: list[str] = attrs.field(factory=list)
    gaps: list[EvidenceGap] = attrs.field(factory=list)
    steps: list[Step] = attrs.field(factory=list)
    corrections: list[OpenCorrection] = attrs.field(factory=list)

    def tasks(self, agency: Agency | None) -> AgencyTasks:
        return AgencyTasks(
            agency,
            tuple(self.items),
            tuple(self.supports),
            tuple(self.gaps),
            tuple(self.steps),
            tuple(self.corrections),
        )


def _deal(
    card: ScoreCard,
    declared: ScoreCard,
    owners: Mapping[str, Owner],
    buckets: Mapping[str | None, _Bucket],
) -> None:
    """Each item, and its corrections, to its lead's bucket (``None``: unassigned)."""
    declared_points = {item.id: item.points for _, _, item in declared.trace()}
    for _, indicator, item in card.trace():
        owner = owners.get(item.id)
        bucket = buckets[None if owner is None else owner.lead]
        support = () if owner is None else owner.support
        bucket.items.append(
            OwnedItem(
                indicator=indicator.id,
                indicator_label=indicator.label,
                item=item.id,
                label=item.label,
                points=item.points,
                max=item.max,
                declared=declared_points[item.id],
                outcome=item.outcome,
                support=support,
                indicator_items=len(indicator.items),
            )
        )
        bucket.corrections.extend(_corrections(indicator, item))
        for supporter in support:
            buckets[supporter].supports.append(item.id)


def _plan(
    ruleset: RuleSet,
    submission: Submission,
    card: ScoreCard,
    *,
    target: str | None,
    cost: Costs | Mapping[str, float] | None,
    fixed: Iterable[str],
) -> Plan | None:
    if target is None and card.next_tier is None:
        return None  # the top tier: there is nothing to plan for
    return plan(ruleset, submission, target=target, cost=cost, fixed=fixed, stage=card.stage)


def task_force(
    ruleset: RuleSet,
    submission: Submission,
    assignment: Assignment,
    *,
    target: str | None = None,
    cost: Costs | Mapping[str, float] | None = None,
    fixed: Iterable[str] = (),
    stage: str | None = None,
) -> TaskForce:
    """``submission`` scored with ``ruleset`` and split among the agencies of ``assignment``.

    ``stage`` is the stage in force (default: the latest the submission reached, as for
    :func:`~kla_model.score`).  ``target``, ``cost`` and ``fixed`` are those of
    :func:`~kla_model.plan`; the plan goes to ``target`` (default: the next tier up; none at
    the top tier).  Raises :class:`~kla_model.AssignmentError` if the assignment does not fit
    the ruleset, and what :func:`~kla_model.score` and :func:`~kla_model.plan` raise.
    """
    owners = assignment.owners_of(ruleset)
    stage = submission.latest_stage if stage is None else known_stage(stage)
    card = score(ruleset, submission, stage=stage)
    declared = card if stage == STAGES[0] else score(ruleset, submission, stage=STAGES[0])
    buckets: dict[str | None, _Bucket] = {agency.id: _Bucket() for agency in assignment.agencies}
    buckets[None] = _Bucket()
    _deal(card, declared, owners, buckets)

    def lead(item_id: str) -> str | None:
        owner = owners.get(item_id)
        return None if owner is None else owner.lead

    gaps = evidence_report(ruleset, submission, stage=stage).gaps
    for gap in gaps:
        buckets[lead(gap.item)].gaps.append(gap)
    rejected = {evidence_id for gap in gaps for evidence_id in gap.rejected}
    the_plan = _plan(ruleset, submission, card, target=target, cost=cost, fixed=fixed)
    for step in () if the_plan is None else the_plan.steps:
        buckets[lead(step.item)].steps.append(step)
    coordinator = assignment.coordinator
    return TaskForce(
        ruleset=card.ruleset,
        region=card.region,
        year=card.year,
        stage=stage,
        status=assignment.status,
        coordinator=None if coordinator is None else assignment.agency(coordinator),
        total=card.total,
        declared_total=declared.total,
        max_score=card.max_score,
        tier=card.tier,
        plan=the_plan,
        agencies=tuple(buckets[agency.id].tasks(agency) for agency in assignment.agencies),
        unassigned=buckets[None].tasks(None),
        none_label=card.none_label,
        rejected_evidence=tuple(piece for piece in submission.evidence if piece.id in rejected),
    )
