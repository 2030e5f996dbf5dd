"""``rules/points.py``: decimals read as written, exact sums, proportional rounding; and the
examples of issue 15 as regression tests."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import kla_model as kla
from kla_model.rules.point_rules import Anchor, LinearRule
from kla_model.rules.points import (
    MAX_DECIMALS,
    Resolution,
    as_fraction,
    decimal_places,
    decimal_sum,
    difference,
    rounded,
)

HERE = Path(__file__).resolve().parent
DECIMALS = kla.load_ruleset(HERE / "rulesets" / "decimals.yaml")
REGION = {"code": "99.01", "name": "Kota Uji", "kind": "kota", "province": "Uji"}


def _label(text: str) -> dict[str, str]:
    return {"id": text, "en": text}


def _booleans(weights: list[float], threshold: float, inclusive: bool) -> kla.RuleSet:
    """One yes/no indicator per weight, in one group, and a single tier."""
    total = decimal_sum(weights)
    indicators = [
        {
            "id": f"A.{n}",
            "label": _label(f"A.{n}"),
            "type": "inst",
            "source": "test",
            "max": weight,
            "items": [
                {"id": f"A.{n}.1", "label": _label("x"), "max": weight, "rule": {"kind": "boolean"}}
            ],
        }
        for n, weight in enumerate(weights, start=1)
    ]
    return kla.RuleSet.from_mapping(
        {
            "id": "t",
            "version": "1",
            "status": "illustrative",
            "source": "test",
            "label": _label("t"),
            "max_score": total,
            "groups": [{"id": "g", "label": _label("g"), "max": total, "indicators": indicators}],
            "tiers": {
                "scale": [
                    {"id": "t", "label": _label("T"), "min": threshold, "min_inclusive": inclusive}
                ]
            },
        }
    )


def _submission(answers: dict[str, Any]) -> kla.Submission:
    return kla.Submission.from_mapping({"region": REGION, "year": 2025, "answers": answers})


def test_numbers_mean_the_decimals_written() -> None:
    assert as_fraction(0.1) == Fraction(1, 10)
    assert as_fraction(7) == 7
    assert decimal_places(6.7) == 1
    assert decimal_places(2.50) == 1
    assert decimal_places(1e-07) == 7
    assert decimal_places(1000) == 0
    assert decimal_sum([0.1, 0.2]) == 0.3
    assert difference(600, 599.7) == 0.3


def test_proportional_points_round_half_to_even_to_hundredths() -> None:
    assert rounded(Fraction(2005, 1000)) == 2.0
    assert rounded(Fraction(2015, 1000)) == 2.02
    assert rounded(Fraction(1, 3)) == 0.33
    rule = LinearRule("percent", Anchor(0, 0), Anchor(100, 1))
    assert rule.apply(kla.Measurement(0.5)).points == 0.0  # 0.005: half to even
    assert rule.apply(kla.Measurement(1.5)).points == 0.02  # 0.015
    assert rule.apply(kla.Measurement(33.3)).points == 0.33
    fine = LinearRule("percent", Anchor(0, 0), Anchor(100, 2.006))
    assert fine.apply(kla.Measurement(100)).points == 2.006  # never rounded past an anchor


def test_a_resolution_adds_exactly() -> None:
    tenths = Resolution.of([6.7, 19.0, 31.0, 32.1, 29.8, 31.1], terms=6, largest=149.7)
    assert (tenths.decimals, tenths.dyadic) == (2, False)
    assert tenths.add([6.7, 19.0, 31.0, 32.1, 29.8, 31.1]) == 149.7
    assert tenths.snap(0.1 + 0.2) == 0.3
    assert tenths.subtract(149.7, 56.7) == 93.0
    quarters = Resolution.of([0.25, 1.5, 600], terms=3, largest=1000)
    assert quarters.dyadic
    with pytest.raises(ValueError, match=r"expected at most 6 decimal places; found 1e-07"):
        Resolution.of([1e-07], terms=1, largest=1)
    with pytest.raises(ValueError, match="expected totals that 6 decimal places hold exactly"):
        Resolution.of([0.000001], terms=1000, largest=1e9)


def test_a_rule_file_with_too_fine_a_number_is_refused_where_it_is() -> None:
    ruleset = DECIMALS.to_dict()
    ruleset["groups"][1]["indicators"][1]["items"][0]["max"] = 31.1000001
    with pytest.raises(kla.RuleSetError) as raised:
        kla.RuleSet.from_mapping(ruleset, "decimals.yaml")
    assert (
        f"decimals.yaml: $.groups[1].indicators[1].items[0].max: expected at most {MAX_DECIMALS} "
        "decimal places; found 31.1000001"
    ) in str(raised.value)


# --- issue 15's examples -------------------------------------------------------------------


def test_149_7_is_149_7_and_does_not_clear_a_strict_149_7() -> None:
    """6.7, 19 and 31 in one indicator, 32.1 and 29.8 in a second, 31.1 in a third."""
    card = kla.score(
        DECIMALS,
        _submission(
            {
                "A.1": {"items": {"A.1.1": True, "A.1.2": True, "A.1.3": True}},
                "B.1": {"items": {"B.1.1": True, "B.1.2": "all"}},
                "C.1": True,
            }
        ),
    )
    assert card.total == 149.7
    assert repr(card.total) == "149.7"  # was 149.70000000000002
    assert card.tier is not None and card.tier.id == "dasar"  # not madya (> 149.7)
    assert card.points_to_next_tier == 0.0
    assert json.dumps(card.to_dict()["total"]) == "149.7"
    again = kla.ScoreCard.from_dict(json.loads(json.dumps(card.to_dict())))
    assert again == card
    assert again.total == 149.7


@pytest.mark.parametrize(
    ("weights", "total"),
    [([27.1, 13.0, 51.7], 91.8), ([22.4, 10.6, 50.9], 83.9), ([74.8, 83.1, 24.4], 182.3)],
)
def test_random_one_decimal_weights_add_up_exactly(weights: list[float], total: float) -> None:
    """Three items of one indicator: as binary floats the sums were 91.80000000000001,
    83.89999999999999 and 182.29999999999998."""
    ruleset = DECIMALS.to_dict()
    items = ruleset["groups"][0]["indicators"][0]["items"]
    for item, weight in zip(items, weights, strict=True):
        item["max"] = weight
    ruleset["groups"][0]["indicators"][0]["max"] = total
    group_max = decimal_sum([total, 61.9, 31.1])
    ruleset["groups"][0]["max"] = group_max
    ruleset["max_score"] = decimal_sum([group_max, 1.3])
    ruleset["tiers"]["scale"] = [
        {"id": "t", "label": _label("T"), "min": total, "min_inclusive": False}
    ]
    rules = kla.RuleSet.from_mapping(ruleset)
    answers = {"A.1": {"items": {"A.1.1": True, "A.1.2": True, "A.1.3": True}}}
    card = kla.score(rules, _submission(answers))
    assert repr(card.total) == repr(total)
    assert card.tier is None  # a total equal to a strict threshold does not clear it


def test_plan_does_not_take_0_9_plus_0_1_for_more_than_1() -> None:
    """Items 0.9, 0.1 and 2.0 (the last dear), a tier needing > 1.0, 0.9 answered: adding 0.1
    gives exactly 1.0, not more than 1.0.  The plan used to offer it (cost 1, new total 1.0,
    no tier); it must answer the 2.0 item."""
    ruleset = _booleans([0.9, 0.1, 2.0], 1.0, inclusive=False)
    submission = _submission({"A.1": True, "A.2": False, "A.3": False})
    result = kla.plan(ruleset, submission, target="t", cost={"A.3": 5})
    assert result.reachable is True
    assert result.cost == 5
    assert [step.item for step in result.steps] == ["A.3.1"]
    assert result.new_total == 2.9
    assert result.new_tier is not None and result.new_tier.id == "t"


def test_plan_finds_0_1_plus_0_2_plus_0_7_for_at_least_1() -> None:
    """Items 0.1, 0.2, 0.7 and 1.0, a tier needing >= 1.0, the 1.0 item dear: the three small
    items add up to exactly 1.0 and are the cheaper plan."""
    ruleset = _booleans([0.1, 0.2, 0.7, 1.0], 1.0, inclusive=True)
    submission = _submission({})
    result = kla.plan(ruleset, submission, target="t", cost={"A.4": 5})
    assert result.reachable is True
    assert result.cost == 3
    assert sorted(step.item for step in result.steps) == ["A.1.1", "A.2.1", "A.3.1"]
    assert result.new_total == 1.0
    assert result.new_tier is not None and result.new_tier.id == "t"
