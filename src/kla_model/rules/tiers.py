"""Tiers (*peringkat*): the scale that turns a total into Pratama ... KLA, or no tier.

A tier is reached when the total clears its threshold (``>= min`` or ``> min``), its own
must-pass conditions hold, and the tier below it is reached too: a higher tier never asks
for less than a lower one.  Each tier states only its lower bound; its upper bound is the
next tier's lower bound, so a scale cannot have gaps or overlaps, only an order, which is
checked when the ruleset is built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model._base.text import format_threshold
from kla_model.rules.model import Label, Lang
from kla_model.rules.points import difference

__all__ = [
    "NO_TIER_LABEL",
    "Condition",
    "ConditionResult",
    "Tier",
    "TierEligibility",
    "TierScale",
    "TierVerdict",
    "tier_verdict",
]

NO_TIER_LABEL = Label(id="Belum berpredikat", en="No tier")


@attrs.frozen
class Condition:
    """A must-pass condition: an indicator or group must score at least ``min_points``."""

    __repr__ = attrs_repr

    scope: str = attrs.field(validator=attrs.validators.in_(("indicator", "group")))
    id: str
    min_points: float

    def to_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "id": self.id, "min_points": self.min_points}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Condition:
        return cls(scope=data["scope"], id=data["id"], min_points=float(data["min_points"]))


@attrs.frozen
class Tier:
    """One tier of the scale: its lower bound and any must-pass conditions."""

    __repr__ = attrs_repr

    id: str
    label: Label
    min: float
    min_inclusive: bool
    requires: tuple[Condition, ...] = ()

    def admits(self, total: float) -> bool:
        """Whether ``total`` clears this tier's threshold (conditions aside)."""
        return total >= self.min if self.min_inclusive else total > self.min

    @property
    def threshold(self) -> str:
        """The threshold as text, in English (messages): ``≥ 500`` or ``> 30.3``."""
        return self.threshold_in("en")

    def threshold_in(self, lang: Lang) -> str:
        """The threshold as ``lang`` writes it: ``> 30,3`` in Indonesian, ``> 30.3`` in English."""
        return format_threshold(self.min, self.min_inclusive, lang)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "label": self.label.to_dict(),
            "min": self.min,
            "min_inclusive": self.min_inclusive,
        }
        if self.requires:
            data["requires"] = [condition.to_dict() for condition in self.requires]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tier:
        return cls(
            id=data["id"],
            label=Label.from_dict(data["label"]),
            min=float(data["min"]),
            min_inclusive=bool(data["min_inclusive"]),
            requires=tuple(Condition.from_dict(c) for c in data.get("requires", ())),
        )


@attrs.frozen
class ConditionResult:
    """A condition as a score card met it: the points it found and whether that passes."""

    __repr__ = attrs_repr

    condition: Condition
    points: float

    @property
    def passed(self) -> bool:
        return self.points >= self.condition.min_points

    def to_dict(self) -> dict[str, Any]:
        return {**self.condition.to_dict(), "points": self.points, "passed": self.passed}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConditionResult:
        return cls(condition=Condition.from_dict(data), points=float(data["points"]))


class TierEligibility(NamedTuple):
    """Whether a score card reaches one tier, and if not, what it lacks.

    A named tuple, like the other parts of a score card: one is made per tier per score.
    """

    tier: Tier
    reached: bool
    points_short: float
    failed: tuple[ConditionResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier.id,
            "reached": self.reached,
            "points_short": self.points_short,
            "failed": [result.to_dict() for result in self.failed],
        }


@attrs.frozen
class TierScale:
    """The tiers in ascending order, and what to call a total below them all."""

    __repr__ = attrs_repr

    tiers: tuple[Tier, ...] = attrs.field(validator=attrs.validators.min_len(1))
    none_label: Label = NO_TIER_LABEL
    #: Whether any tier has must-pass conditions besides its threshold.
    has_conditions: bool = attrs.field(init=False, eq=False, repr=False)
    #: (min, inclusive, tier) per tier: by_total() runs once per submission scored.
    _thresholds: tuple[tuple[float, bool, Tier], ...] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "has_conditions", any(tier.requires for tier in self.tiers))
        thresholds = tuple((tier.min, tier.min_inclusive, tier) for tier in self.tiers)
        object.__setattr__(self, "_thresholds", thresholds)

    def by_total(self, total: float) -> Tier | None:
        """The highest tier whose threshold ``total`` clears, ignoring conditions."""
        reached = None
        for minimum, inclusive, tier in self._thresholds:  # Tier.admits, inlined
            if not (total >= minimum if inclusive else total > minimum):
                break
            reached = tier
        return reached

    def get(self, tier_id: str) -> Tier:
        """The tier called ``tier_id``; ``KeyError`` if there is none."""
        for tier in self.tiers:
            if tier.id == tier_id:
                return tier
        raise KeyError(tier_id)

    def above(self, tier: Tier | None) -> Tier | None:
        """The tier right above ``tier`` (the lowest tier above no tier), or ``None`` at the top."""
        if tier is None:
            return self.tiers[0]
        position = self.tiers.index(tier)
        return self.tiers[position + 1] if position + 1 < len(self.tiers) else None

    def eligibility(
        self,
        total: float,
        points_of: Mapping[tuple[str, str], float],
        subtract: Callable[[float, float], float] = difference,
    ) -> tuple[TierEligibility, ...]:
        """Every tier, reached or not; ``points_of[(scope, id)]`` gives a condition's points.

        The points short are worked out exactly by ``subtract`` (the ruleset's
        ``resolution.subtract`` on the hot path; by default the exact decimal difference).
        """
        results = []
        below_reached = True
        for tier in self.tiers:
            failed: tuple[ConditionResult, ...] = ()
            if tier.requires:  # most scales have none: skip the work on the hot path
                checked = [ConditionResult(c, points_of[(c.scope, c.id)]) for c in tier.requires]
                failed = tuple(result for result in checked if not result.passed)
            admitted = tier.admits(total)
            short = 0.0 if admitted else subtract(tier.min, total)
            reached = below_reached and admitted and not failed
            results.append(TierEligibility(tier, reached, max(short, 0.0), failed))
            below_reached = reached
        return tuple(results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "none_label": self.none_label.to_dict(),
            "scale": [tier.to_dict() for tier in self.tiers],
        }


class TierVerdict(NamedTuple):
    """A total's eligibility for every tier, the tier reached, the next, and how far off."""

    eligibility: tuple[TierEligibility, ...]
    tier: Tier | None
    next_tier: Tier | None
    points_to_next_tier: float | None


def tier_verdict(
    tiers: TierScale,
    total: float,
    points_of: Mapping[tuple[str, str], float],
    subtract: Callable[[float, float], float],
) -> TierVerdict:
    """What ``tiers`` say of ``total`` (and, for must-pass conditions, of the parts'
    points ``points_of``): every tier's eligibility, the tier reached, the next one, and
    the points still missing for it."""
    eligibility = tiers.eligibility(total, points_of, subtract)
    reached = [entry.tier for entry in eligibility if entry.reached]
    tier = reached[-1] if reached else None
    next_tier = tiers.above(tier)
    to_next = None if next_tier is None else max(subtract(next_tier.min, total), 0.0)
    return TierVerdict(eligibility, tier, next_tier, to_next)
