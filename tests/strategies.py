"""Shared Hypothesis strategies: generated rulesets (as rule-file mappings) and submissions.

Points are multiples of 0.25, so sums are exact in binary floating point and a wrong sum
cannot hide behind rounding.  Generated bands give non-decreasing points and reference rules
better >= equal >= worse, so "a better answer never lowers the total" is a property the
engine must keep for every generated ruleset.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st

import kla_model as kla
from kla_model import RuleSet
from kla_model.rules.answers import answer_to_data
from kla_model.rules.point_rules import (
    BandsRule,
    BooleanRule,
    ChecklistRule,
    LevelsRule,
    LinearRule,
    ReferenceRule,
)

Mapping = dict[str, Any]

SERIES_YEARS = (2018, 2019, 2021, 2022)


def label(text: str) -> Mapping:
    return {"id": f"{text} (id)", "en": f"{text} (en)"}


quarters = st.integers(min_value=0, max_value=80).map(lambda n: n / 4)
positive_quarters = st.integers(min_value=1, max_value=80).map(lambda n: n / 4)


@st.composite
def boolean_rules(draw: st.DrawFn) -> tuple[Mapping, float]:
    return {"kind": "boolean"}, draw(positive_quarters)


@st.composite
def levels_rules(draw: st.DrawFn) -> tuple[Mapping, float]:
    points = draw(st.lists(quarters, min_size=2, max_size=4))
    levels = [
        {"id": f"l{i}", "label": label(f"level {i}"), "points": p} for i, p in enumerate(points)
    ]
    return {"kind": "levels", "levels": levels}, max(points)


@st.composite
def checklist_rules(draw: st.DrawFn) -> tuple[Mapping, float]:
    points = draw(st.lists(quarters, min_size=1, max_size=4))
    options = [
        {"id": f"o{i}", "label": label(f"option {i}"), "points": p} for i, p in enumerate(points)
    ]
    rule: Mapping = {"kind": "checklist", "options": options}
    total = sum(points)
    if total > 0 and draw(st.booleans()):
        cap = draw(st.integers(min_value=1, max_value=int(total * 4)).map(lambda n: n / 4))
        rule["cap"] = cap
        return rule, cap
    return rule, total


@st.composite
def bands_rules(draw: st.DrawFn) -> tuple[Mapping, float]:
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=99), max_size=4)))
    edges = [0, *cuts, 100]
    points = sorted(draw(st.lists(quarters, min_size=len(edges) - 1, max_size=len(edges) - 1)))
    # At each inner edge exactly one of the two neighbouring bands includes the edge.
    lower_takes = [draw(st.booleans()) for _ in cuts]
    bands = []
    for i, (low, high) in enumerate(itertools.pairwise(edges)):
        bands.append(
            {
                "min": low,
                "min_inclusive": i == 0 or not lower_takes[i - 1],
                "max": high,
                "max_inclusive": i == len(edges) - 2 or lower_takes[i],
                "points": points[i],
            }
        )
    return {"kind": "bands", "unit": "percent", "bands": bands}, max(points)


@st.composite
def linear_rules(draw: st.DrawFn) -> tuple[Mapping, float]:
    start, end = draw(st.lists(st.integers(-50, 150), min_size=2, max_size=2, unique=True))
    low_points, high_points = draw(st.lists(quarters, min_size=2, max_size=2))
    rule = {
        "kind": "linear",
        "unit": "number",
        "from": {"value": start, "points": low_points},
        "to": {"value": end, "points": high_points},
    }
    return rule, max(low_points, high_points)


@st.composite
def reference_rules(draw: st.DrawFn) -> tuple[Mapping, float]:
    better, equal, worse = sorted(draw(st.lists(quarters, min_size=3, max_size=3)), reverse=True)
    direction = draw(st.sampled_from(["lower_is_better", "higher_is_better"]))
    rule = {
        "kind": "reference",
        "unit": "percent",
        "series": "ref",
        "direction": direction,
        "points": {"better": better, "equal": equal, "worse": worse},
    }
    return rule, better


any_rule = st.one_of(
    boolean_rules(),
    levels_rules(),
    checklist_rules(),
    bands_rules(),
    linear_rules(),
    reference_rules(),
)


@st.composite
def indicator_mappings(draw: st.DrawFn, ident: str) -> Mapping:
    rules = draw(st.lists(any_rule, min_size=1, max_size=3))
    items = [
        {"id": f"{ident}.{n}", "label": label(f"item {ident}.{n}"), "max": item_max, "rule": rule}
        for n, (rule, item_max) in enumerate(rules, start=1)
    ]
    return {
        "id": ident,
        "label": label(f"indicator {ident}"),
        "type": "inst",
        "source": "generated for a property test",
        "max": sum(item["max"] for item in items),
        "items": items,
    }


@st.composite
def tier_scales(draw: st.DrawFn, max_score: float) -> Mapping:
    steps = int(max_score * 4)
    count = draw(st.integers(min_value=1, max_value=min(4, steps + 1)))
    mins = sorted(draw(st.sets(st.integers(0, steps), min_size=count, max_size=count)))
    scale = [
        {
            "id": f"t{i}",
            "label": label(f"tier {i}"),
            "min": m / 4,
            "min_inclusive": draw(st.booleans()),
        }
        for i, m in enumerate(mins)
    ]
    if scale[-1]["min"] == max_score:
        scale[-1]["min_inclusive"] = True
    return {"scale": scale}


@st.composite
def ruleset_mappings(draw: st.DrawFn) -> Mapping:
    """A valid rule-file mapping: 1-3 groups of 1-3 indicators of 1-3 items each."""
    groups = []
    for g in range(draw(st.integers(1, 3))):
        count = draw(st.integers(1, 3))
        indicators = [draw(indicator_mappings(f"G{g}.{i}")) for i in range(count)]
        groups.append(
            {
                "id": f"g{g}",
                "label": label(f"group {g}"),
                "max": sum(ind["max"] for ind in indicators),
                "indicators": indicators,
            }
        )
    max_score = sum(group["max"] for group in groups)
    if max_score == 0:  # a ruleset must be able to give some points
        groups[0]["indicators"][0]["items"][0] = {
            "id": "G0.0.bonus",
            "label": label("bonus"),
            "max": 1.0,
            "rule": {"kind": "boolean"},
        }
        groups[0]["indicators"][0]["max"] = sum(
            i["max"] for i in groups[0]["indicators"][0]["items"]
        )
        groups[0]["max"] = sum(ind["max"] for ind in groups[0]["indicators"])
        max_score = sum(group["max"] for group in groups)
    values = draw(st.lists(st.integers(0, 400).map(lambda n: n / 4), min_size=4, max_size=4))
    return {
        "id": "generated",
        "version": "1",
        "status": "illustrative",
        "source": "generated for a property test",
        "label": label("generated ruleset"),
        "max_score": max_score,
        "references": [
            {
                "id": "ref",
                "label": label("reference"),
                "source": "generated",
                "unit": "percent",
                "values": [
                    {"year": y, "value": v} for y, v in zip(SERIES_YEARS, values, strict=True)
                ],
            }
        ],
        "groups": groups,
        "tiers": draw(tier_scales(max_score)),
    }


rulesets = ruleset_mappings().map(RuleSet.from_mapping)


def _percent(unit: str, low: float, high: float) -> st.SearchStrategy[float]:
    if unit == "percent":
        low, high = max(low, 0.0), min(high, 100.0)
    edges = st.sampled_from(sorted({low, high}))
    return st.one_of(edges, st.floats(low, high, allow_nan=False))


#: The data years a generated answer carries unless told otherwise: those a 2025 round
#: accepts under the bundled rulesets (never after the round, at most 7 years older).
DATA_YEARS = (2018, 2025)


def _series_years(series: Any, window: tuple[int, int]) -> tuple[int, int]:
    """The reference years inside ``window`` (the whole series if the two do not meet)."""
    first, last = max(series.first_year, window[0]), min(series.last_year, window[1])
    return (first, last) if first <= last else (series.first_year, series.last_year)


def _plain_year(window: tuple[int, int]) -> st.SearchStrategy[int | None]:
    """No data year, or 2023 when the window holds it (else the window's nearest year)."""
    return st.none() | st.just(min(max(2023, window[0]), window[1]))


def _measurement(rule: Any, window: tuple[int, int]) -> st.SearchStrategy[kla.Measurement]:
    if isinstance(rule, ReferenceRule):
        series = rule.series
        years = st.integers(*_series_years(series, window))
        return years.flatmap(
            lambda year: st.builds(
                kla.Measurement,
                value=st.one_of(
                    st.just(series.point_for(year).value),
                    _percent(rule.unit, 0.0, 100.0),
                ),
                data_year=st.just(year),
            )
        )
    if isinstance(rule, BandsRule):
        edges = [band.min for band in rule.bands] + [rule.bands[-1].max]
        inner = _percent(rule.unit, rule.bands[0].min, rule.bands[-1].max)
        values = st.one_of(st.sampled_from(edges), inner)
        return st.builds(kla.Measurement, value=values, data_year=_plain_year(window))
    assert isinstance(rule, LinearRule)
    low, high = sorted((rule.start.value, rule.end.value))
    span = high - low
    return st.builds(
        kla.Measurement,
        value=_percent(rule.unit, low - span, high + span),
        data_year=_plain_year(window),
    )


def data_years(ruleset: RuleSet, year: int) -> tuple[int, int]:
    """The data years a round ``year`` of ``ruleset`` accepts (7 years when it sets no limit)."""
    age = 7 if ruleset.max_data_age is None else ruleset.max_data_age
    return (year - age, year)


def item_answers(item: kla.Item, window: tuple[int, int] = DATA_YEARS) -> st.SearchStrategy[Any]:
    """A valid answer to ``item``, as a value (``Measurement``, a tuple of ticks, ...), its
    data year (if any) inside ``window``, the years the round accepts.

    The one answer strategy of the test suite: values on and around band edges and equal
    to reference figures, where off-by-one mistakes live.
    """
    rule = item.rule
    if isinstance(rule, BooleanRule):
        return st.booleans()
    if isinstance(rule, LevelsRule):
        return st.sampled_from([level.id for level in rule.levels])
    if isinstance(rule, ChecklistRule):
        ids = [option.id for option in rule.options]
        return st.lists(st.sampled_from(ids), unique=True).map(tuple)
    return _measurement(rule, window)


def item_answer_data(item: kla.Item) -> st.SearchStrategy[Any]:
    """A valid answer to ``item`` as a submission file writes it."""
    return item_answers(item).map(answer_to_data)


REGION = {"code": "99.01", "name": "Kota Contoh", "kind": "kota", "province": "Provinsi Contoh"}


@st.composite
def submission_mappings(draw: st.DrawFn, ruleset: RuleSet) -> Mapping:
    """A valid submission for ``ruleset``: any subset of indicators, any valid answers."""
    answers: Mapping = {}
    for indicator in ruleset.indicators.values():
        if not draw(st.booleans()) and draw(st.booleans()):
            continue  # about a quarter of the indicators are left unanswered
        if len(indicator.items) == 1 and draw(st.booleans()):
            answers[indicator.id] = draw(item_answer_data(indicator.items[0]))
            continue
        chosen = draw(
            st.lists(st.sampled_from(indicator.items), unique_by=lambda i: i.id, min_size=1)
        )
        answers[indicator.id] = {"items": {i.id: draw(item_answer_data(i)) for i in chosen}}
    return {"region": dict(REGION), "year": 2025, "answers": answers}


@st.composite
def ruleset_and_submission(draw: st.DrawFn) -> tuple[RuleSet, Mapping, Mapping]:
    """A generated ruleset, its rule-file mapping, and a valid submission mapping for it."""
    mapping = draw(ruleset_mappings())
    ruleset = RuleSet.from_mapping(mapping)
    return ruleset, mapping, draw(submission_mappings(ruleset))
