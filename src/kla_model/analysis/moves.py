"""The feasible ways to raise one item's points: the moves a plan chooses from.

A move replaces an item's answer by a better one that the district could report, and says
how many points the item then earns and how many *changes* that is.  For each rule kind:

- ``boolean``: false or no answer -> true.
- ``levels``: to each level giving more points (of levels giving equal points, the first).
- ``checklist``: ticking *t* more options, for each *t*, is *t* changes; the *t* options
  ticked are those worth the most points (the first of equals), since any other *t*
  options cost the same and earn no more.  A tick that earns nothing (a reached cap) is no
  move.
- ``bands``: to each band giving more points, at the value of that band nearest the
  current one: a band above at its lower end, a band below at its upper end.  An exclusive
  end is stepped past by :data:`RESOLUTION` (0.01), the precision values are reported in.
  Of bands giving equal points, the nearest.
- ``linear``: to the value giving full points (a plan may then lower it to what it needs).
- ``reference``: to the reference value itself (``equal``) and to the value
  :data:`RESOLUTION` past it in the better direction (``better``).  The data year stays
  the answer's own.

A missing answer counts as the lowest state: for ``bands`` the values start from the middle
of the band giving the fewest points; for ``reference`` the data year is the latest the
series covers up to the evaluation round.  No move leaves the answer's domain (a percentage
stays within 0-100): each is checked with the rule itself, which also gives its points.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from kla_model.rules.model import Item
from kla_model.rules.point_rules import (
    BandsRule,
    BooleanRule,
    ChecklistRule,
    LevelsRule,
    LinearRule,
    PointRule,
    ReferenceRule,
)
from kla_model.submissions.submission import ItemAnswer, Measurement

__all__ = ["MOVE_KINDS", "RESOLUTION", "Move", "item_moves", "step_above", "step_below"]

#: The precision of a reported value: moves past an exclusive bound go this far beyond it.
RESOLUTION = 0.01
_GRID = decimal.Decimal("0.01")


@attrs.frozen
class Move:
    """A better answer for one item: the item's points with it and how many changes it is."""

    answer: ItemAnswer = attrs.field(hash=False)
    points: float
    changes: int
    #: JSON-safe facts that describe the move in a sentence.
    detail: Mapping[str, Any] = attrs.field(hash=False, factory=dict)


def step_above(value: float) -> float:
    """The least multiple of :data:`RESOLUTION` strictly above ``value``."""
    steps = (decimal.Decimal(repr(value)) / _GRID).to_integral_value(decimal.ROUND_FLOOR) + 1
    found = float(steps * _GRID)
    return found if found > value else float((steps + 1) * _GRID)


def step_below(value: float) -> float:
    """The greatest multiple of :data:`RESOLUTION` strictly below ``value``."""
    steps = (decimal.Decimal(repr(value)) / _GRID).to_integral_value(decimal.ROUND_CEILING) - 1
    found = float(steps * _GRID)
    return found if found < value else float((steps - 1) * _GRID)


def _scored(rule: PointRule, answer: ItemAnswer) -> float | None:
    """The points ``answer`` earns, or ``None`` if the rule would not accept it."""
    if rule.problem(answer) is not None:
        return None
    return rule.apply(answer).points


def _boolean(rule: BooleanRule, answer: ItemAnswer | None, points: float, _: int) -> Iterator[Move]:
    if answer is not True and rule.points > points:
        yield Move(True, rule.points, 1)


def _levels(rule: LevelsRule, answer: ItemAnswer | None, points: float, _: int) -> Iterator[Move]:
    current = None
    for level in rule.levels:
        if level.id == answer:
            current = level.to_dict()
    seen: set[float] = set()
    for level in sorted(rule.levels, key=lambda level: level.points):
        if level.points > points and level.points not in seen:
            seen.add(level.points)
            yield Move(level.id, level.points, 1, {"from": current, "to": level.to_dict()})


def _checklist(
    rule: ChecklistRule, answer: ItemAnswer | None, points: float, _: int
) -> Iterator[Move]:
    ticked = set(answer) if isinstance(answer, tuple) else set()
    unticked = sorted(
        (option for option in rule.options if option.id not in ticked),
        key=lambda option: -option.points,
    )
    best = points
    for count in range(1, len(unticked) + 1):
        chosen = {option.id for option in unticked[:count]}
        new = tuple(o.id for o in rule.options if o.id in ticked or o.id in chosen)
        earned = _scored(rule, new)
        if earned is not None and earned > best:
            best = earned
            ticks = [o.to_dict() for o in rule.options if o.id in chosen]
            yield Move(new, earned, count, {"tick": ticks})


