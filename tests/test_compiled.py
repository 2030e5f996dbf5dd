"""The compiled totals path gives exactly what ``score`` gives, or declines."""

from __future__ import annotations

import math

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from batch_strategies import FRACTIONAL, odd_submissions, submissions
from kla_model.rules.tiers import TierScale
from kla_model.scoring.compiled import compile_ruleset
from profiles import examples

BUNDLED = kla.load_ruleset("perpres-25-2021")
FRACTIONAL_RULES = kla.load_ruleset(FRACTIONAL)
#: The fractional ruleset without its must-pass condition, so that tiers are compiled too.
FRACTIONAL_PLAIN = attrs.evolve(
    FRACTIONAL_RULES,
    tiers=TierScale(
        tuple(attrs.evolve(tier, requires=()) for tier in FRACTIONAL_RULES.tiers.tiers),
        FRACTIONAL_RULES.tiers.none_label,
    ),
)
# The declared answers alone (no evidence, no verifiers' records): the self-assessment.
EXAMPLE = attrs.evolve(
    kla.load_submission("examples/kota-tangerang-2025.yaml"), evidence=(), verification=()
)
VERIFIED = kla.load_submission("examples/kota-tangerang-2025.yaml")


def _outcome(ruleset: kla.RuleSet, submission: kla.Submission) -> kla.ScoreTotals | str:
    try:
        return kla.ScoreTotals.of(kla.score(ruleset, submission))
    except kla.SubmissionError as error:
        return str(error)


def test_the_example_compiles_to_its_known_totals() -> None:
    totals = compile_ruleset(BUNDLED).totals(EXAMPLE)
    assert totals is not None
    assert totals.total == 763.25
    assert totals.tier is not None
    assert totals.tier.id == "nindya"
    assert totals.groups == {
        "kelembagaan": 146.75,
        "klaster_1": 99.0,
        "klaster_2": 75.0,
        "klaster_3": 187.5,
        "klaster_4": 125.0,
        "klaster_5": 130.0,
    }
    assert totals == kla.ScoreTotals.of(kla.score(BUNDLED, EXAMPLE))


def test_exact_addition_is_proven_only_for_rulesets_that_allow_it() -> None:
    """Quarters are multiples of 2**-16; tenths and a linear rule are not."""
    assert compile_ruleset(BUNDLED).exact is True
    assert compile_ruleset(FRACTIONAL_RULES).exact is False
    assert BUNDLED.resolution.decimals == 2  # quarters: hundredths, the least resolution
    assert FRACTIONAL_RULES.resolution.decimals == 2


def test_the_compiled_ruleset_is_made_once_and_kept_with_the_ruleset() -> None:
    """``score_many(rs, [one])`` must not compile the ruleset again on every call."""
    compiled = compile_ruleset(BUNDLED)
    list(kla.score_many(BUNDLED, [EXAMPLE], trace=False))
    assert compile_ruleset(BUNDLED) is compiled
    assert BUNDLED.derived("compiled totals", lambda _: None) is compiled
    changed = attrs.evolve(BUNDLED, version="changed")
    assert compile_ruleset(changed) is not compiled
    assert compile_ruleset(changed).ruleset is changed


@settings(max_examples=examples(300))
@given(submissions(BUNDLED))
def test_bundled_totals_equal_score(submission: kla.Submission) -> None:
    """A valid submission takes the compiled path and lands on score()'s every float."""
    totals = compile_ruleset(BUNDLED).totals(submission)
    assert totals is not None
    assert totals == kla.ScoreTotals.of(kla.score(BUNDLED, submission))


@settings(max_examples=examples(300))
@given(submissions(FRACTIONAL_PLAIN))
def test_fractional_totals_equal_score_bit_for_bit(submission: kla.Submission) -> None:
    """Tenths do not add exactly in floats; the compiled path adds them as the engine does."""
    totals = compile_ruleset(FRACTIONAL_PLAIN).totals(submission)
    expected = kla.ScoreTotals.of(kla.score(FRACTIONAL_PLAIN, submission))
    assert totals is not None
    assert totals == expected
    assert [math.copysign(1, p) for p in totals.group_points] == [
        math.copysign(1, p) for p in expected.group_points
    ]


@settings(max_examples=examples(200))
@given(submissions(FRACTIONAL_RULES))
def test_must_pass_conditions_leave_tiers_to_the_engine(submission: kla.Submission) -> None:
    compiled = compile_ruleset(FRACTIONAL_RULES)
    assert compiled.totals(submission) is None
    card = kla.score(FRACTIONAL_RULES, submission)
    assert compiled.group_points(submission) == tuple(group.points for group in card.groups)


