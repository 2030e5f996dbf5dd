"""Properties of ``score()``: bounds, sums, monotonicity, determinism, order, purity, and
agreement with a small reference scorer written here from the rule-file format alone."""

from __future__ import annotations

import copy
import math
import random
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model import RuleSet, Submission, score
from kla_model.scoring import engine
from kla_model.scoring.card_json import RecordedTrace, card_json
from kla_model.submissions.conformance import history_check
from profiles import examples
from stage_strategies import RULESET as STAGE_RULESET
from stage_strategies import submissions_with_history
from strategies import ruleset_and_submission

Mapping = dict[str, Any]


# --- the reference scorer: straight from the rule-file format, sharing no engine code ----


def _d(number: float) -> Fraction:
    """A number as the decimal it is written as (0.1 is one tenth)."""
    return Fraction(repr(number))


def _half_even_hundredths(value: Fraction) -> Fraction:
    """Proportional points: rounded half to even to hundredths (docs/decisions.md)."""
    return Fraction(round(value * 100), 100)  # round() of a Fraction rounds half to even


def _reference_points(rule: Mapping, item_max: float, answer: Any, series: Mapping) -> Fraction:
    kind = rule["kind"]
    if kind == "boolean":
        return _d(item_max) if answer is True else Fraction(0)
    if kind == "levels":
        return _d(next(level["points"] for level in rule["levels"] if level["id"] == answer))
    if kind == "checklist":
        ticked = sum((_d(o["points"]) for o in rule["options"] if o["id"] in answer), Fraction(0))
        return min(ticked, _d(rule["cap"])) if "cap" in rule else ticked
    value = answer["value"]
    if kind == "bands":
        for band in rule["bands"]:
            low_ok = value > band["min"] or (band["min_inclusive"] and value == band["min"])
            high_ok = value < band["max"] or (band["max_inclusive"] and value == band["max"])
            if low_ok and high_ok:
                return _d(band["points"])
        raise AssertionError("generated values always fall in a band")
    if kind == "linear":
        (x0, p0), (x1, p1) = ((_d(rule[e]["value"]), _d(rule[e]["points"])) for e in ("from", "to"))
        t = min(max((_d(value) - x0) / (x1 - x0), Fraction(0)), Fraction(1))
        return min(max(_half_even_hundredths(p0 + t * (p1 - p0)), min(p0, p1)), max(p0, p1))
    years = series[rule["series"]]
    reference = years[max(y for y in years if y <= answer["data_year"])]
    if value == reference:
        return _d(rule["points"]["equal"])
    better = value < reference if rule["direction"] == "lower_is_better" else value > reference
    return _d(rule["points"]["better" if better else "worse"])


def reference_total(ruleset: Mapping, submission: Mapping) -> float:
    """The exact decimal sum of the item points, as the float nearest it."""
    series = {
        s["id"]: {v["year"]: v["value"] for v in s["values"]} for s in ruleset.get("references", [])
    }
    total = Fraction(0)
    for group in ruleset["groups"]:
        for indicator in group["indicators"]:
            answer = submission["answers"].get(indicator["id"])
            if answer is None:
                continue
            if not (isinstance(answer, dict) and "items" in answer):
                answer = {"items": {indicator["items"][0]["id"]: answer}}
            for item in indicator["items"]:
                if item["id"] in answer["items"]:
                    item_answer = answer["items"][item["id"]]
                    total += _reference_points(item["rule"], item["max"], item_answer, series)
    return float(total)


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=examples(300))
@given(ruleset_and_submission())
def test_engine_agrees_with_the_reference_scorer(case: tuple[RuleSet, Mapping, Mapping]) -> None:
    ruleset, ruleset_mapping, submission = case
    card = score(ruleset, Submission.from_mapping(submission))
    assert card.total == reference_total(ruleset_mapping, submission)  # exactly


@settings(max_examples=examples(200))
@given(ruleset_and_submission())
def test_total_is_within_zero_and_the_maximum(case: tuple[RuleSet, Mapping, Mapping]) -> None:
    ruleset, _, submission = case
    card = score(ruleset, Submission.from_mapping(submission))
    assert 0 <= card.total <= ruleset.max_score
    for _, indicator, item in card.trace():
        assert 0 <= item.points <= item.max
        assert indicator.points <= indicator.max + 1e-9


