"""Fixtures shared by the test modules: the bundled ruleset, the example submission and the
HTTP service."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import kla_model as kla
import profiles  # noqa: F401 (loads the Hypothesis profile before any test module)

if TYPE_CHECKING:
    from starlette.applications import Starlette

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


@pytest.fixture(scope="session")
def service() -> Starlette:
    """The HTTP service with every bundled ruleset, made once (it is read-only)."""
    from kla_model.serve import create_app  # noqa: PLC0415 (the [serve] extra, on use)

    return create_app()