@settings(max_examples=examples(400))
@given(
    st.sampled_from([BUNDLED, FRACTIONAL_PLAIN]).flatmap(
        lambda rs: st.tuples(st.just(rs), odd_submissions(rs))
    )
)
def test_odd_answers_are_declined_never_misscored(
    case: tuple[kla.RuleSet, kla.Submission],
) -> None:
    """Whatever the answers, the compiled path agrees with score() or returns None."""
    ruleset, submission = case
    totals = compile_ruleset(ruleset).totals(submission)
    expected = _outcome(ruleset, submission)
    if isinstance(expected, str):
        assert totals is None, expected
    elif totals is not None:
        assert totals == expected


def test_a_multi_item_indicator_answered_directly_is_left_to_the_engine() -> None:
    submission = attrs.evolve(EXAMPLE, answers={"K.1": True})
    assert compile_ruleset(BUNDLED).totals(submission) is None


@pytest.mark.parametrize(
    ("answers", "why"),
    [
        ({"Z.1": True}, "unknown indicator"),
        ({"K.1": kla.ItemAnswers({"K.1.9": True})}, "unknown item"),
        ({"K.1": kla.ItemAnswers({"K.1.2": "perdaa"})}, "unknown level"),
        ({"K.1": kla.ItemAnswers({"K.1.1": 1})}, "a number for a boolean"),
        ({"K.1": kla.ItemAnswers({"K.1.1": 1.0})}, "a float for a boolean"),
        ({"K.1": kla.ItemAnswers({"K.1.2": True})}, "yes for a levels item"),
        ({"K.1": kla.ItemAnswers({"K.1.4": "forum-anak"})}, "a bare tick for a checklist"),
        ({"I.1": 75.0}, "a bare number for bands"),
        ({"K.1": kla.ItemAnswers({"K.1.4": ("forum-anak", "x")})}, "unknown option"),
        ({"I.1": kla.Measurement(100.5, 2024)}, "a percentage above 100"),
        ({"I.1": kla.Measurement(float("nan"), 2024)}, "NaN"),
        ({"II.1": kla.Measurement(5.0)}, "no data year for a reference"),
        ({"II.1": kla.Measurement(5.0, 2030)}, "a data year the series does not cover"),
    ],
)
def test_answers_score_refuses_are_declined(answers: dict[str, object], why: str) -> None:
    submission = attrs.evolve(EXAMPLE, answers=answers)
    assert compile_ruleset(BUNDLED).totals(submission) is None, why
    with pytest.raises(kla.SubmissionError):
        kla.score(BUNDLED, submission)


def test_only_a_self_assessment_without_evidence_is_compiled() -> None:
    compiled = compile_ruleset(BUNDLED)
    assert compiled.handles(EXAMPLE)
    assert compiled.handles(EXAMPLE, "self_assessment")
    assert not compiled.handles(EXAMPLE, "final")
    assert not compiled.handles(EXAMPLE, "verifikasi")
    assert VERIFIED.latest_stage == "final"
    assert not compiled.handles(VERIFIED)
    assert not compiled.handles(VERIFIED, "self_assessment")  # the engine decides with evidence
    assert compiled.totals(VERIFIED) is None
    assert compiled.totals(EXAMPLE, "field") is None


def test_checklist_answers_in_any_order_and_repeated_ticks_score_like_the_rule() -> None:
    """The compiled checklist looks answers up in a table of every order of every subset."""
    for ticks in [
        ("sarana-olahraga", "sanggar-seni", "ruang-kreatif", "gedung-kesenian"),
        ("ruang-kreatif", "ruang-kreatif"),
        (),
    ]:
        answers = {"IV.4": kla.ItemAnswers({"IV.4.2": ticks})}
        submission = attrs.evolve(EXAMPLE, answers=answers)
        expected = kla.ScoreTotals.of(kla.score(BUNDLED, submission))
        assert compile_ruleset(BUNDLED).totals(submission) == expected
    assert expected.total == 0.0


def test_a_submission_knows_whether_every_answer_has_an_answer_type() -> None:
    assert EXAMPLE.well_typed
    assert not attrs.evolve(EXAMPLE, answers={"K.1": kla.ItemAnswers({"K.1.1": 1})}).well_typed
    assert not attrs.evolve(EXAMPLE, answers={"I.1": 75}).well_typed
    assert not attrs.evolve(EXAMPLE, answers={"I.1": None}).well_typed
    assert attrs.evolve(EXAMPLE, answers={"K.1.4": ("a",), "K.1": True}).well_typed