@settings(max_examples=examples(200))
@given(ruleset_and_submission())
def test_points_add_up_from_items_to_total(case: tuple[RuleSet, Mapping, Mapping]) -> None:
    ruleset, _, submission = case
    card = score(ruleset, Submission.from_mapping(submission))
    for group in card.groups:
        for indicator in group.indicators:
            assert indicator.points == pytest.approx(math.fsum(i.points for i in indicator.items))
        assert group.points == pytest.approx(math.fsum(i.points for i in group.indicators))
    assert card.total == pytest.approx(math.fsum(item.points for _, _, item in card.trace()))
    assert [g.max for g in card.groups] == [g.max for g in ruleset.groups]


@settings(max_examples=examples(200))
@given(ruleset_and_submission())
def test_tier_is_the_scale_tier_of_the_total(case: tuple[RuleSet, Mapping, Mapping]) -> None:
    ruleset, _, submission = case
    card = score(ruleset, Submission.from_mapping(submission))
    assert card.tier == ruleset.tier_for(card.total)  # generated scales have no conditions
    reached = [entry.tier for entry in card.eligibility if entry.reached]
    assert reached == list(ruleset.tiers.tiers[: len(reached)])
    if card.next_tier is not None:
        assert card.points_to_next_tier == pytest.approx(max(card.next_tier.min - card.total, 0))


@settings(max_examples=examples(150))
@given(ruleset_and_submission(), st.randoms(use_true_random=False))
def test_scoring_is_deterministic_and_order_independent(
    case: tuple[RuleSet, Mapping, Mapping], rng: random.Random
) -> None:
    ruleset, _, submission = case
    first = score(ruleset, Submission.from_mapping(submission))
    shuffled = list(submission["answers"].items())
    rng.shuffle(shuffled)
    reordered = {**submission, "answers": dict(shuffled)}
    assert score(ruleset, Submission.from_mapping(reordered)) == first
    assert score(ruleset, Submission.from_mapping(submission)) == first


@settings(max_examples=examples(150))
@given(ruleset_and_submission())
def test_scoring_never_mutates_its_inputs(case: tuple[RuleSet, Mapping, Mapping]) -> None:
    ruleset, ruleset_mapping, submission = case
    before = copy.deepcopy(submission)
    sub = Submission.from_mapping(submission)
    as_data = sub.to_dict()
    score(ruleset, sub)
    assert submission == before
    assert sub.to_dict() == as_data
    assert ruleset.to_dict() == RuleSet.from_mapping(ruleset_mapping).to_dict()


# --- monotonicity: a better answer never lowers the total ----------------------------------


def _improved(rule: Mapping, answer: Any, data: st.DataObject) -> Any:
    """An answer at least as good as ``answer`` under ``rule`` (generated rules are monotone)."""
    kind = rule["kind"]
    if kind == "boolean":
        return True
    if kind == "levels":
        current = next(level["points"] for level in rule["levels"] if level["id"] == answer)
        better = [level["id"] for level in rule["levels"] if level["points"] >= current]
        return data.draw(st.sampled_from(better))
    if kind == "checklist":
        extra = data.draw(st.sampled_from([o["id"] for o in rule["options"]]))
        return sorted({*answer, extra})
    value = answer["value"]
    if kind == "bands":
        return {**answer, "value": data.draw(st.floats(value, 100))}
    if kind == "linear":
        rising = rule["to"]["points"] >= rule["from"]["points"]
        increasing_x = rule["to"]["value"] > rule["from"]["value"]
        up = rising == increasing_x
        bound = value + 50 if up else value - 50
        low, high = sorted((value, bound))
        return {**answer, "value": data.draw(st.floats(low, high))}
    lower = rule["direction"] == "lower_is_better"
    new = data.draw(st.floats(0, value) if lower else st.floats(value, 100))
    return {**answer, "value": new}


@settings(max_examples=examples(300))
@given(ruleset_and_submission(), st.data())
def test_a_better_answer_never_lowers_the_total(
    case: tuple[RuleSet, Mapping, Mapping], data: st.DataObject
) -> None:
    _, ruleset_mapping, submission = case
    ruleset = RuleSet.from_mapping(ruleset_mapping)
    answered = [
        (indicator, item)
        for group in ruleset_mapping["groups"]
        for indicator in group["indicators"]
        for item in indicator["items"]
        if indicator["id"] in submission["answers"]
    ]
    if not answered:
        return
    indicator, item = data.draw(st.sampled_from(answered))
    answer = submission["answers"][indicator["id"]]
    items = answer["items"] if isinstance(answer, dict) and "items" in answer else None
    current = items.get(item["id"]) if items is not None else answer
    if current is None or (items is None and item is not indicator["items"][0]):
        return
    better = _improved(item["rule"], current, data)
    new_answer = {"items": {**items, item["id"]: better}} if items is not None else better
    changed = {**submission, "answers": {**submission["answers"], indicator["id"]: new_answer}}
    before = score(ruleset, Submission.from_mapping(submission)).total
    after = score(ruleset, Submission.from_mapping(changed)).total
    assert after >= before - 1e-9


