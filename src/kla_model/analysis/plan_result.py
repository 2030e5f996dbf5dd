"""The result of planning: a :class:`Plan`, its :class:`Step` s, and the conditions it misses.

A plan is plain data: every step carries the item's answer before and after in submission
format, what it earns and costs, and its sentence in Indonesian and English.  Its summary
opens with the ruleset, its version and its status, so its points are never read as more
official than they are.
"""

from __future__ import annotations

from typing import Any

import attrs

from kla_model._base.display import html_view
from kla_model._base.untrusted import terminal_safe
from kla_model.analysis.wording import checked_lang
from kla_model.rules.model import Label, Lang, Region
from kla_model.rules.points import decimal_sum, difference
from kla_model.rules.tiers import NO_TIER_LABEL, Condition, Tier
from kla_model.scoring.results import RuleSetRef

__all__ = ["ConditionGap", "Plan", "Step"]


@attrs.frozen
class Step:
    """One change of a plan: an item's answer before and after, and what it earns."""

    indicator: str
    item: str
    label: Label
    kind: str
    before: Any = attrs.field(hash=False)
    after: Any = attrs.field(hash=False)
    points_before: float
    points_after: float
    cost: float
    changes: int
    sentence: Label

    @property
    def gain(self) -> float:
        return difference(self.points_after, self.points_before)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "item": self.item,
            "label": self.label.to_dict(),
            "kind": self.kind,
            "before": self.before,
            "after": self.after,
            "points_before": self.points_before,
            "points_after": self.points_after,
            "gain": self.gain,
            "cost": self.cost,
            "changes": self.changes,
            "sentence": self.sentence.to_dict(),
        }


@attrs.frozen
class ConditionGap:
    """A must-pass condition the best possible answers still cannot meet."""

    condition: Condition
    tier: Tier
    points: float
    best: float

    @property
    def short_by(self) -> float:
        return difference(self.condition.min_points, self.best)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.condition.to_dict(),
            "tier": self.tier.id,
            "points": self.points,
            "best": self.best,
            "short_by": self.short_by,
        }


@attrs.frozen
class Plan:
    """The cheapest way from a card's total and tier to ``target``, or why there is none."""

    ruleset: RuleSetRef
    region: Region
    year: int
    total: float
    tier: Tier | None
    target: Tier
    reachable: bool
    steps: tuple[Step, ...]
    #: The total and tier after the plan; if unreachable, the best with every move made.
    new_total: float
    new_tier: Tier | None
    #: How far the best possible total stays below the target's threshold (0 if it is not).
    short_by: float
    conditions: tuple[ConditionGap, ...]
    #: Unreachable only because of the fixed ids.
    blocked_by_fixed: bool
    summary: tuple[Label, ...]
    #: The stage whose score the plan starts from.
    stage: str = "self_assessment"
    #: Items whose verified (corrected) values stand, left out of the plan.
    corrected: tuple[str, ...] = ()
    #: At a verification stage, items that count only with accepted evidence, left out.
    needs_evidence: tuple[str, ...] = ()
    #: The points the unverified answers among them would bring back with their evidence.
    withheld: float = 0.0
    #: The ruleset's label for no tier, for a ``tier`` or ``new_tier`` of ``None``.
    none_label: Label = NO_TIER_LABEL
    #: The indicator and item ids the costs held fixed (``fixed:`` in a cost file).
    fixed: tuple[str, ...] = ()

    def __repr__(self) -> str:
        way = f"{len(self.steps)} steps" if self.reachable else "unreachable"
        return (
            f"<Plan {self.region.name} {self.year} {self.stage}: {self.total:g} → "
            f"{self.new_total:g} for {self.target.id}, {way}, cost {self.cost:g} · "
            f"{self.ruleset.id} {self.ruleset.version} ({self.ruleset.status})>"
        )

    @property
    def tier_label(self) -> Label:
        """The tier the plan starts from, or the ruleset's label for no tier."""
        return self.none_label if self.tier is None else self.tier.label

    @property
    def new_tier_label(self) -> Label:
        """The tier after the plan (if unreachable: with every move made), or no tier."""
        return self.none_label if self.new_tier is None else self.new_tier.label

    @property
    def cost(self) -> float:
        return decimal_sum(step.cost for step in self.steps)

    @property
    def changes(self) -> int:
        return sum(step.changes for step in self.steps)

    @property
    def gain(self) -> float:
        return decimal_sum(step.gain for step in self.steps)

    def answers(self) -> dict[str, Any]:
        """The plan's new answers by item id, in submission format (for :func:`what_if`)."""
        return {step.item: step.after for step in self.steps}

    def lines(self, lang: str | None = None) -> list[str]:
        """The plan as text: both languages (Indonesian first), or only ``lang``."""
        langs: tuple[Lang, ...] = ("id", "en") if lang is None else (checked_lang(lang),)
        lines = [label.text(code) for label in self.summary for code in langs]
        for number_, step in enumerate(self.steps, start=1):
            texts = [step.sentence.text(code) for code in langs]
            lines.append(f"{number_:>2}. {texts[0]}")
            lines += [f"    {text}" for text in texts[1:]]
        return [terminal_safe(line) for line in lines]

    def _repr_html_(self) -> str:
        """The plan as HTML, for notebooks (rendered by :mod:`kla_model.views.html`)."""
        return html_view(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset.to_dict(),
            "region": self.region.to_dict(),
            "year": self.year,
            "stage": self.stage,
            "total": self.total,
            "tier": None if self.tier is None else self.tier.id,
            "target": self.target.to_dict(),
            "reachable": self.reachable,
            "cost": self.cost,
            "changes": self.changes,
            "gain": self.gain,
            "new_total": self.new_total,
            "new_tier": None if self.new_tier is None else self.new_tier.id,
            "short_by": self.short_by,
            "blocked_by_fixed": self.blocked_by_fixed,
            "fixed": list(self.fixed),
            "corrected": list(self.corrected),
            "needs_evidence": list(self.needs_evidence),
            "withheld": self.withheld,
            "conditions": [gap.to_dict() for gap in self.conditions],
            "steps": [step.to_dict() for step in self.steps],
            "summary": [label.to_dict() for label in self.summary],
        }
