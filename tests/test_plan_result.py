"""Plan, Step and ConditionGap: a plan as data, text and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import kla_model as kla

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"


def _plan(*args: Any, **kwargs: Any) -> kla.Plan:
    """A plan from the self-assessment: the example's answers as declared."""
    return kla.plan(*args, stage="self_assessment", **kwargs)


@pytest.fixture(scope="module")
def two_steps() -> kla.Plan:
    ruleset = kla.load_ruleset("perpres-25-2021")
    return _plan(ruleset, kla.load_submission(EXAMPLE), fixed=["II.1"])


def test_totals_of_the_steps(two_steps: kla.Plan) -> None:
    assert [(s.cost, s.changes, s.gain) for s in two_steps.steps] == [
        (1.0, 1, 22.5),
        (1.0, 1, 17.5),
    ]
    assert (two_steps.cost, two_steps.changes, two_steps.gain) == (2.0, 2, 40.0)
    assert two_steps.answers() == {
        "IV.1.1": {"value": 90.0, "data_year": 2023},
        "V.4.1": {"value": 90.0, "data_year": 2023},
    }


def test_lines_show_both_languages_or_one(two_steps: kla.Plan) -> None:
    both = two_steps.lines()[2:]  # after the ruleset's sentence in both languages
    assert two_steps.lines()[0].startswith("Aturan: perpres-25-2021 versi 2025.1 (sementara:")
    assert both[0].startswith("Dari total 763,25")
    assert both[1].startswith("From a total of 763.25")
    assert both[2] == "Ditetapkan tetap (fixed), sehingga rencana ini tidak mengubahnya: II.1."
    assert both[3] == "Held fixed, so this plan leaves them unchanged: II.1."
    both = both[2:]
    assert both[2] == (
        " 1. IV.1 Persentase PAUD holistik integratif: naikkan dari 73,5% menjadi 90% "
        "(rentang 90–100%): +22,50 poin (22,50 → 45,00)."
    )
    assert both[3] == (
        "    IV.1 % holistic-integrative early-childhood services: raise from 73.5% to 90% "
        "(band 90–100%): +22.50 points (22.50 → 45.00)."
    )
    english = two_steps.lines("en")
    assert len(english) == 5  # the ruleset, the way, what is held fixed, two steps
    assert english[4].startswith(" 2. V.4 % of disabled")
    with pytest.raises(kla.KlaError, match="lang: expected 'id'"):
        two_steps.lines("jv")


def test_to_dict_is_json(two_steps: kla.Plan) -> None:
    data = json.loads(json.dumps(two_steps.to_dict()))
    assert data["reachable"] is True
    assert (data["tier"], data["target"]["id"], data["new_tier"]) == ("nindya", "utama", "utama")
    assert (data["cost"], data["changes"], data["gain"], data["new_total"]) == (
        2.0,
        2,
        40.0,
        803.25,
    )
    assert data["steps"][0] == {
        "indicator": "IV.1",
        "item": "IV.1.1",
        "label": {
            "id": "Persentase PAUD holistik integratif",
            "en": "% holistic-integrative early-childhood services",
        },
        "kind": "bands",
        "before": {"value": 73.5, "data_year": 2023},
        "after": {"value": 90.0, "data_year": 2023},
        "points_before": 22.5,
        "points_after": 45.0,
        "gain": 22.5,
        "cost": 1.0,
        "changes": 1,
        "sentence": {
            "id": "IV.1 Persentase PAUD holistik integratif: naikkan dari 73,5% menjadi 90% "
            "(rentang 90–100%): +22,50 poin (22,50 → 45,00).",
            "en": "IV.1 % holistic-integrative early-childhood services: raise from 73.5% to "
            "90% (band 90–100%): +22.50 points (22.50 → 45.00).",
        },
    }
    assert (data["short_by"], data["blocked_by_fixed"], data["conditions"]) == (0.0, False, [])


def test_condition_gap() -> None:
    tier = kla.Tier("utama", kla.Label(id="Utama", en="Top"), 90.0, True)
    gap = kla.ConditionGap(kla.Condition("indicator", "A.1", 28.0), tier, 9.0, 20.0)
    assert gap.short_by == 8.0
    assert gap.to_dict() == {
        "scope": "indicator",
        "id": "A.1",
        "min_points": 28.0,
        "tier": "utama",
        "points": 9.0,
        "best": 20.0,
        "short_by": 8.0,
    }