@settings(max_examples=examples(100))
@given(ruleset_and_submission(), st.data())
def test_answering_a_missing_indicator_never_lowers_the_total(
    case: tuple[RuleSet, Mapping, Mapping], data: st.DataObject
) -> None:
    ruleset, _, submission = case
    card = score(ruleset, Submission.from_mapping(submission))
    assert set(card.missing) == set(ruleset.indicators) - set(submission["answers"])
    for indicator_id in card.missing:
        assert card.indicators[indicator_id].points == 0
        assert all(item.outcome == "missing" for item in card.indicators[indicator_id].items)


# --- the bundled ruleset and the example --------------------------------------------------


def test_example_scores_as_computed_by_hand(example_card: kla.ScoreCard) -> None:
    groups = {group.id: group.points for group in example_card.groups}
    assert groups == {
        "kelembagaan": 146.75,
        "klaster_1": 99.0,
        "klaster_2": 75.0,
        "klaster_3": 187.5,
        "klaster_4": 125.0,
        "klaster_5": 130.0,
    }
    assert example_card.total == 763.25
    assert example_card.tier is not None and example_card.tier.id == "nindya"
    assert example_card.next_tier is not None and example_card.next_tier.id == "utama"
    assert example_card.points_to_next_tier == 36.75


def test_unknown_stage_is_refused_with_the_choices(bundled: RuleSet, example: Submission) -> None:
    with pytest.raises(kla.KlaError, match=r"stage: expected one of self_assessment.*'audit'"):
        score(bundled, example, stage="audit")


def test_a_submission_that_does_not_fit_lists_every_problem(bundled: RuleSet) -> None:
    data = {
        "region": {"code": "1", "name": "Kab. Contoh", "kind": "kabupaten", "province": "P"},
        "year": 2025,
        "answers": {
            "I.1": {"value": 120, "data_year": 2024},
            "I.9": {"value": 50},
            "K.1": {"items": {"K.1.1": "ya", "K.1.9": True}},
            "II.1": {"value": 5.0, "data_year": 2016},
        },
    }
    with pytest.raises(kla.SubmissionError) as raised:
        score(bundled, Submission.from_mapping(data, source="contoh.yaml"))
    message = str(raised.value)
    assert "contoh.yaml (against ruleset perpres-25-2021): 5 problems" in message
    assert (
        'contoh.yaml: $.answers["I.1"]: I.1.1: expected a percentage from 0 to 100; found 120'
        in message
    )
    assert (
        "$.answers[\"I.9\"]: expected an indicator id of the ruleset; found unknown id 'I.9' "
        "(did you mean 'I.3'?)" in message
    )
    assert "K.1.1: expected true or false; found 'ya'" in message
    assert "expected an item id of K.1; found unknown id 'K.1.9' (did you mean 'K.1.4'?)" in message
    assert (
        "expected a data year from 2017 to 2024 (reference series 'child-marriage'); found 2016"
        in message
    )


def test_a_single_answer_to_a_many_item_indicator_is_refused_not_guessed(bundled: RuleSet) -> None:
    data = {
        "region": {"code": "1", "name": "Kab. Contoh", "kind": "kabupaten", "province": "P"},
        "year": 2025,
        "answers": {"K.1": True},
    }
    with pytest.raises(
        kla.SubmissionError,
        match=r"expected \{items: \{\.\.\.\}\} with answers for the items K\.1\.1",
    ):
        score(bundled, Submission.from_mapping(data))


def test_every_stage_refuses_an_answer_that_does_not_fit_with_the_same_problems(
    bundled: RuleSet, example: Submission
) -> None:
    """The answers are checked once, whatever the stage: a card asked at a verified stage
    (scored through the stage's view) words the same problems as the self-assessment's."""
    k1 = example.answers["K.1"]
    assert isinstance(k1, kla.ItemAnswers)
    answers = {**example.answers, "K.1": kla.ItemAnswers({**k1.items, "K.1.2": "perdaa"})}
    wrong = attrs.evolve(example, answers=answers)
    messages = set()
    for stage in kla.STAGES:
        with pytest.raises(kla.SubmissionError) as raised:
            score(bundled, wrong, stage=stage)
        messages.add(str(raised.value))
    [message] = messages
    assert "(against ruleset perpres-25-2021): 1 problem" in message
    assert '$.answers["K.1"].items["K.1.2"]: K.1.2: expected one of the levels' in message
    assert "found 'perdaa' (did you mean 'perda'?)" in message


