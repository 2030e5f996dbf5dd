"""Each point-rule kind: what it gives, what it refuses, and what it says of its own numbers."""

from __future__ import annotations

import itertools
import math

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model import Label, Measurement, ReferencePoint, ReferenceSeries
from kla_model._base.frozen import thaw
from kla_model.rules.point_rules import (
    Anchor,
    Band,
    BandsRule,
    BooleanRule,
    ChecklistRule,
    LevelsRule,
    LinearRule,
    Option,
    ReferenceRule,
)
from profiles import examples

L = Label("x", "x")
PCT_BANDS = BandsRule(
    "percent",
    (
        Band(0, True, 25, False, 0),
        Band(25, True, 50, False, 10),
        Band(50, True, 75, False, 20),
        Band(75, True, 90, False, 30),
        Band(90, True, 100, True, 40),
    ),
)
SERIES = ReferenceSeries(
    "stunting",
    L,
    "test",
    "percent",
    (ReferencePoint(2019, 27.67), ReferencePoint(2021, 24.4), ReferencePoint(2022, 21.6)),
)


def test_boolean() -> None:
    rule = BooleanRule(24)
    assert rule.apply(True) == (24, {"value": True})
    assert rule.apply(False).points == 0
    assert rule.problem("yes") == "expected true or false; found 'yes'"
    assert rule.problem(True) is None


def test_levels_suggests_the_close_level() -> None:
    rule = LevelsRule((Option("none", L, 0), Option("perkada", L, 16), Option("perda", L, 32)))
    assert rule.apply("perkada") == (
        16,
        {
            "level": "perkada",
            "index": 1,
            "points": 16,
            "label": {"id": "x", "en": "x"},
            "next": {"id": "perda", "label": {"id": "x", "en": "x"}, "points": 32},
        },
    )
    assert rule.apply("perda").matched["next"] is None
    assert rule.problem("prda") == (
        "expected one of the levels none, perkada, perda; found 'prda' (did you mean 'perda'?)"
    )
    assert (
        rule.problem(("perda",))
        == 'expected one of the levels none, perkada, perda; found ["perda"]'
    )


def test_checklist_caps_and_lists_what_is_unticked() -> None:
    rule = ChecklistRule(tuple(Option(i, L, 5) for i in "abcd"), cap=15)
    outcome = rule.apply(("a", "c", "d", "b"))
    assert outcome.points == 15
    assert thaw(outcome.matched) == {
        "ticked": ["a", "b", "c", "d"],
        "unticked": [],
        "uncapped": 20,
        "cap": 15,
        "unticked_options": [],
    }
    assert rule.apply(()).matched["unticked"] == ("a", "b", "c", "d")
    assert thaw(rule.apply(("a", "b", "c")).matched["unticked_options"]) == [
        {"id": "d", "label": {"id": "x", "en": "x"}, "points": 5}
    ]
    assert rule.problem(("a", "e")) == "expected option ids from a, b, c, d; found 'e'"
    assert rule.inconsistencies(15) == []
    assert ChecklistRule(rule.options, cap=25).inconsistencies(20) == [
        (["cap"], "the cap 25 is above the options' sum 20")
    ]


@pytest.mark.parametrize(
    ("value", "points", "interval"),
    [
        (0, 0, "[0, 25)"),
        (24.99, 0, "[0, 25)"),
        (25, 10, "[25, 50)"),
        (74.99, 20, "[50, 75)"),
        (75, 30, "[75, 90)"),
        (89.99, 30, "[75, 90)"),
        (90, 40, "[90, 100]"),
        (100, 40, "[90, 100]"),
    ],
)
def test_bands_honour_inclusive_and_exclusive_bounds(
    value: float, points: float, interval: str
) -> None:
    outcome = PCT_BANDS.apply(Measurement(value))
    assert outcome.points == points
    assert outcome.matched["interval"] == interval


def test_bands_refuse_values_outside_the_unit() -> None:
    assert (
        PCT_BANDS.problem(Measurement(100.5)) == "expected a percentage from 0 to 100; found 100.5"
    )
    assert PCT_BANDS.problem(True) == "expected a number as {value, data_year}; found true"
    numeric = BandsRule("number", (Band(0, True, 10, True, 1),))
    assert numeric.problem(Measurement(11)) == (
        "expected a value within the bands [0, 10] to [0, 10]; found 11"
    )


def test_bands_report_gaps_overlaps_and_coverage() -> None:
    gap = BandsRule("percent", (Band(0, True, 40, False, 0), Band(50, True, 100, True, 5)))
    assert gap.inconsistencies(5) == [
        (["bands", 1, "min"], "expected 40 (where band 0 ends); found 50")
    ]
    overlap = BandsRule("percent", (Band(0, True, 50, True, 0), Band(50, True, 100, True, 5)))
    assert overlap.inconsistencies(5)[0][0] == ["bands", 1, "min_inclusive"]
    empty = BandsRule("number", (Band(5, True, 5, False, 1),))
    assert empty.inconsistencies(1) == [(["bands", 0], "the band [5, 5) is empty")]


def test_linear_is_proportional_and_clamped() -> None:
    rule = LinearRule("number", Anchor(25, 0), Anchor(75, 40))
    assert rule.apply(Measurement(50)).points == 20
    assert rule.apply(Measurement(10)) == (
        0,
        {
            "clamped": True,
            "share": 0.0,
            "unit": "number",
            "from": {"value": 25, "points": 0},
            "to": {"value": 75, "points": 40},
        },
    )
    assert rule.apply(Measurement(90)).points == 40
    falling = LinearRule("number", Anchor(5, 10), Anchor(15, 0))  # lower is better
    assert falling.apply(Measurement(7.5)).points == 7.5
    assert LinearRule("number", Anchor(5, 0), Anchor(5, 1)).inconsistencies(1) == [
        (["to", "value"], "expected a value other than from's 5")
    ]


