"""How firmly a score card holds its tier: margins, room per indicator, and weight shifts.

The margins are how far the total is above the current tier's threshold and below the
next one's.  The room of an indicator is the points it still has available.  A *weight
shift* scales one indicator's weight (its maximum, and so the points it earns) by
``1 ± change`` (10% by default) and keeps every other weight as it is, so the total moves
by ``± change`` times the indicator's points; the shifts listed are those that change the
tier, must-pass conditions included.  Everything is read from the card alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs

from kla_model.analysis.wording import checked_lang, number, points
from kla_model.errors import KlaError
from kla_model.rules.model import Label
from kla_model.rules.point_rules import RULE_CLASSES
from kla_model.rules.points import as_fraction, difference, rounded
from kla_model.rules.tiers import Tier, TierScale
from kla_model.scoring.results import ItemScore, ScoreCard

__all__ = ["Room", "Sensitivity", "WeightShift", "sensitivity"]


@attrs.frozen
class Room:
    """An indicator's points, its maximum, and the points still available."""

    id: str
    label: Label
    points: float
    max: float

    @property
    def available(self) -> float:
        return difference(self.max, self.points)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label.to_dict(),
            "points": self.points,
            "max": self.max,
            "available": self.available,
        }


@attrs.frozen
class WeightShift:
    """One indicator's weight scaled by ``factor``, and the total and tier that follow."""

    indicator: str
    label: Label
    factor: float
    max: float
    total: float
    tier: Tier | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "label": self.label.to_dict(),
            "factor": self.factor,
            "max": self.max,
            "total": self.total,
            "tier": None if self.tier is None else self.tier.id,
        }


_MARGINS = Label(
    id="Total {total} berada {above} di atas ambang {tier}, total {threshold}{below}.",
    en="The total {total} is {above} above the threshold of {tier}, total {threshold}{below}.",
)
_NO_TIER = Label(
    id="Total {total} belum mencapai peringkat mana pun{below}.",
    en="The total {total} reaches no tier{below}.",
)
_BELOW = Label(
    id=", dan {below} di bawah ambang {next_tier}, total {next_threshold}",
    en=", and {below} below that of {next_tier}, total {next_threshold}",
)
_SHIFT = Label(
    id="Bobot {indicator} {sign}{percent}% (maks {max} → {new_max}): total {total} → "
    "{new_total}, peringkat {tier} → {new_tier}.",
    en="Weight of {indicator} {sign}{percent}% (max {max} → {new_max}): total {total} → "
    "{new_total}, tier {tier} → {new_tier}.",
)
_STEADY = Label(
    id="Tidak ada satu bobot pun yang, bila diubah ±{percent}%, mengubah peringkat.",
    en="No single weight changed by ±{percent}% changes the tier.",
)


@attrs.frozen
class Sensitivity:
    """Margins to the thresholds, room per indicator, and the weight shifts that move the tier."""

    total: float
    tier: Tier | None
    next_tier: Tier | None
    #: The total minus the current tier's threshold (``None`` without a tier).
    margin_above: float | None
    #: The next tier's threshold minus the total (``None`` at the top tier).
    margin_below: float | None
    rooms: tuple[Room, ...]
    change: float
    shifts: tuple[WeightShift, ...]
    none_label: Label

    def __repr__(self) -> str:
        tier = "no tier" if self.tier is None else self.tier.id
        return (
            f"<Sensitivity {self.total:g} {tier}: {len(self.rooms)} indicators with room, "
            f"{len(self.shifts)} weight shifts>"
        )

    def _tier_text(self, tier: Tier | None, lang: str) -> str:
        return (self.none_label if tier is None else tier.label).text(checked_lang(lang))

    def sentences(self, lang: str = "id") -> list[str]:
        """The margins and the tier-changing weight shifts in ``lang``."""
        code = checked_lang(lang)
        below = ""
        if self.next_tier is not None and self.margin_below is not None:
            below = _BELOW.text(code).format(
                below=points(self.margin_below, code),
                next_tier=self.next_tier.label.text(code),
                next_threshold=self.next_tier.threshold_in(code),
            )
        facts = {"total": points(self.total, code), "below": below}
        if self.tier is None or self.margin_above is None:
            lines = [_NO_TIER.text(code).format_map(facts)]
        else:
            facts |= {
                "above": points(self.margin_above, code),
                "tier": self.tier.label.text(code),
                "threshold": self.tier.threshold_in(code),
            }
            lines = [_MARGINS.text(code).format_map(facts)]
        percent = number(self.change * 100, code)
        for shift in self.shifts:
            lines.append(
                _SHIFT.text(code).format(
                    indicator=shift.indicator,
                    sign="+" if shift.factor > 1 else "-",
                    percent=percent,
                    max=number(shift.max / shift.factor, code),
                    new_max=number(shift.max, code),
                    total=points(self.total, code),
                    new_total=points(shift.total, code),
                    tier=self._tier_text(self.tier, code),
                    new_tier=self._tier_text(shift.tier, code),
                )
            )
        if not self.shifts:
            lines.append(_STEADY.text(code).format(percent=percent))
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "tier": None if self.tier is None else self.tier.id,
            "next_tier": None if self.next_tier is None else self.next_tier.id,
            "margin_above": self.margin_above,
            "margin_below": self.margin_below,
            "change": self.change,
            "rooms": [room.to_dict() for room in self.rooms],
            "shifts": [shift.to_dict() for shift in self.shifts],
            "sentences": {"id": self.sentences("id"), "en": self.sentences("en")},
        }


