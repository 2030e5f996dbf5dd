"""Hypothesis strategies for small generated rulesets, submissions and costs.

Every number is a multiple of 1/4 (and a linear rule spans 16, 32 or 64 units of value),
so every sum the engine makes is exact in floating point: a brute-force search and the
planner then see exactly the same totals, even right at a threshold.
"""

from __future__ import annotations

from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from kla_model import Costs, Plan, RuleSet, ScoreCard, Submission, plan, score

QUARTERS = st.integers(min_value=0, max_value=40).map(lambda n: n / 4)
POSITIVE = st.integers(min_value=1, max_value=40).map(lambda n: n / 4)
YEARS = (2020, 2021, 2022, 2023)


def _label(text: str) -> dict[str, str]:
    return {"id": f"{text} (id)", "en": f"{text} (en)"}


def _options(draw: st.DrawFn, prefix: str, low: int, high: int) -> list[dict[str, Any]]:
    points = draw(st.lists(QUARTERS, min_size=low, max_size=high))
    return [
        {"id": f"{prefix}{n}", "label": _label(f"{prefix}{n}"), "points": p}
        for n, p in enumerate(points)
    ]


@st.composite
def _bands(draw: st.DrawFn) -> dict[str, Any]:
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=99), min_size=1, max_size=3)))
    ends = [0, *cuts, 100]
    upper_side = draw(st.lists(st.booleans(), min_size=len(cuts), max_size=len(cuts)))
    bands = []
    for n in range(len(ends) - 1):
        bands.append(
            {
                "min": ends[n],
                "min_inclusive": n == 0 or not upper_side[n - 1],
                "max": ends[n + 1],
                "max_inclusive": n == len(ends) - 2 or upper_side[n],
                "points": draw(QUARTERS),
            }
        )
    return {"kind": "bands", "unit": "percent", "bands": bands}


@st.composite
def _linear(draw: st.DrawFn) -> dict[str, Any]:
    span = draw(st.sampled_from([16, 32, 64]))
    start = draw(st.integers(min_value=0, max_value=100 - span))
    low, high = start, start + span
    if draw(st.booleans()):
        low, high = high, low  # decreasing values earn more
    return {
        "kind": "linear",
        "unit": "percent",
        "from": {"value": low, "points": draw(QUARTERS)},
        "to": {"value": high, "points": draw(QUARTERS)},
    }


@st.composite
def _reference(draw: st.DrawFn) -> dict[str, Any]:
    points = sorted(draw(st.lists(QUARTERS, min_size=3, max_size=3)), reverse=True)
    return {
        "kind": "reference",
        "unit": "percent",
        "series": "ref",
        "direction": draw(st.sampled_from(["lower_is_better", "higher_is_better"])),
        "points": dict(zip(("better", "equal", "worse"), points, strict=True)),
    }


def _rule_max(rule: dict[str, Any]) -> float:
    kind = rule["kind"]
    if kind == "levels":
        found = max(level["points"] for level in rule["levels"])
    elif kind == "checklist":
        total = sum(option["points"] for option in rule["options"])
        found = total if "cap" not in rule else min(total, rule["cap"])
    elif kind == "bands":
        found = max(band["points"] for band in rule["bands"])
    elif kind == "linear":
        found = max(rule["from"]["points"], rule["to"]["points"])
    else:
        found = max(rule["points"].values())
    return float(found)


@st.composite
def _item(draw: st.DrawFn, item_id: str, kinds: tuple[str, ...]) -> dict[str, Any]:
    kind = draw(st.sampled_from(kinds))
    if kind == "boolean":
        return {
            "id": item_id,
            "label": _label(item_id),
            "max": draw(POSITIVE),
            "rule": {"kind": "boolean"},
        }
    if kind == "levels":
        rule: dict[str, Any] = {"kind": "levels", "levels": _options(draw, "l", 2, 4)}
    elif kind == "checklist":
        rule = {"kind": "checklist", "options": _options(draw, "o", 1, 3)}
        total = sum(option["points"] for option in rule["options"])
        if total > 0 and draw(st.booleans()):
            rule["cap"] = draw(
                st.integers(min_value=1, max_value=int(total * 4)).map(lambda n: n / 4)
            )
    elif kind == "bands":
        rule = draw(_bands())
    elif kind == "linear":
        rule = draw(_linear())
    else:
        rule = draw(_reference())
    return {"id": item_id, "label": _label(item_id), "max": _rule_max(rule), "rule": rule}