def _band_value(rule: BandsRule, index: int, origin: float) -> float | None:
    """The value of band ``index`` nearest ``origin`` that the band contains."""
    band = rule.bands[index]
    if band.min >= origin:
        value = band.min if band.min_inclusive else step_above(band.min)
    else:
        value = band.max if band.max_inclusive else step_below(band.max)
    if not band.contains(value):  # a band narrower than the resolution
        value = (band.min + band.max) / 2
    return value if band.contains(value) else None


def _bands(rule: BandsRule, answer: ItemAnswer | None, points: float, _: int) -> Iterator[Move]:
    if isinstance(answer, Measurement):
        origin, year = answer.value, answer.data_year
    else:
        worst = min(rule.bands, key=lambda band: band.points)
        origin, year = (worst.min + worst.max) / 2, None
    nearest: dict[float, tuple[float, Move]] = {}
    for index, band in enumerate(rule.bands):
        value = _band_value(rule, index, origin)
        if band.points <= points or value is None:
            continue
        earned = _scored(rule, Measurement(value, year))
        if earned is None or earned <= points:
            continue
        detail = {"unit": rule.unit, "band": band.to_dict(), "above": value > origin}
        move = Move(Measurement(value, year), earned, 1, detail)
        distance = abs(value - origin)
        if earned not in nearest or distance < nearest[earned][0]:
            nearest[earned] = (distance, move)
    yield from (nearest[earned][1] for earned in sorted(nearest))


def _linear(rule: LinearRule, answer: ItemAnswer | None, points: float, _: int) -> Iterator[Move]:
    full = rule.end if rule.end.points >= rule.start.points else rule.start
    value = full.value
    if rule.unit == "percent":
        value = min(max(value, 0.0), 100.0)
    year = answer.data_year if isinstance(answer, Measurement) else None
    earned = _scored(rule, Measurement(value, year))
    if earned is not None and earned > points:
        yield Move(Measurement(value, year), earned, 1, {"unit": rule.unit})


def _reference_year(rule: ReferenceRule, answer: ItemAnswer | None, round_year: int) -> int | None:
    if isinstance(answer, Measurement) and answer.data_year is not None:
        return answer.data_year
    year = min(rule.series.last_year, round_year)
    return year if rule.series.covers(year) else None


def _reference(
    rule: ReferenceRule, answer: ItemAnswer | None, points: float, round_year: int
) -> Iterator[Move]:
    year = _reference_year(rule, answer, round_year)
    if year is None:
        return
    reference = rule.series.point_for(year)
    past = step_below if rule.direction == "lower_is_better" else step_above
    seen: set[float] = set()
    for comparison, value in (("equal", reference.value), ("better", past(reference.value))):
        earned = _scored(rule, Measurement(value, year))
        if earned is None or earned <= points or earned in seen:
            continue
        seen.add(earned)
        detail = {
            "unit": rule.unit,
            "comparison": comparison,
            "direction": rule.direction,
            "reference_value": reference.value,
            "reference_year": reference.year,
        }
        yield Move(Measurement(value, year), earned, 1, detail)


_Generator = Callable[[Any, ItemAnswer | None, float, int], Iterator[Move]]

#: The move generator of each rule kind.
MOVE_KINDS: Mapping[str, _Generator] = {
    "boolean": _boolean,
    "levels": _levels,
    "checklist": _checklist,
    "bands": _bands,
    "linear": _linear,
    "reference": _reference,
}


def item_moves(
    item: Item, answer: ItemAnswer | None, points: float, round_year: int
) -> tuple[Move, ...]:
    """Every move that raises ``item`` above ``points``, fewest points first.

    ``answer`` is the item's current answer (``None`` if it has none) and ``points`` what it
    earns; ``round_year`` is the evaluation round, which dates a reference for a missing
    answer.
    """
    moves = MOVE_KINDS[item.rule.kind](item.rule, answer, points, round_year)
    return tuple(sorted(moves, key=lambda move: (move.points, move.changes)))
