"""Checking a submission against a ruleset without scoring it."""

from __future__ import annotations

from typing import Any

import pytest

import kla_model as kla
from kla_model import Submission, check

REGION = {"code": "1", "name": "Kota Uji", "kind": "kota", "province": "P"}


def _sub(answers: dict[str, Any]) -> Submission:
    return Submission.from_mapping(
        {"region": REGION, "year": 2025, "answers": answers}, source="u.yaml"
    )


def test_the_example_fits_the_bundled_ruleset(bundled: kla.RuleSet, example: Submission) -> None:
    assert check(bundled, example) == ()


def test_a_single_answer_to_a_many_item_indicator_is_refused(bundled: kla.RuleSet) -> None:
    (problem,) = check(bundled, _sub({"K.1": True}))
    assert str(problem) == (
        'u.yaml: $.answers["K.1"]: expected {items: {...}} with answers for the items '
        "K.1.1, K.1.2, K.1.3, K.1.4; found a single answer"
    )


def test_checklist_and_levels_problems_name_the_item(bundled: kla.RuleSet) -> None:
    problems = [
        str(p)
        for p in check(
            bundled,
            _sub(
                {
                    "K.1": {"items": {"K.1.2": "perda-kla", "K.1.4": ["forum-anak", "sekolah"]}},
                    "III.6": {"items": {"III.6.1": ["perda"]}},
                }
            ),
        )
    ]
    assert problems == [
        'u.yaml: $.answers["K.1"].items["K.1.2"]: K.1.2: expected one of the levels none, perkada, '
        "perda; found 'perda-kla' (did you mean 'perda'?)",
        'u.yaml: $.answers["K.1"].items["K.1.4"]: K.1.4: expected option ids from forum-anak, '
        "konsultasi-publik, masukan-tercatat; found 'sekolah'",
        'u.yaml: $.answers["III.6"].items["III.6.1"]: III.6.1: expected one of the levels none, '
        'perkada, perda; found ["perda"]',
    ]


def test_check_does_not_raise_and_score_raises_the_same_problems(bundled: kla.RuleSet) -> None:
    sub = _sub({"I.1": {"value": -1, "data_year": 2024}})
    problems = check(bundled, sub)
    assert len(problems) == 1
    with pytest.raises(kla.SubmissionError) as raised:
        kla.score(bundled, sub)
    assert raised.value.problems == problems