@st.composite
def _tiers(
    draw: st.DrawFn, groups: list[dict[str, Any]], max_score: float, conditions: bool
) -> dict[str, Any]:
    quarters = int(max_score * 4)
    count = draw(st.integers(min_value=1, max_value=3))
    ranked = sorted(
        draw(
            st.sets(
                st.tuples(st.integers(min_value=0, max_value=quarters), st.booleans()),
                min_size=count,
                max_size=count,
            )
        ),
        key=lambda entry: (entry[0], not entry[1]),
    )
    scopes = [("group", g["id"], g["max"]) for g in groups] + [
        ("indicator", i["id"], i["max"]) for g in groups for i in g["indicators"]
    ]
    scale = []
    for n, (quarter, drawn_inclusive) in enumerate(ranked):
        # A threshold no total can pass is refused by the ruleset.
        inclusive = drawn_inclusive or quarter == quarters
        tier: dict[str, Any] = {
            "id": f"t{n}",
            "label": _label(f"t{n}"),
            "min": quarter / 4,
            "min_inclusive": inclusive,
        }
        if conditions and draw(st.integers(min_value=0, max_value=3)):
            scope, scope_id, most = draw(st.sampled_from(scopes))
            share = draw(st.integers(min_value=0, max_value=int(most * 4)))
            tier["requires"] = [{"scope": scope, "id": scope_id, "min_points": share / 4}]
        scale.append(tier)
    # Thresholds must rise; an inclusive and an exclusive threshold at one value are in order.
    deduped, seen = [], set()
    for tier in scale:
        key = (tier["min"], tier["min_inclusive"])
        if key not in seen:
            seen.add(key)
            deduped.append(tier)
    return {"scale": deduped}


KINDS = ("boolean", "levels", "checklist", "bands", "linear", "reference")


@st.composite
def ruleset_data(
    draw: st.DrawFn,
    max_items: int = 5,
    conditions: bool = False,
    kinds: tuple[str, ...] = KINDS,
    min_items: int = 1,
) -> dict[str, Any]:
    """A valid ruleset mapping with ``min_items`` to ``max_items`` items in one or two groups.

    With ``conditions``, most tiers require minimum points of an indicator or a group.
    """
    item_count = draw(st.integers(min_value=min_items, max_value=max_items))
    group_count = draw(st.integers(min_value=1, max_value=min(2, item_count)))
    # Deal the items over indicators (one or two items each) and the indicators over groups.
    sizes: list[int] = []
    left = item_count
    while left:
        size = draw(st.integers(min_value=1, max_value=min(2, left)))
        sizes.append(size)
        left -= size
    group_count = min(group_count, len(sizes))
    groups: list[dict[str, Any]] = [
        {"id": f"g{g}", "label": _label(f"g{g}"), "indicators": []} for g in range(group_count)
    ]
    for n, size in enumerate(sizes):
        indicator_id = f"I.{n + 1}"
        items = [draw(_item(f"{indicator_id}.{k + 1}", kinds)) for k in range(size)]
        indicator = {
            "id": indicator_id,
            "label": _label(indicator_id),
            "type": "pct",
            "source": "generated",
            "max": sum(item["max"] for item in items),
            "items": items,
        }
        groups[n % group_count]["indicators"].append(indicator)
    for group in groups:
        group["max"] = sum(indicator["max"] for indicator in group["indicators"])
    max_score = sum(group["max"] for group in groups)
    if max_score == 0:  # a ruleset needs something to score
        first = groups[0]["indicators"][0]
        first["items"][0] = {
            "id": first["items"][0]["id"],
            "label": _label("b"),
            "max": 1.0,
            "rule": {"kind": "boolean"},
        }
        first["max"] = sum(item["max"] for item in first["items"])
        groups[0]["max"] = sum(indicator["max"] for indicator in groups[0]["indicators"])
        max_score = sum(group["max"] for group in groups)
    reference_values = draw(
        st.lists(st.integers(min_value=0, max_value=400), min_size=4, max_size=4)
    )
    return {
        "id": "generated",
        "version": "1",
        "status": "illustrative",
        "source": "generated for a test",
        "label": _label("generated"),
        "max_score": max_score,
        "references": [
            {
                "id": "ref",
                "label": _label("ref"),
                "source": "generated",
                "unit": "percent",
                "values": [
                    {"year": year, "value": value / 4}
                    for year, value in zip(YEARS, reference_values, strict=True)
                ],
            }
        ],
        "groups": groups,
        "tiers": draw(_tiers(groups, max_score, conditions)),
    }


