"""The feasible moves of each rule kind: valid, better, minimal, and none missing."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model.analysis.moves import MOVE_KINDS, RESOLUTION, item_moves, step_above, step_below
from kla_model.rules.point_rules import (
    RULE_KINDS,
    BandsRule,
    ChecklistRule,
    LevelsRule,
    LinearRule,
    ReferenceRule,
)
from kla_model.submissions.conformance import item_answers
from kla_model.submissions.submission import ItemAnswer, Measurement
from plan_strategies import ruleset_data, submission_data
from profiles import examples


def test_every_rule_kind_has_moves() -> None:
    assert set(MOVE_KINDS) == set(RULE_KINDS)


@st.composite
def items_with_answers(draw: st.DrawFn) -> tuple[kla.Item, ItemAnswer | None, float, int]:
    data = draw(ruleset_data(max_items=3))
    ruleset = kla.RuleSet.from_mapping(data)
    submission = kla.Submission.from_mapping(draw(submission_data(data)))
    card = kla.score(ruleset, submission)
    _, indicator, item = draw(st.sampled_from(list(card.trace())))
    answer = submission.answers.get(indicator.id)
    current = None
    if answer is not None:
        current = item_answers(ruleset.indicators[indicator.id], answer).get(item.id)
    return ruleset.items[item.id], current, item.points, submission.year


@settings(max_examples=examples(400), deadline=None)
@given(items_with_answers())
def test_moves_are_valid_better_and_ordered(
    case: tuple[kla.Item, ItemAnswer | None, float, int],
) -> None:
    """Each move is an answer the rule accepts, earning what it says and more than now."""
    item, answer, points, year = case
    moves = item_moves(item, answer, points, year)
    for move in moves:
        assert item.rule.problem(move.answer) is None
        assert item.rule.apply(move.answer).points == move.points
        assert move.points > points
        assert move.changes >= 1
        if isinstance(move.answer, Measurement):
            assert 0 <= move.answer.value <= 100  # every generated rule is in percent
    assert [m.points for m in moves] == sorted(m.points for m in moves)


@settings(max_examples=examples(400), deadline=None)
@given(items_with_answers())
def test_no_better_outcome_is_missing(case: tuple[kla.Item, ItemAnswer | None, float, int]) -> None:
    """Every better level, band, tick count or comparison has its move."""
    item, answer, points, year = case
    rule = item.rule
    found = [m.points for m in item_moves(item, answer, points, year)]
    if isinstance(rule, LevelsRule):
        assert found == sorted({level.points for level in rule.levels if level.points > points})
    elif isinstance(rule, BandsRule):
        assert found == sorted({band.points for band in rule.bands if band.points > points})
    elif isinstance(rule, ChecklistRule):
        ticked = set(answer) if isinstance(answer, tuple) else set()
        free = [o.id for o in rule.options if o.id not in ticked]
        best_per_count = [
            max(rule.apply((*ticked, *extra)).points for extra in itertools.combinations(free, n))
            for n in range(1, len(free) + 1)
        ]
        # The best of each count, kept only when it earns more than fewer ticks do.
        expected, top = [], points
        for best in best_per_count:
            if best > top:
                expected.append(best)
                top = best
        assert found == expected
    elif isinstance(rule, LinearRule):
        assert found == ([rule.max_points] if rule.max_points > points else [])
    elif isinstance(rule, ReferenceRule):
        reachable = {rule.equal}
        year_of = answer.data_year if isinstance(answer, Measurement) else None
        reference = rule.series.point_for(year_of or min(rule.series.last_year, year)).value
        lower = rule.direction == "lower_is_better"
        if (reference - RESOLUTION >= 0) if lower else (reference + RESOLUTION <= 100):
            reachable.add(rule.better)
        assert found == sorted(p for p in reachable if p > points)


@settings(max_examples=examples(400), deadline=None)
@given(items_with_answers())
def test_value_moves_go_no_further_than_needed(
    case: tuple[kla.Item, ItemAnswer | None, float, int],
) -> None:
    """A band move stops at the band's nearest end: one step back leaves the band."""
    item, answer, points, year = case
    rule = item.rule
    if not isinstance(rule, BandsRule) or not isinstance(answer, Measurement):
        return
    for move in item_moves(item, answer, points, year):
        assert isinstance(move.answer, Measurement)
        value = move.answer.value
        band = next(b for b in rule.bands if b.contains(value))
        back = value - RESOLUTION if value > answer.value else value + RESOLUTION
        assert not band.contains(back), (answer.value, value, band)


