"""sensitivity(): margins, room per indicator, and the weights that would move the tier."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from plan_strategies import ruleset_data, submission_data
from profiles import examples

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"


@pytest.fixture(scope="module")
def tangerang() -> kla.ScoreCard:
    """The example district's card at its self-assessment (its answers as declared)."""
    ruleset = kla.load_ruleset("perpres-25-2021")
    return kla.score(ruleset, kla.load_submission(EXAMPLE), stage="self_assessment")


def test_margins_and_room_of_the_example(tangerang: kla.ScoreCard) -> None:
    result = kla.sensitivity(tangerang)
    assert (result.margin_above, result.margin_below) == (63.25, 36.75)
    rooms = {room.id: room.available for room in result.rooms}
    assert rooms["II.1"] == 52.0
    assert rooms["I.1"] == 0.0
    assert sum(rooms.values()) == 1000 - 763.25
    assert result.shifts == ()
    assert result.sentences("en") == [
        "The total 763.25 is 63.25 above the threshold of Nindya (third tier), total > 700, "
        "and 36.75 below that of Utama (fourth tier), total > 800.",
        "No single weight changed by ±10% changes the tier.",
    ]
    assert result.sentences("id")[0] == (
        "Total 763,25 berada 63,25 di atas ambang Nindya, total > 700, dan 36,75 di bawah "
        "ambang Utama, total > 800."
    )


def test_a_larger_change_finds_the_weight_that_moves_the_tier(tangerang: kla.ScoreCard) -> None:
    result = kla.sensitivity(tangerang, change=0.5)
    assert [(s.indicator, s.factor, s.total) for s in result.shifts] == [("K.1", 1.5, 808.75)]
    assert result.shifts[0].tier is not None
    assert result.shifts[0].tier.id == "utama"
    assert result.sentences("en")[1] == (
        "Weight of K.1 +50% (max 96 → 144): total 763.25 → 808.75, "
        "tier Nindya (third tier) → Utama (fourth tier)."
    )
    data = json.loads(json.dumps(result.to_dict()))
    assert data["shifts"] == [
        {
            "indicator": "K.1",
            "label": {
                "id": "Tersedia Peraturan Daerah tentang KLA",
                "en": "A regional regulation (Perda) on KLA",
            },
            "factor": 1.5,
            "max": 144.0,
            "total": 808.75,
            "tier": "utama",
        }
    ]


@pytest.mark.parametrize("change", [0, 1, -0.1, 2])
def test_a_change_outside_zero_and_one(tangerang: kla.ScoreCard, change: float) -> None:
    with pytest.raises(kla.KlaError, match="change: expected a fraction between 0 and 1"):
        kla.sensitivity(tangerang, change=change)


def _scaled(data: dict[str, Any], indicator_id: str, factor: float) -> dict[str, Any]:
    """The ruleset data with one indicator's weight (max and every point) scaled."""
    data = copy.deepcopy(data)
    for group in data["groups"]:
        for indicator in group["indicators"]:
            if indicator["id"] != indicator_id:
                continue
            for item in indicator["items"]:
                item["max"] *= factor
                rule = item["rule"]
                for field in ("levels", "options", "bands"):
                    for entry in rule.get(field, []):
                        entry["points"] *= factor
                if "cap" in rule:
                    rule["cap"] *= factor
                for end in ("from", "to"):
                    if end in rule:
                        rule[end]["points"] *= factor
                if rule["kind"] == "reference":
                    rule["points"] = {k: v * factor for k, v in rule["points"].items()}
            indicator["max"] *= factor
        group["max"] = sum(indicator["max"] for indicator in group["indicators"])
    data["max_score"] = sum(group["max"] for group in data["groups"])
    return data


@settings(max_examples=examples(150), deadline=None)
@given(st.data(), st.sampled_from([0.25, 0.5, 0.75]))
def test_weight_shifts_agree_with_rescoring_a_reweighted_ruleset(
    data: st.DataObject, change: float
) -> None:
    """A shift is listed exactly when scoring with that one weight scaled changes the tier,
    and the tier it names is the one rescoring gives."""
    ruleset_dict = data.draw(ruleset_data(conditions=True))
    ruleset = kla.RuleSet.from_mapping(ruleset_dict)
    submission_dict = data.draw(submission_data(ruleset_dict))
    card = kla.score(ruleset, kla.Submission.from_mapping(submission_dict))
    result = kla.sensitivity(card, change)
    listed = {(s.indicator, s.factor): s for s in result.shifts}
    for indicator in ruleset.indicators:
        for factor in (1 + change, 1 - change):
            refused = ""
            try:
                scaled = kla.RuleSet.from_mapping(_scaled(ruleset_dict, indicator, factor))
            except kla.RuleSetError as error:
                refused = str(error)
            if refused:
                # Scaled down, the ruleset can no longer reach a threshold or a condition:
                # the engine refuses it, so there is nothing to rescore with.
                assert "can reach" in refused or "expected at most" in refused
                continue
            rescored = kla.score(scaled, kla.Submission.from_mapping(submission_dict))
            shift = listed.get((indicator, factor))
            if shift is None:
                assert rescored.tier == card.tier
            else:
                assert shift.total == rescored.total
                assert shift.tier == rescored.tier != card.tier