def _item_answer(draw: st.DrawFn, rule: dict[str, Any]) -> Any:
    kind = rule["kind"]
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "levels":
        return draw(st.sampled_from([level["id"] for level in rule["levels"]]))
    if kind == "checklist":
        ids = [option["id"] for option in rule["options"]]
        return sorted(draw(st.sets(st.sampled_from(ids))))
    if kind == "bands":
        edges = [band["min"] for band in rule["bands"]] + [100]
        value = draw(
            st.one_of(
                st.sampled_from(edges), st.integers(min_value=0, max_value=400).map(lambda n: n / 4)
            )
        )
        return {"value": value, "data_year": draw(st.sampled_from(YEARS))}
    if kind == "linear":
        return {"value": draw(st.integers(min_value=0, max_value=100)), "data_year": 2023}
    answer: dict[str, Any] = {"value": draw(st.integers(min_value=0, max_value=400)) / 4}
    answer["data_year"] = draw(st.sampled_from(YEARS))
    return answer


@st.composite
def submission_data(draw: st.DrawFn, ruleset: dict[str, Any]) -> dict[str, Any]:
    """A valid submission for ``ruleset``: some indicators and items left unanswered."""
    answers: dict[str, Any] = {}
    for group in ruleset["groups"]:
        for indicator in group["indicators"]:
            if not draw(st.integers(min_value=0, max_value=5)):
                continue  # unanswered
            items = {
                item["id"]: _item_answer(draw, item["rule"])
                for item in indicator["items"]
                if draw(st.integers(min_value=0, max_value=5))
            }
            if len(indicator["items"]) == 1 and items:
                answers[indicator["id"]] = next(iter(items.values()))
            elif items:
                answers[indicator["id"]] = {"items": items}
    return {
        "region": {"code": "00.00", "name": "Kota Contoh", "kind": "kota", "province": "Contoh"},
        "year": 2024,
        "answers": answers,
    }


@st.composite
def cost_data(draw: st.DrawFn, ruleset: RuleSet) -> dict[str, Any]:
    """Costs in halves (0 included) for some items and indicators, and some fixed ids."""
    halves = st.integers(min_value=0, max_value=6).map(lambda n: n / 2)
    indicators = list(ruleset.indicators)
    items = list(ruleset.items)
    return {
        "default": draw(halves),
        "indicators": {i: draw(halves) for i in indicators if draw(st.booleans())},
        "items": {i: draw(halves) for i in items if draw(st.booleans())},
        "fixed": draw(st.lists(st.sampled_from([*indicators, *items]), max_size=2, unique=True)),
    }


@st.composite
def plans(draw: st.DrawFn, conditions: bool = True) -> tuple[Plan, ScoreCard]:
    """A plan on a generated ruleset, reachable or not, and the card it starts from."""
    data = draw(ruleset_data(max_items=5, conditions=conditions, min_items=2))
    ruleset = RuleSet.from_mapping(data)
    submission = Submission.from_mapping(draw(submission_data(data)))
    card = score(ruleset, submission)
    tiers = ruleset.tiers.tiers
    above = [t.id for t in tiers[(-1 if card.tier is None else tiers.index(card.tier)) + 1 :]]
    assume(above)
    target = draw(st.sampled_from(above))
    costs = Costs.from_mapping(draw(cost_data(ruleset)))
    return plan(ruleset, submission, target=target, cost=costs), card