def test_band_moves_of_the_example() -> None:
    ruleset = kla.load_ruleset("perpres-25-2021")
    item = ruleset.items["IV.1.1"]
    moves = item_moves(item, Measurement(73.5, 2023), 22.5, 2025)
    assert [(m.answer, m.points, m.changes) for m in moves] == [
        (Measurement(75.0, 2023), 33.75, 1),
        (Measurement(90.0, 2023), 45.0, 1),
    ]
    assert moves[0].detail["band"]["min"] == 75.0


def test_a_missing_band_answer_starts_from_the_worst_band() -> None:
    ruleset = kla.load_ruleset("perpres-25-2021")
    moves = item_moves(ruleset.items["I.1.1"], None, 0.0, 2025)
    assert [m.answer for m in moves] == [
        Measurement(25.0),
        Measurement(50.0),
        Measurement(75.0),
        Measurement(90.0),
    ]


def test_reference_moves_equal_then_better() -> None:
    ruleset = kla.load_ruleset("perpres-25-2021")
    moves = item_moves(ruleset.items["II.1.1"], Measurement(7.35, 2023), 0.0, 2025)
    assert [(m.answer, m.points, m.detail["comparison"]) for m in moves] == [
        (Measurement(6.92, 2023), 26.0, "equal"),
        (Measurement(6.91, 2023), 52.0, "better"),
    ]
    # With no answer, the latest reference up to the round is used (2024: 5.90).
    missing = item_moves(ruleset.items["II.1.1"], None, 0.0, 2025)
    assert [m.answer for m in missing] == [Measurement(5.9, 2024), Measurement(5.89, 2024)]


def test_checklist_ticks_the_options_worth_most() -> None:
    ruleset = kla.load_ruleset("perpres-25-2021")
    moves = item_moves(ruleset.items["K.1.4"], (), 0.0, 2025)
    assert [(m.answer, m.points, m.changes) for m in moves] == [
        (("forum-anak",), 10.0, 1),
        (("forum-anak", "konsultasi-publik"), 15.0, 2),
        (("forum-anak", "konsultasi-publik", "masukan-tercatat"), 20.0, 3),
    ]
    # A reached cap leaves no move, even with options unticked.
    capped = ("sanggar-seni", "gedung-kesenian", "ruang-kreatif")
    assert item_moves(ruleset.items["IV.4.2"], capped, 15.0, 2025) == ()


def test_top_answers_have_no_moves() -> None:
    ruleset = kla.load_ruleset("perpres-25-2021")
    assert item_moves(ruleset.items["K.1.1"], True, 24.0, 2025) == ()
    assert item_moves(ruleset.items["K.1.2"], "perda", 32.0, 2025) == ()
    assert item_moves(ruleset.items["I.1.1"], Measurement(96.8, 2024), 40.0, 2025) == ()


decimals = st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False)


@given(decimals)
def test_steps_are_the_nearest_grid_values_past_a_value(number: Decimal) -> None:
    value = float(number)
    above, below = step_above(value), step_below(value)
    assert below < value < above
    for found in (above, below):
        assert Decimal(repr(found)) % Decimal("0.01") == 0
    assert above - RESOLUTION <= value + 1e-9
    assert below + RESOLUTION >= value - 1e-9


@pytest.mark.parametrize(
    ("value", "above", "below"),
    [(6.92, 6.93, 6.91), (90.0, 90.01, 89.99), (0.005, 0.01, 0.0), (-0.001, 0.0, -0.01)],
)
def test_steps(value: float, above: float, below: float) -> None:
    assert (step_above(value), step_below(value)) == (above, below)
