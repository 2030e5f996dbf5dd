"""Golden cases: each ``tests/cases/*.yaml`` names a ruleset, a submission and the literal
points per group, total, tier and way to the next tier a correct engine must give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import kla_model as kla

HERE = Path(__file__).resolve().parent
CASES = sorted((HERE / "cases").glob("*.yaml"))


def _ruleset(name: str) -> kla.RuleSet:
    return kla.load_ruleset(name if name in kla.bundled_rulesets() else HERE / name)


def _submission(case: dict[str, Any]) -> kla.Submission:
    if "submission_file" in case:
        return kla.load_submission(HERE / case["submission_file"])
    return kla.Submission.from_mapping(case["submission"])


def test_there_are_at_least_twenty_cases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_case(path: Path) -> None:
    case = yaml.safe_load(path.read_text("utf-8"))
    expect = case["expect"]
    card = kla.score(_ruleset(case["ruleset"]), _submission(case), stage=case.get("stage"))

    # Exactly: points are the decimals written, added exactly (docs/decisions.md).
    assert {g.id: g.points for g in card.groups} == expect["groups"]
    assert card.total == expect["total"]
    assert (card.tier and card.tier.id) == expect["tier"]
    assert (card.next_tier and card.next_tier.id) == expect["next_tier"]
    if expect["points_to_next_tier"] is None:
        assert card.points_to_next_tier is None
    else:
        assert card.points_to_next_tier == expect["points_to_next_tier"]
    for indicator_id, points in expect.get("indicators", {}).items():
        assert card.indicators[indicator_id].points == points
    if "missing" in expect:
        assert list(card.missing) == expect["missing"]
    if "failed" in expect:
        failed = {
            entry.tier.id: [f"{r.condition.scope} {r.condition.id}" for r in entry.failed]
            for entry in card.eligibility
            if entry.failed
        }
        assert failed == expect["failed"]
