"""The benchmark's honest limit (``benchmarks/flat.py``), a flat function generated from the
ruleset file, gives ``score()``'s group points, total and tier on every answer form the
submission schema allows, read from a ``Submission`` and from the plain mapping."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from batch_strategies import FRACTIONAL, submissions
from kla_model.rules.tiers import TierScale
from kla_model.submissions.submission import answer_to_data
from profiles import examples

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from flat import flat_functions

BUNDLED = kla.load_ruleset("perpres-25-2021")
_FRACTIONAL = kla.load_ruleset(FRACTIONAL)
#: The fractional ruleset (tenths, a linear rule) without its must-pass condition.
FRACTIONAL_PLAIN = attrs.evolve(
    _FRACTIONAL,
    tiers=TierScale(
        tuple(attrs.evolve(tier, requires=()) for tier in _FRACTIONAL.tiers.tiers),
        _FRACTIONAL.tiers.none_label,
    ),
)
FUNCTIONS = {rs.id: flat_functions(rs) for rs in (BUNDLED, FRACTIONAL_PLAIN)}


def _mapping(submission: kla.Submission, spelled: st.DataObject) -> dict[str, Any]:
    """The submission as JSON gives it, with one-item indicators in either form and ticks
    sometimes repeated."""
    answers: dict[str, Any] = {}
    for indicator_id, answer in submission.answers.items():
        data = answer_to_data(answer)
        if isinstance(data, list) and data and spelled.draw(st.booleans()):
            data = [*data, data[0]]  # a tick listed twice counts once
        answers[indicator_id] = data
    region = submission.region.to_dict()
    return {"region": region, "year": submission.year, "answers": answers}


def _expected(ruleset: kla.RuleSet, submission: kla.Submission) -> tuple[Any, ...]:
    card = kla.score(ruleset, submission)
    tier = None if card.tier is None else card.tier.id
    return tuple(group.points for group in card.groups), card.total, tier


def _agree(ruleset: kla.RuleSet, submission: kla.Submission, data: st.DataObject) -> None:
    on_submission, on_dict = FUNCTIONS[ruleset.id]
    expected = _expected(ruleset, submission)
    assert on_submission(submission) == expected
    mapping = _mapping(submission, data)
    assert on_dict(mapping) == expected
    assert _expected(ruleset, kla.Submission.from_mapping(mapping)) == expected


@settings(max_examples=examples(400))
@given(submissions(BUNDLED), st.data())
def test_the_flat_function_equals_score_on_the_bundled_ruleset(
    submission: kla.Submission, data: st.DataObject
) -> None:
    _agree(BUNDLED, submission, data)


@settings(max_examples=examples(300))
@given(submissions(FRACTIONAL_PLAIN), st.data())
def test_the_flat_function_equals_score_with_tenths_and_a_linear_rule(
    submission: kla.Submission, data: st.DataObject
) -> None:
    _agree(FRACTIONAL_PLAIN, submission, data)


def test_both_forms_of_a_one_item_indicator() -> None:
    on_submission, on_dict = FUNCTIONS[BUNDLED.id]
    region = {"code": "1", "name": "x", "kind": "kota", "province": "y"}
    direct = {"region": region, "year": 2025, "answers": {"I.1": {"value": 80, "data_year": 2024}}}
    wrapped = {
        "region": region,
        "year": 2025,
        "answers": {"I.1": {"items": {"I.1.1": {"value": 80, "data_year": 2024}}}},
    }
    for data in (direct, wrapped):
        submission = kla.Submission.from_mapping(data)
        assert on_dict(data) == on_submission(submission) == _expected(BUNDLED, submission)
        assert on_dict(data)[1] == 30.0
