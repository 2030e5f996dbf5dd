"""what_if() and compare(): rescoring changed answers and what changed."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model.analysis.whatif import changed_submission
from plan_strategies import ruleset_data, submission_data
from profiles import examples

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"


def _what_if(*args: Any, **kwargs: Any) -> kla.WhatIf:
    """A what-if at the self-assessment: the example's answers as declared."""
    return kla.what_if(*args, stage="self_assessment", **kwargs)


@pytest.fixture(scope="module")
def bundled() -> kla.RuleSet:
    return kla.load_ruleset("perpres-25-2021")


@pytest.fixture(scope="module")
def tangerang() -> kla.Submission:
    return kla.load_submission(EXAMPLE)


def test_what_if_child_marriage_fell_below_the_national_figure(
    bundled: kla.RuleSet, tangerang: kla.Submission
) -> None:
    outcome = _what_if(bundled, tangerang, {"II.1": {"value": 6.5, "data_year": 2023}})
    comparison = outcome.comparison
    assert (comparison.before_total, comparison.after_total, comparison.delta) == (
        763.25,
        815.25,
        52.0,
    )
    assert comparison.tier_steps == 1
    assert comparison.after_tier is not None
    assert comparison.after_tier.id == "utama"
    assert [(c.scope, c.id, c.before, c.after) for c in comparison.groups] == [
        ("group", "klaster_2", 75.0, 127.0)
    ]
    assert [c.id for c in comparison.indicators] == ["II.1"]
    assert [(c.id, c.delta) for c in comparison.items] == [("II.1.1", 52.0)]
    assert comparison.sentence("en") == (
        "Total 763.25 → 815.25 (+52.00): tier Nindya (third tier) → Utama (fourth tier)."
    )
    assert comparison.sentence("id") == "Total 763,25 → 815,25 (+52,00): peringkat Nindya → Utama."


def test_item_changes_and_removals(bundled: kla.RuleSet, tangerang: kla.Submission) -> None:
    outcome = _what_if(
        bundled,
        tangerang,
        {"K.3.3": True, "I.1.1": {"value": 80, "data_year": 2024}, "V.5.2": None, "K.2": None},
    )
    answers = outcome.submission.answers
    assert answers["K.3"].items["K.3.3"] is True  # type: ignore[union-attr]
    assert answers["I.1"] == kla.Measurement(80.0, 2024)  # a one-item indicator stays direct
    assert "V.5.2" not in answers["V.5"].items  # type: ignore[union-attr]
    assert "K.2" not in answers
    changed = {c.id: c.delta for c in outcome.comparison.items}
    assert changed == {
        "K.2.1": -6.0,
        "K.2.2": -4.0,
        "K.2.3": -5.0,
        "K.2.4": -3.0,
        "K.2.5": -6.0,
        "K.2.6": -5.0,
        "K.2.7": -3.75,
        "K.3.3": 4.0,
        "I.1.1": -10.0,
        "V.5.2": -10.0,
    }
    assert outcome.after.missing == ("K.2",)
    assert outcome.comparison.sentence("en") == (
        "Total 763.25 → 714.50 (-48.75): the tier stays Nindya (third tier)."
    )


def test_at_a_verification_stage_the_verifiers_records_stand(
    bundled: kla.RuleSet, tangerang: kla.Submission
) -> None:
    # I.1 was corrected at the field verification, and V.4's evidence was rejected: at the
    # final stage a changed declared answer moves neither.
    held = kla.what_if(
        bundled,
        tangerang,
        {"I.1": {"value": 99.0, "data_year": 2024}, "V.4": {"value": 95.0, "data_year": 2023}},
    )
    assert held.after.stage == "final"
    assert held.comparison.items == ()
    # Declared answers still count where the verifiers accepted their evidence.
    counted = kla.what_if(bundled, tangerang, {"IV.1": {"value": 90.0, "data_year": 2023}})
    assert [(c.id, c.delta) for c in counted.comparison.items] == [("IV.1.1", 22.5)]


def test_the_original_submission_is_untouched(
    bundled: kla.RuleSet, tangerang: kla.Submission
) -> None:
    before = tangerang.to_dict()
    _what_if(bundled, tangerang, {"K.3.3": True, "II.1": None})
    assert tangerang.to_dict() == before


def test_answer_objects_are_accepted(bundled: kla.RuleSet, tangerang: kla.Submission) -> None:
    outcome = _what_if(
        bundled, tangerang, {"I.2.2": ("taman-bacaan", "siaran-anak"), "I.1": kla.Measurement(50.0)}
    )
    assert {c.id: c.after for c in outcome.comparison.items} == {"I.1.1": 20.0}
    assert outcome.submission.answers["I.2"].items["I.2.2"] == ("taman-bacaan", "siaran-anak")  # type: ignore[union-attr]


