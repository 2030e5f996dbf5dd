"""score_many: a stream of submissions in, the results of score() one by one out."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from batch_strategies import FRACTIONAL, submissions
from profiles import examples

BUNDLED = kla.load_ruleset("perpres-25-2021")
FRACTIONAL_RULES = kla.load_ruleset(FRACTIONAL)
# The declared answers alone (no evidence, no verifiers' records): the self-assessment.
EXAMPLE = attrs.evolve(
    kla.load_submission("examples/kota-tangerang-2025.yaml"), evidence=(), verification=()
)
VERIFIED = kla.load_submission("examples/kota-tangerang-2025.yaml")


@settings(max_examples=examples(60))
@given(st.lists(submissions(BUNDLED), max_size=6))
def test_full_cards_equal_score_one_by_one(batch: list[kla.Submission]) -> None:
    assert list(kla.score_many(BUNDLED, batch)) == [kla.score(BUNDLED, s) for s in batch]


@settings(max_examples=examples(100))
@given(
    st.sampled_from([BUNDLED, FRACTIONAL_RULES]).flatmap(
        lambda rs: st.tuples(st.just(rs), st.lists(submissions(rs), max_size=6))
    )
)
def test_totals_equal_score_one_by_one(case: tuple[kla.RuleSet, list[kla.Submission]]) -> None:
    ruleset, batch = case
    expected = [kla.ScoreTotals.of(kla.score(ruleset, s)) for s in batch]
    assert list(kla.score_many(ruleset, batch, trace=False)) == expected


def test_results_stream_one_at_a_time() -> None:
    """An endless source works: each result is yielded before the next submission is read."""
    read: list[int] = []

    def endless() -> Iterator[kla.Submission]:
        for number in itertools.count():
            read.append(number)
            yield EXAMPLE

    results = kla.score_many(BUNDLED, endless(), trace=False)
    first = next(results)
    assert read == [0]
    assert first.total == 763.25
    assert [r.total for r in itertools.islice(results, 3)] == [763.25] * 3
    assert read == [0, 1, 2, 3]


def test_full_cards_stream_too() -> None:
    results = kla.score_many(BUNDLED, itertools.repeat(EXAMPLE))
    card = next(results)
    assert isinstance(card, kla.ScoreCard)
    assert card.total == 763.25


def test_a_bad_submission_raises_scores_own_error_when_reached() -> None:
    bad = attrs.evolve(EXAMPLE, answers={"K.1": kla.ItemAnswers({"K.1.2": "perdaa"})})
    results = kla.score_many(BUNDLED, [EXAMPLE, bad], trace=False)
    assert next(results).total == 763.25
    with pytest.raises(kla.SubmissionError) as raised:
        next(results)
    with pytest.raises(kla.SubmissionError) as direct:
        kla.score(BUNDLED, bad)
    assert str(raised.value) == str(direct.value)
    assert "did you mean 'perda'?" in str(raised.value)


def test_an_unknown_stage_is_refused_like_score_refuses_it() -> None:
    with pytest.raises(kla.KlaError) as direct:
        kla.score(BUNDLED, EXAMPLE, stage="verifikasi")
    with pytest.raises(kla.KlaError) as totals:
        list(kla.score_many(BUNDLED, [EXAMPLE], stage="verifikasi", trace=False))
    with pytest.raises(kla.KlaError) as cards:
        list(kla.score_many(BUNDLED, [EXAMPLE], stage="verifikasi"))
    assert str(totals.value) == str(cards.value) == str(direct.value)
    assert "verifikasi" in str(direct.value)


def test_must_pass_conditions_are_scored_by_the_engine() -> None:
    """The fractional ruleset's top tier needs group `dua` >= 1.2."""
    answers = {
        "A.1": kla.ItemAnswers({"A.1.1": True, "A.1.2": "all", "A.1.3": ("c", "d")}),
        "A.2": kla.Measurement(80.0),
        "B.1": kla.Measurement(0.0),
        "B.2": kla.Measurement(10.1, 2021),
    }
    submission = attrs.evolve(EXAMPLE, answers=answers)
    [totals] = kla.score_many(FRACTIONAL_RULES, [submission], trace=False)
    assert totals.groups == {"satu": 4.3, "dua": 1.3}
    assert totals.total == 5.6
    assert totals.tier is not None
    assert totals.tier.id == "high"
    assert totals == kla.ScoreTotals.of(kla.score(FRACTIONAL_RULES, submission))


def test_a_submission_with_evidence_is_scored_by_the_engine_at_its_latest_stage() -> None:
    """The example's verifiers took it to the final stage: 710.75, not the declared 763.25."""
    [totals] = kla.score_many(BUNDLED, [VERIFIED], trace=False)
    assert totals.stage == "final"
    assert totals.total == 710.75
    assert totals == kla.ScoreTotals.of(kla.score(BUNDLED, VERIFIED))
    [early] = kla.score_many(BUNDLED, [VERIFIED], stage="self_assessment", trace=False)
    assert early.total == 763.25
    assert early == kla.ScoreTotals.of(kla.score(BUNDLED, VERIFIED, stage="self_assessment"))
