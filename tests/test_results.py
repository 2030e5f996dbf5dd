"""Score cards: JSON-safe output that validates against the shipped schema and round-trips."""

from __future__ import annotations

import json
import pickle
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings

import kla_model as kla
from kla_model import ScoreCard, Submission, score
from kla_model._base.json_schema import schema
from kla_model.scoring.card_json import card_json
from profiles import examples
from strategies import ruleset_and_submission

Mapping = dict[str, Any]
RESULT = jsonschema.Draft202012Validator(schema("result"))


@settings(max_examples=examples(150))
@given(ruleset_and_submission())
def test_to_dict_is_json_safe_valid_and_round_trips(
    case: tuple[kla.RuleSet, Mapping, Mapping],
) -> None:
    ruleset, _, submission = case
    card = score(ruleset, Submission.from_mapping(submission))
    data = card.to_dict()
    RESULT.validate(data)
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert ScoreCard.from_dict(data) == card
    assert ScoreCard.from_dict(json.loads(json.dumps(data))) == card


def test_example_card_names_its_ruleset_and_explains_each_item(
    example_card: ScoreCard, bundled: kla.RuleSet
) -> None:
    data = example_card.to_dict()
    assert data["ruleset"] == {
        "id": "perpres-25-2021",
        "version": "2025.1",
        "status": "provisional",
        "sha256": bundled.sha256,
    }
    i1 = example_card.indicators["I.1"].items[0]
    assert (i1.kind, i1.outcome, i1.points, i1.max) == ("bands", "scored", 40.0, 40.0)
    assert i1.input == {"value": 96.8, "data_year": 2024}
    assert i1.matched == {
        "band": 4,
        "interval": "[90, 100]",
        "points": 40.0,
        "unit": "percent",
        "bounds": {"min": 90.0, "min_inclusive": True, "max": 100.0, "max_inclusive": True},
        "next": None,
    }
    iv1 = example_card.indicators["IV.1"].items[0]
    assert iv1.matched["next"] == {
        "min": 75.0,
        "min_inclusive": True,
        "max": 90.0,
        "max_inclusive": False,
        "points": 33.75,
        "above": True,
        "onward": False,
    }
    stunting = example_card.indicators["III.2"].items[0]
    assert stunting.matched == {
        "series": "stunting",
        "reference_year": 2023,
        "reference_value": 21.5,
        "direction": "lower_is_better",
        "comparison": "better",
        "unit": "percent",
        "series_label": {
            "id": "Prevalensi stunting balita (nasional)",
            "en": "Under-5 stunting prevalence (national)",
        },
        "points": {"better": 35.0, "equal": 17.5, "worse": 0.0},
    }
    assert sum(1 for _ in example_card.trace()) == 53


def test_missing_indicators_are_listed_not_errors(
    bundled: kla.RuleSet, example: Submission
) -> None:
    data = {key: value for key, value in example.to_dict().items() if key != "verification"}
    del data["answers"]["V.5"], data["answers"]["I.1"]
    card = score(bundled, Submission.from_mapping(data), stage="self_assessment")
    assert card.missing == ("I.1", "V.5")
    assert card.to_dict()["missing"] == ["I.1", "V.5"]
    assert card.total == pytest.approx(763.25 - 40 - 25)
    assert [item.outcome for item in card.indicators["V.5"].items] == ["missing"] * 3


def test_card_reports_eligibility_for_every_tier(example_card: ScoreCard) -> None:
    summary = [(e.tier.id, e.reached, e.points_short) for e in example_card.eligibility]
    assert summary == [
        ("pratama", True, 0.0),
        ("madya", True, 0.0),
        ("nindya", True, 0.0),
        ("utama", False, 36.75),
        ("kla", False, 136.75),
    ]
    assert str(example_card.tier_label) == "Nindya / Nindya (third tier)"


def test_a_card_builds_its_trace_when_read_and_is_the_same_card() -> None:
    """score() computes points first and the trace on first read of ``groups``; the card
    equals one built at once (from_dict), pickles with its groups, and reads the same."""
    ruleset = kla.load_ruleset("perpres-25-2021")
    loaded = kla.load_submission("examples/kota-tangerang-2025.yaml")
    declared = kla.Submission(loaded.region, loaded.year, loaded.answers)
    card = kla.score(ruleset, declared)
    assert callable(card._groups)  # not built yet
    written = card_json(card)
    assert callable(card._groups)  # the JSON is written straight from the answers
    again = kla.ScoreCard.from_dict(card.to_dict())
    assert not callable(card._groups)  # to_dict() is the records' own: made once, then kept
    assert card.groups == again.groups
    assert card_json(again) == written  # the same text from the records
    assert card == again
    lazy = kla.score(ruleset, declared)
    assert lazy == card  # a card whose trace is not made yet equals one whose trace is
    assert card == lazy
    assert callable(lazy._groups)  # comparing did not keep what it made
    assert pickle.loads(pickle.dumps(lazy)) == card
    assert sum(group.points for group in lazy.groups) == card.total == 763.25