@given(st.floats(-100, 200), st.floats(-100, 200))
def test_linear_never_leaves_its_anchor_points(a: float, b: float) -> None:
    rule = LinearRule("number", Anchor(0, 5), Anchor(100, 25))
    for value in (a, b):
        assert 5 <= rule.apply(Measurement(value)).points <= 25
    if a <= b:
        assert rule.apply(Measurement(a)).points <= rule.apply(Measurement(b)).points


def test_reference_compares_in_the_rules_direction() -> None:
    lower = ReferenceRule("percent", SERIES, "lower_is_better", 35, 17.5, 0)
    assert lower.apply(Measurement(21.0, 2022)).points == 35
    assert lower.apply(Measurement(21.6, 2022)).points == 17.5
    assert lower.apply(Measurement(22.0, 2022)).points == 0
    outcome = lower.apply(Measurement(25.0, 2020))  # no 2020 figure: the 2019 one applies
    assert outcome.matched["reference_year"] == 2019 and outcome.points == 35
    higher = ReferenceRule("percent", SERIES, "higher_is_better", 35, 17.5, 0)
    assert higher.apply(Measurement(22.0, 2022)).points == 35


def test_reference_needs_a_covered_data_year() -> None:
    rule = ReferenceRule("percent", SERIES, "lower_is_better", 35, 17.5, 0)
    assert rule.problem(Measurement(20.0)) == (
        "expected a data_year to compare with reference series 'stunting'; found none"
    )
    assert rule.problem(Measurement(20.0, 2018)) == (
        "expected a data year from 2019 to 2022 (reference series 'stunting'); found 2018"
    )
    assert rule.problem(Measurement(20.0, 2023)) is not None
    assert ReferenceRule("percent", SERIES, "lower_is_better", 0, 10, 5).inconsistencies(10) == [
        (["points"], "expected better >= equal >= worse")
    ]


def test_every_rule_round_trips_to_its_file_form() -> None:
    assert PCT_BANDS.to_dict()["bands"][4] == {
        "min": 90,
        "min_inclusive": True,
        "max": 100,
        "max_inclusive": True,
        "points": 40,
    }
    rule = ReferenceRule("percent", SERIES, "lower_is_better", 35, 17.5, 0)
    assert rule.to_dict() == {
        "kind": "reference",
        "unit": "percent",
        "series": "stunting",
        "direction": "lower_is_better",
        "points": {"better": 35, "equal": 17.5, "worse": 0},
    }


def test_trace_records_are_read_only_so_cards_cannot_change_each_other() -> None:
    rule = LevelsRule((Option("none", L, 0), Option("perda", L, 32)))
    first, second = rule.apply("perda"), rule.apply("perda")
    assert first.matched is second.matched  # made once per ruleset and shared
    with pytest.raises(TypeError):
        first.matched["points"] = 99  # type: ignore[index]
    with pytest.raises(TypeError):
        first.matched["label"]["id"] = "changed"
    assert second.matched["label"]["id"] == "x"


@st.composite
def _contiguous_bands(draw: st.DrawFn) -> BandsRule:
    """Contiguous bands with any inclusiveness, edges anywhere near 0..100, any unit."""
    edges = sorted(draw(st.sets(st.floats(-50, 150, allow_nan=False), min_size=2, max_size=6)))
    closed_above = draw(st.lists(st.booleans(), min_size=len(edges), max_size=len(edges)))
    bands = [
        Band(low, not closed_above[index], high, closed_above[index + 1], float(index))
        for index, (low, high) in enumerate(itertools.pairwise(edges))
    ]
    bands[0] = attrs.evolve(bands[0], min_inclusive=draw(st.booleans()))
    return BandsRule(unit=draw(st.sampled_from(["percent", "count"])), bands=tuple(bands))


def _values_near(rule: BandsRule) -> st.SearchStrategy[float]:
    """Values at, just below and just above every edge, 0 and 100, or anywhere (NaN too)."""
    edges = [band.min for band in rule.bands] + [rule.bands[-1].max, 0.0, 100.0]
    at_edges = st.sampled_from(edges).flatmap(
        lambda edge: st.sampled_from(
            [edge, math.nextafter(edge, -math.inf), math.nextafter(edge, math.inf)]
        )
    )
    return st.one_of(at_edges, st.floats(allow_nan=True, allow_infinity=True))


@settings(max_examples=examples(500))
@given(_contiguous_bands().flatmap(lambda rule: st.tuples(st.just(rule), _values_near(rule))))
def test_a_value_falls_in_the_one_band_that_contains_it(case: tuple[BandsRule, float]) -> None:
    """The bisected edges (``v > m`` as ``v >= nextafter(m)``) find exactly the band whose
    interval holds the value, or none; the points alone are that band's, within the unit."""
    rule, value = case
    holding = [index for index, band in enumerate(rule.bands) if band.contains(value)]
    assert rule.band_index(value) == (holding[0] if holding else None)
    in_unit = rule.unit != "percent" or 0 <= value <= 100
    expected = rule.bands[holding[0]].points if holding and in_unit else None
    assert rule.points_for(kla.Measurement(value, None)) == expected


def test_a_huge_integer_is_placed_exactly() -> None:
    """An integer can fall between a bound and the float after it: it is compared exactly."""
    rule = BandsRule(
        unit="count",
        bands=(Band(0.0, True, 2.0**60, True, 1.0), Band(2.0**60, False, 2.0**61, True, 2.0)),
    )
    assert rule.band_index(2**60 + 1) == 1
    assert rule.points_for(kla.Measurement(2**60 + 1, None)) == 2.0
    assert rule.band_index(2**60) == 0
