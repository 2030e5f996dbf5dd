"""Answers that reach an item's best or worst points, and Hypothesis strategies for valid ones.

Shared by the tests of the province level, the crosswalk and overlays, which need
submissions that land where they choose on any ruleset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hypothesis import strategies as st

from kla_model import Item, ItemAnswers, Measurement, Region, RuleSet, Submission
from kla_model.rules.point_rules import (
    BandsRule,
    BooleanRule,
    ChecklistRule,
    LevelsRule,
    LinearRule,
    ReferenceRule,
)
from kla_model.submissions.submission import IndicatorAnswer, ItemAnswer
from strategies import data_years, item_answers

Pick = Callable[[Item], ItemAnswer]


def _band_value(rule: BandsRule, best: bool) -> float:
    points = [band.points for band in rule.bands]
    band = rule.bands[points.index(max(points) if best else min(points))]
    return band.min if band.min_inclusive else (band.min + band.max) / 2


def _reference_value(rule: ReferenceRule, best: bool, round: int) -> Measurement:
    # the latest figure the round can use (data is never from after the round)
    year = max(
        (y for y in (p.year for p in rule.series.points) if y <= round),
        default=rule.series.first_year,
    )
    reference = rule.series.point_for(year).value
    lower = (rule.direction == "lower_is_better") == best
    value = max(reference - 1, 0.0) if lower else reference + 1
    return Measurement(value, year)


def answer(item: Item, best: bool, round: int = 2025) -> ItemAnswer:
    """An answer that gives ``item`` its most (``best``) or fewest points in ``round``
    (measured data from 2023, or the round if it is earlier)."""
    year = min(2023, round)
    rule = item.rule
    if isinstance(rule, BooleanRule):
        return best
    if isinstance(rule, LevelsRule):
        ranked = sorted(rule.levels, key=lambda level: level.points)
        return (ranked[-1] if best else ranked[0]).id
    if isinstance(rule, ChecklistRule):
        return tuple(option.id for option in rule.options) if best else ()
    if isinstance(rule, BandsRule):
        return Measurement(_band_value(rule, best), year)
    if isinstance(rule, LinearRule):
        anchors = sorted((rule.start, rule.end), key=lambda anchor: anchor.points)
        return Measurement((anchors[-1] if best else anchors[0]).value, year)
    assert isinstance(rule, ReferenceRule)
    return _reference_value(rule, best, round)


def best(item: Item, round: int = 2025) -> ItemAnswer:
    return answer(item, best=True, round=round)


def worst(item: Item, round: int = 2025) -> ItemAnswer:
    return answer(item, best=False, round=round)


def pack(ruleset: RuleSet, items: Mapping[str, ItemAnswer]) -> dict[str, IndicatorAnswer]:
    """Item answers grouped into indicator answers, the way a submission writes them."""
    answers: dict[str, IndicatorAnswer] = {}
    for indicator_id, indicator in ruleset.indicators.items():
        given = {item.id: items[item.id] for item in indicator.items if item.id in items}
        if not given:
            continue
        single = len(indicator.items) == 1
        answers[indicator_id] = next(iter(given.values())) if single else ItemAnswers(given)
    return answers


def submission(
    ruleset: RuleSet, items: Mapping[str, ItemAnswer], region: Region, year: int
) -> Submission:
    return Submission(region=region, year=year, answers=pack(ruleset, items))


def landing(ruleset: RuleSet, floor: float) -> dict[str, ItemAnswer]:
    """Item answers whose total is at least ``floor`` and less than ``floor`` + 100.

    Starts from full points and gives indicators their fewest points, in ruleset order,
    while the total stays at or above ``floor`` (every indicator is worth less than 100).
    """
    total = ruleset.max_score
    chosen = {item.id: best(item) for item in ruleset.items.values()}
    for indicator in ruleset.indicators.values():
        if total - indicator.max >= floor:
            total -= indicator.max
            chosen |= {item.id: worst(item) for item in indicator.items}
    return chosen


@st.composite
def answered_items(draw: st.DrawFn, ruleset: RuleSet, round: int = 2025) -> dict[str, ItemAnswer]:
    """Valid answers to any subset of ``ruleset``'s items in ``round``."""
    chosen: dict[str, ItemAnswer] = {}
    window = data_years(ruleset, round)
    for item in ruleset.items.values():
        if draw(st.booleans()):
            chosen[item.id] = draw(item_answers(item, window))
    return chosen