def _scaled_points(item: ItemScore, factor: Fraction) -> Fraction:
    """An item's points with its weight scaled by ``factor``, exactly as the engine would
    score it: a proportional (linear) item's proportion is worked out again and rounded
    like the rule does."""
    matched = item.matched
    if not RULE_CLASSES[item.kind].proportional or not isinstance(item.input, Mapping):
        return as_fraction(item.points) * factor
    (x0, p0), (x1, p1) = (
        (as_fraction(matched[end]["value"]), as_fraction(matched[end]["points"]) * factor)
        for end in ("from", "to")
    )
    value = min(max(as_fraction(item.input["value"]), min(x0, x1)), max(x0, x1))
    points = Fraction(repr(rounded(p0 + (value - x0) / (x1 - x0) * (p1 - p0))))
    return min(max(points, min(p0, p1)), max(p0, p1))


def _shifted_tier(
    card: ScoreCard, scale: TierScale, indicator_id: str, step: Fraction
) -> WeightShift:
    """The card with one indicator's points scaled by ``1 + step``, summed exactly."""
    shifted = card.indicators[indicator_id]
    factor = 1 + step
    scaled = sum((_scaled_points(item, factor) for item in shifted.items), Fraction(0))
    extra = scaled - as_fraction(shifted.points)

    def moved(points: float, inside: bool) -> float:
        return float(as_fraction(points) + extra) if inside else points

    points_of: dict[tuple[str, str], float] = {}
    for group in card.groups:
        inside = any(ind.id == indicator_id for ind in group.indicators)
        points_of[("group", group.id)] = moved(group.points, inside)
        for ind in group.indicators:
            points_of[("indicator", ind.id)] = moved(ind.points, ind.id == indicator_id)
    total = moved(card.total, True)
    reached = [entry.tier for entry in scale.eligibility(total, points_of) if entry.reached]
    return WeightShift(
        indicator_id,
        shifted.label,
        float(factor),
        float(as_fraction(shifted.max) * factor),
        total,
        reached[-1] if reached else None,
    )


def sensitivity(card: ScoreCard, change: float = 0.10) -> Sensitivity:
    """Margins, room per indicator, and the single weights that scaled by ``1 ± change`` move
    the tier."""
    if not 0 < change < 1:
        raise KlaError(
            f"change: expected a fraction between 0 and 1 (0.10 is 10%); found {change!r}"
        )
    scale = TierScale(tuple(entry.tier for entry in card.eligibility), card.none_label)
    # The change is taken as the decimal it is written as (0.1 is exactly a tenth).
    exact = Fraction(repr(change))
    shifts = [
        _shifted_tier(card, scale, indicator.id, step)
        for indicator in card.indicators.values()
        for step in (exact, -exact)
        if indicator.points > 0
    ]
    rooms = tuple(Room(ind.id, ind.label, ind.points, ind.max) for ind in card.indicators.values())
    return Sensitivity(
        total=card.total,
        tier=card.tier,
        next_tier=card.next_tier,
        margin_above=None if card.tier is None else difference(card.total, card.tier.min),
        margin_below=(
            None if card.next_tier is None else difference(card.next_tier.min, card.total)
        ),
        rooms=rooms,
        change=change,
        shifts=tuple(shift for shift in shifts if shift.tier != card.tier),
        none_label=card.none_label,
    )