def test_unknown_and_conflicting_ids(bundled: kla.RuleSet, tangerang: kla.Submission) -> None:
    with pytest.raises(kla.SubmissionError) as raised:
        _what_if(bundled, tangerang, {"K.3": {"items": {}}, "K.3.3": True, "K.9.1": True})
    assert str(raised.value).splitlines() == [
        "changes: 2 problems",
        '  changes: $["K.3.3"]: expected a change of indicator K.3 or of its item K.3.3; '
        "found both",
        "  changes: $[\"K.9.1\"]: unknown indicator or item id 'K.9.1' (did you mean 'K.3.1'?)",
    ]


def test_a_changed_answer_that_does_not_fit(
    bundled: kla.RuleSet, tangerang: kla.Submission
) -> None:
    with pytest.raises(
        kla.SubmissionError,
        match=r"K\.1\.2: expected one of the levels none, perkada, perda; found 'perdaa'",
    ):
        _what_if(bundled, tangerang, {"K.1.2": "perdaa"})
    with pytest.raises(
        kla.SubmissionError,
        match=r"\(what-if\): \$\.answers\[\"K\.1\"\]\.items\[\"K\.1\.2\"\]: 'value' is a required",
    ):
        _what_if(bundled, tangerang, {"K.1.2": {"nested": 1}})


def test_compare_refuses_cards_of_different_rulesets(
    bundled: kla.RuleSet, tangerang: kla.Submission
) -> None:
    other = kla.RuleSet.from_mapping({**bundled.to_dict(), "version": "other"})
    with pytest.raises(kla.KlaError, match="compare: expected two score cards of the same ruleset"):
        kla.compare(kla.score(bundled, tangerang), kla.score(other, tangerang))


def test_comparison_to_dict(bundled: kla.RuleSet, tangerang: kla.Submission) -> None:
    outcome = _what_if(bundled, tangerang, {"K.3.3": True})
    data = json.loads(json.dumps(outcome.to_dict()))
    assert data["comparison"]["delta"] == 4.0
    assert data["comparison"]["tier_steps"] == 0
    assert data["comparison"]["items"] == [
        {
            "scope": "item",
            "id": "K.3.3",
            "label": {
                "id": "Perguruan tinggi terlibat (kajian, pendampingan)",
                "en": "Universities take part (studies, assistance)",
            },
            "before": 0.0,
            "after": 4.0,
            "delta": 4.0,
        }
    ]
    assert data["card"]["total"] == 767.25
    assert data["submission"]["answers"]["K.3"]["items"]["K.3.3"] is True


@st.composite
def cases(draw: st.DrawFn) -> tuple[kla.RuleSet, kla.Submission, kla.Submission]:
    data = draw(ruleset_data(conditions=True))
    ruleset = kla.RuleSet.from_mapping(data)
    first = kla.Submission.from_mapping(draw(submission_data(data)))
    second = kla.Submission.from_mapping(draw(submission_data(data)))
    return ruleset, first, second


@settings(max_examples=examples(150), deadline=None)
@given(cases())
def test_replacing_every_answer_gives_the_other_card(
    case: tuple[kla.RuleSet, kla.Submission, kla.Submission],
) -> None:
    """Laying another submission's answers over one (and removing the rest) scores as it."""
    ruleset, first, second = case
    changes = {i: second.answers.get(i) for i in ruleset.indicators}
    outcome = kla.what_if(ruleset, first, changes)
    assert outcome.after == kla.score(ruleset, second)
    comparison = outcome.comparison
    assert math.isclose(sum(c.delta for c in comparison.groups), comparison.delta, abs_tol=1e-9)
    assert {c.id for c in comparison.items} == {
        item.id
        for (_, _, item), (_, _, other) in zip(
            kla.score(ruleset, first).trace(), outcome.after.trace(), strict=True
        )
        if item.points != other.points
    }


@settings(max_examples=examples(100), deadline=None)
@given(cases())
def test_no_change_compares_as_nothing(
    case: tuple[kla.RuleSet, kla.Submission, kla.Submission],
) -> None:
    ruleset, first, _ = case
    outcome = kla.what_if(ruleset, first, {})
    assert outcome.after == outcome.before
    assert changed_submission(ruleset, first, {}).to_dict() == first.to_dict()
    comparison = kla.compare(outcome.before, outcome.after)
    assert (comparison.groups, comparison.indicators, comparison.items) == ((), (), ())
    assert comparison.tier_steps == 0
