"""Rulesets with decimal weights (one to three decimal places), for the exactness properties.

Binary floats hold none of 0.1, 0.2, 6.7, 29.8 exactly, so these rulesets are where float
arithmetic would go wrong.  Each tier threshold is the exact sum of the maxima of some
items, so that a submission answering just those items lands on it exactly.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

Mapping = dict[str, Any]


def label(text: str) -> Mapping:
    return {"id": f"{text} (id)", "en": f"{text} (en)"}


def as_number(value: Fraction) -> float | int:
    """A decimal as a rule file would carry it: an int when whole, else the nearest float."""
    return int(value) if value.denominator == 1 else float(value)


def exact(number: float) -> Fraction:
    """The decimal a number stands for."""
    return Fraction(repr(number))


@st.composite
def _weight(draw: st.DrawFn, places: int, low: int = 1, high: int = 40) -> Fraction:
    units = 10**places
    return Fraction(draw(st.integers(low * units, high * units)), units)


@st.composite
def _rule(draw: st.DrawFn, places: int) -> tuple[Mapping, Fraction]:
    kind = draw(st.sampled_from(["boolean", "levels", "checklist", "bands", "linear"]))
    if kind == "boolean":
        top = draw(_weight(places))
        return {"kind": "boolean"}, top
    if kind == "levels":
        points = sorted(draw(st.lists(_weight(places), min_size=1, max_size=3, unique=True)))
        levels = [{"id": "none", "label": label("none"), "points": 0}]
        levels += [
            {"id": f"l{n}", "label": label(f"l{n}"), "points": as_number(p)}
            for n, p in enumerate(points)
        ]
        return {"kind": "levels", "levels": levels}, points[-1]
    if kind == "checklist":
        points = draw(st.lists(_weight(places, high=10), min_size=1, max_size=4))
        options = [
            {"id": f"o{n}", "label": label(f"o{n}"), "points": as_number(p)}
            for n, p in enumerate(points)
        ]
        rule: Mapping = {"kind": "checklist", "options": options}
        total = sum(points, Fraction(0))
        if len(points) > 1 and draw(st.booleans()):
            cap = draw(_weight(places, high=10).filter(lambda c: c < total))
            rule["cap"] = as_number(cap)
            total = cap
        return rule, total
    if kind == "bands":
        low, high = sorted(draw(st.lists(_weight(places), min_size=2, max_size=2, unique=True)))
        bands: list[Mapping] = [
            {"min": 0, "min_inclusive": True, "max": 50, "max_inclusive": False, "points": 0},
            {"min": 50, "min_inclusive": True, "max": 75, "max_inclusive": False},
            {"min": 75, "min_inclusive": True, "max": 100, "max_inclusive": True},
        ]
        bands[1]["points"], bands[2]["points"] = as_number(low), as_number(high)
        return {"kind": "bands", "unit": "percent", "bands": bands}, high
    top = draw(_weight(places))
    anchors = {"from": {"value": 20, "points": 0}, "to": {"value": 80, "points": as_number(top)}}
    return {"kind": "linear", "unit": "percent", **anchors}, top


@st.composite
def decimal_rulesets(draw: st.DrawFn, linear: bool = True) -> Mapping:
    """A ruleset mapping with weights of one to three decimal places, in several groups."""
    places = draw(st.integers(1, 3))
    groups: list[Mapping] = []
    maxima: list[Fraction] = []
    for g in range(draw(st.integers(1, 3))):
        indicators: list[Mapping] = []
        group_total = Fraction(0)
        for i in range(draw(st.integers(1, 3))):
            ident = f"G{g}.{i}"
            rules = draw(st.lists(_rule(places), min_size=1, max_size=3))
            if not linear:
                rules = [r for r in rules if r[0]["kind"] != "linear"] or [
                    ({"kind": "boolean"}, Fraction(1))
                ]
            items: list[Mapping] = []
            for n, (rule, top) in enumerate(rules, start=1):
                items.append(
                    {"id": f"{ident}.{n}", "label": label(ident), "max": as_number(top)}
                    | {"rule": rule}
                )
                maxima.append(top)
            total = sum((exact(item["max"]) for item in items), Fraction(0))
            group_total += total
            indicators.append(
                {
                    "id": ident,
                    "label": label(ident),
                    "type": "inst",
                    "source": "generated",
                    "max": as_number(total),
                    "items": items,
                }
            )
        groups.append(
            {"id": f"g{g}", "label": label(f"g{g}"), "max": as_number(group_total)}
            | {"indicators": indicators}
        )
    max_score = sum((exact(group["max"]) for group in groups), Fraction(0))
    # Thresholds at exact sums of some items' maxima: reachable exactly, ascending, distinct.
    sums = {
        sum((m for m, keep in zip(maxima, picks, strict=True) if keep), Fraction(0))
        for picks in draw(
            st.lists(
                st.lists(st.booleans(), min_size=len(maxima), max_size=len(maxima)), max_size=4
            )
        )
    }
    thresholds = sorted(s for s in sums if 0 < s < max_score) or [max_score / 2]
    scale = [
        {
            "id": f"t{n}",
            "label": label(f"t{n}"),
            "min": as_number(t),
            "min_inclusive": draw(st.booleans()),
        }
        for n, t in enumerate(thresholds)
    ]
    return {
        "id": "decimals",
        "version": "1",
        "status": "illustrative",
        "source": "generated for a property test",
        "label": label("decimals"),
        "max_score": as_number(max_score),
        "groups": groups,
        "tiers": {"scale": scale},
    }


@st.composite
def answers(draw: st.DrawFn, ruleset: Mapping) -> Mapping:
    """A submission mapping answering any subset of the indicators and items."""
    chosen: Mapping = {}
    for group in ruleset["groups"]:
        for indicator in group["indicators"]:
            if not draw(st.booleans()):
                continue
            items = {}
            for item in indicator["items"]:
                if draw(st.integers(0, 4)):
                    items[item["id"]] = draw(_answer(item["rule"]))
            chosen[indicator["id"]] = {"items": items}
    region = {"code": "99.01", "name": "Kota Uji", "kind": "kota", "province": "Uji"}
    return {"region": region, "year": 2025, "answers": chosen}


def _answer(rule: Mapping) -> st.SearchStrategy[Any]:
    kind = rule["kind"]
    if kind == "boolean":
        return st.booleans()
    if kind == "levels":
        return st.sampled_from([level["id"] for level in rule["levels"]])
    if kind == "checklist":
        ids = [option["id"] for option in rule["options"]]
        return st.lists(st.sampled_from(ids), unique=True)
    values = st.one_of(
        st.sampled_from([0, 20, 50, 75, 80, 100]),
        st.integers(0, 10_000).map(lambda n: n / 100),
    )
    return values.map(lambda v: {"value": v, "data_year": 2024})
