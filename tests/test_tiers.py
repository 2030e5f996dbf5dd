"""Tier scales: thresholds read both ways, conditions, eligibility, and the next tier."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kla_model import Condition, Label, Tier, TierScale

SCALE = TierScale(
    (
        Tier("pratama", Label("Pratama", "Pratama"), 500, True),
        Tier("madya", Label("Madya", "Madya"), 600, False),
        Tier("utama", Label("Utama", "Utama"), 800, False, (Condition("indicator", "I.1", 30),)),
    )
)


def test_inclusive_and_strict_thresholds() -> None:
    tiers = [SCALE.by_total(t) for t in (499.99, 500, 600, 600.01, 800.01)]
    assert [tier.id if tier else None for tier in tiers] == [
        None,
        "pratama",
        "pratama",
        "madya",
        "utama",
    ]
    assert SCALE.tiers[0].threshold == "≥ 500"
    assert SCALE.tiers[1].threshold == "> 600"


def test_above_walks_up_the_scale() -> None:
    pratama, madya, utama = SCALE.tiers
    assert SCALE.above(None) is pratama
    assert SCALE.above(pratama) is madya
    assert SCALE.above(utama) is None
    assert SCALE.get("madya") is madya
    with pytest.raises(KeyError):
        SCALE.get("nindya")


def test_a_failed_condition_blocks_the_tier_and_says_why() -> None:
    results = SCALE.eligibility(850, {("indicator", "I.1"): 20.0})
    assert [(r.tier.id, r.reached, r.points_short) for r in results] == [
        ("pratama", True, 0.0),
        ("madya", True, 0.0),
        ("utama", False, 0.0),
    ]
    (failed,) = results[2].failed
    assert (failed.condition.id, failed.points, failed.passed) == ("I.1", 20.0, False)
    assert results[2].to_dict()["failed"] == [
        {"scope": "indicator", "id": "I.1", "min_points": 30, "points": 20.0, "passed": False}
    ]


def test_a_tier_needs_every_tier_below_it() -> None:
    scale = TierScale(
        (
            Tier("a", Label("A", "A"), 10, True, (Condition("group", "g", 5),)),
            Tier("b", Label("B", "B"), 20, True),
        )
    )
    results = scale.eligibility(50, {("group", "g"): 1.0})
    assert [r.reached for r in results] == [False, False]
    assert results[1].failed == ()


@given(st.floats(0, 1000, allow_nan=False))
def test_by_total_is_the_highest_admitting_tier(total: float) -> None:
    admitted = [tier for tier in SCALE.tiers if tier.admits(total)]
    assert SCALE.by_total(total) == (admitted[-1] if admitted else None)


@given(st.floats(0, 1000, allow_nan=False), st.floats(0, 1000, allow_nan=False))
def test_a_higher_total_never_gets_a_lower_tier(a: float, b: float) -> None:
    low, high = sorted((a, b))
    rank = {None: -1} | {tier: i for i, tier in enumerate(SCALE.tiers)}
    assert rank[SCALE.by_total(low)] <= rank[SCALE.by_total(high)]


def test_an_unknown_condition_scope_is_refused() -> None:
    with pytest.raises(ValueError, match="'scope' must be in"):
        Condition("cluster", "x", 1)
