"""Fixtures shared by the test modules: the bundled ruleset and the example submission."""

from __future__ import annotations

from pathlib import Path

import pytest

import kla_model as kla
import profiles  # noqa: F401 (loads the Hypothesis profile before any test module)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"
TEST_RULESETS = Path(__file__).resolve().parent / "rulesets"


@pytest.fixture(scope="session")
def bundled() -> kla.RuleSet:
    return kla.load_ruleset("perpres-25-2021")


@pytest.fixture(scope="session")
def example() -> kla.Submission:
    return kla.load_submission(EXAMPLE)


@pytest.fixture(scope="session")
def example_card(bundled: kla.RuleSet, example: kla.Submission) -> kla.ScoreCard:
    """The example as the district declared it (its verification history comes later)."""
    return kla.score(bundled, example, stage="self_assessment")