class _Level(str):
    """A level id of a type of its own (an application's string enumeration, say)."""


def test_an_answer_of_a_subclass_of_its_type_scores_as_the_plain_answer(
    bundled: RuleSet, example: Submission
) -> None:
    """The totals look up answers of the plain types only; an answer its rule accepts all
    the same is scored through the records, to the same card and the same JSON."""
    plain = Submission(example.region, example.year, example.answers)
    k1 = plain.answers["K.1"]
    assert isinstance(k1, kla.ItemAnswers)
    odd_answers = {**plain.answers, "K.1": kla.ItemAnswers({**k1.items, "K.1.2": _Level("perda")})}
    odd = Submission(plain.region, plain.year, odd_answers)
    card, expected = score(bundled, odd), score(bundled, plain)
    assert card.total == expected.total == 763.25
    assert card.to_dict() == expected.to_dict()
    assert card_json(card) == card_json(expected)


# --- a stage's view: totals now, records when read; records checked once per submission ----


@settings(max_examples=examples(60), deadline=None)
@given(submissions_with_history(), st.sampled_from(kla.STAGES))
def test_a_stage_total_is_the_sum_of_the_records_made_when_read(
    submission: Submission, stage: str
) -> None:
    """At a verified stage the totals are added without the records; the records, made
    when read, add up to the same points, group by group."""
    card = score(STAGE_RULESET, submission, stage)
    trace = card._groups
    eager = None
    if isinstance(trace, RecordedTrace):
        assert trace._made is None  # not made by score()
        eager = trace._make
    groups = card.groups
    add = STAGE_RULESET.resolution.add
    assert card.total == add([group.points for group in groups])
    for group in groups:
        assert group.points == add([indicator.points for indicator in group.indicators])
    if eager is not None:  # made once, then kept
        assert eager() == groups
        assert isinstance(trace, RecordedTrace) and trace.records is trace.records


def _counting_checks(monkeypatch: pytest.MonkeyPatch) -> list[Submission]:
    checked: list[Submission] = []

    def counted(ruleset: RuleSet, submission: Submission) -> Any:
        checked.append(submission)
        return history_check(ruleset, submission)

    monkeypatch.setattr(engine, "history_check", counted)
    return checked


def test_the_records_of_a_submission_are_checked_once(
    monkeypatch: pytest.MonkeyPatch, bundled: RuleSet, example: Submission
) -> None:
    checked = _counting_checks(monkeypatch)
    other = attrs.evolve(bundled, version="changed")  # a ruleset of its own: nothing kept yet
    for stage in kla.STAGES[1:]:
        score(other, example, stage)
    score(other, example)
    assert checked == [example]
    copy_ = attrs.evolve(example)  # equal, but another submission: checked for itself
    score(other, copy_)
    assert len(checked) == 2 and checked[1] is copy_


def test_records_that_do_not_fit_are_refused_every_time(
    monkeypatch: pytest.MonkeyPatch, bundled: RuleSet, example: Submission
) -> None:
    """Evidence for an indicator the ruleset does not have is found by score(), every
    time, and the submission is never remembered as fitting."""
    checked = _counting_checks(monkeypatch)
    stray = attrs.evolve(example.evidence[0], id="ev-stray", indicator="K.99")
    wrong = example.with_evidence(stray)
    for _ in range(3):
        with pytest.raises(kla.SubmissionError, match=r"evidence 'ev-stray'.*K\.99"):
            score(bundled, wrong)
    assert len(checked) == 3


def test_a_ruleset_remembers_a_bounded_number_of_fitting_submissions(
    bundled: RuleSet, example: Submission
) -> None:
    other = attrs.evolve(bundled, version="bounded")
    kept = [attrs.evolve(example) for _ in range(3 * engine._MAX_KEPT_FITTING)]
    for submission in kept:
        score(other, submission)
        fitting = other.derived("fitting records", engine._FittingRecords)._fitting
        assert len(fitting) <= engine._MAX_KEPT_FITTING
