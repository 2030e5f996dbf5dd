"""The illustrative village-level ruleset: the engine serves a Dekela-style assessment unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import kla_model as kla
from kla_model._base.json_schema import schema_problems

CASES = sorted((Path(__file__).parent / "cases" / "desa-kelurahan").glob("*.yaml"))


def _case(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return loaded


def test_the_village_ruleset_is_illustrative_with_its_own_scale() -> None:
    ruleset = kla.load_ruleset("desa-kelurahan")
    assert ruleset.status == "illustrative"
    assert ruleset.max_score == 100
    assert [tier.id for tier in ruleset.tiers.tiers] == ["berkembang", "maju", "layak-anak"]
    assert ruleset.applies_to is None
    assert "illustrat" in ruleset.source.lower()


def test_there_is_a_golden_case() -> None:
    assert [path.name for path in CASES] == ["desa-sukamaju-2025.yaml"]


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_golden_case(path: Path) -> None:
    case = _case(path)
    ruleset = kla.load_ruleset(case["ruleset"])
    submission = kla.Submission.from_mapping(case["submission"], source=str(path))
    card = kla.score(ruleset, submission)
    expected = case["expected"]
    assert card.total == pytest.approx(expected["total"])
    assert card.max_score == expected["max_score"]
    assert card.tier is not None
    assert card.tier.id == expected["tier"]
    assert card.next_tier is not None
    assert card.next_tier.id == expected["next_tier"]
    assert card.points_to_next_tier == pytest.approx(expected["points_to_next_tier"])
    assert {g.id: g.points for g in card.groups} == pytest.approx(expected["groups"])
    points = {i: score.points for i, score in card.indicators.items()}
    assert points == pytest.approx(expected["indicators"])
    assert card.region.kind == "desa"
    assert card.missing == ()


def test_a_village_card_is_a_valid_result() -> None:
    case = _case(CASES[0])
    card = kla.score(
        kla.load_ruleset("desa-kelurahan"), kla.Submission.from_mapping(case["submission"])
    )
    assert kla.ScoreCard.from_dict(card.to_dict()) == card
    assert schema_problems("result", card.to_dict(), "card") == []
