"""Exact points (issue 15): every point value, threshold and sum is the decimal written.

Properties on generated rulesets with weights of one to three decimal places, and the
issue's own examples as regression tests.  ``docs/decisions.md`` ("Exact points") says why.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from decimal_strategies import answers, decimal_rulesets, exact, label
from kla_model.analysis.whatif import changed_submission
from kla_model.scoring.compiled import compile_ruleset
from profiles import examples

Mapping = dict[str, Any]


def _case(data: st.DataObject, linear: bool = True) -> tuple[kla.RuleSet, kla.Submission]:
    mapping = data.draw(decimal_rulesets(linear=linear))
    ruleset = kla.RuleSet.from_mapping(mapping)
    return ruleset, kla.Submission.from_mapping(data.draw(answers(mapping)))


def _exact_total(card: kla.ScoreCard) -> Fraction:
    return sum((exact(item.points) for _, _, item in card.trace()), Fraction(0))


@settings(max_examples=examples(300))
@given(st.data())
def test_every_sum_is_the_exact_decimal_sum(data: st.DataObject) -> None:
    """ "The total equals the exact decimal sum of the item points", at every level."""
    ruleset, submission = _case(data)
    card = kla.score(ruleset, submission)
    for group in card.groups:
        for indicator in group.indicators:
            items = sum((exact(item.points) for item in indicator.items), Fraction(0))
            assert indicator.points == float(items)
        indicators = sum((exact(i.points) for i in group.indicators), Fraction(0))
        assert group.points == float(indicators)
    assert card.total == float(_exact_total(card))
    assert repr(card.total) == repr(float(_exact_total(card)))  # 149.7, not 149.70000000000002


@settings(max_examples=examples(300))
@given(st.data())
def test_tiers_are_decided_exactly_at_their_thresholds(data: st.DataObject) -> None:
    """A total equal to a threshold reaches an inclusive tier and not a strict one."""
    ruleset, submission = _case(data)
    card = kla.score(ruleset, submission)
    total = _exact_total(card)
    reached = None
    for entry in card.eligibility:
        threshold = exact(entry.tier.min)
        clears = total >= threshold if entry.tier.min_inclusive else total > threshold
        assert entry.reached == (clears and (reached is not None or entry is card.eligibility[0]))
        assert entry.points_short == (0.0 if clears else float(threshold - total))
        if entry.reached:
            reached = entry.tier
    assert card.tier == reached


@settings(max_examples=examples(200))
@given(st.data())
def test_a_submission_on_each_threshold_lands_on_it(data: st.DataObject) -> None:
    """Answer exactly the items whose maxima make up a threshold: the total is the threshold."""
    mapping = data.draw(decimal_rulesets(linear=False))
    ruleset = kla.RuleSet.from_mapping(mapping)
    items = list(ruleset.items.values())
    for tier in ruleset.tiers.tiers:
        for size in range(len(items) + 1):
            for chosen in itertools.combinations(items, size):
                if sum((exact(i.max) for i in chosen), Fraction(0)) == exact(tier.min):
                    card = kla.score(ruleset, _at_max(ruleset, {i.id for i in chosen}))
                    assert card.total == tier.min
                    assert (card.tier is not None and card.tier.id == tier.id) == (
                        tier.min_inclusive and tier.admits(card.total)
                    ) or tier.requires != ()
                    break
            else:
                continue
            break


def _best(rule: Any) -> Any:
    kind = rule.kind
    if kind == "boolean":
        return True
    if kind == "levels":
        return max(rule.levels, key=lambda level: level.points).id
    if kind == "checklist":
        return tuple(option.id for option in rule.options)
    return kla.Measurement(100.0, 2024)


def _at_max(ruleset: kla.RuleSet, chosen: set[str]) -> kla.Submission:
    answers_: dict[str, Any] = {}
    for indicator in ruleset.indicators.values():
        items = {i.id: _best(i.rule) for i in indicator.items if i.id in chosen}
        if items:
            answers_[indicator.id] = kla.ItemAnswers(items)
    region = kla.Region("99.01", "Kota Uji", "kota", "Uji")
    return kla.Submission(region=region, year=2025, answers=answers_)


@settings(max_examples=examples(300))
@given(st.data())
def test_compiled_totals_equal_score(data: st.DataObject) -> None:
    ruleset, submission = _case(data)
    totals = compile_ruleset(ruleset).totals(submission)
    assert totals is not None
    assert totals == kla.ScoreTotals.of(kla.score(ruleset, submission))
    assert list(kla.score_many(ruleset, [submission], trace=False)) == [totals]


@settings(max_examples=examples(100))
@given(st.data())
def test_the_columnar_path_equals_score(data: st.DataObject) -> None:
    mapping = data.draw(decimal_rulesets())
    ruleset = kla.RuleSet.from_mapping(mapping)
    count = data.draw(st.integers(1, 5))
    drawn = [data.draw(answers(mapping)) for _ in range(count)]
    for number, submission in enumerate(drawn):  # one row per district and year
        submission["region"] = {**submission["region"], "code": f"99.{number:02d}"}
    submissions = [kla.Submission.from_mapping(submission) for submission in drawn]
    frame = pd.DataFrame([kla.submission_row(ruleset, s) for s in submissions])
    scored = kla.score_frame(ruleset, frame)
    assert list(scored["errors"]) == [""] * len(submissions)
    cards = [kla.score(ruleset, s) for s in submissions]
    assert list(scored["total"]) == [card.total for card in cards]
    for group in ruleset.groups:
        assert list(scored[group.id]) == [
            card.groups[ruleset.groups.index(group)].points for card in cards
        ]


# --- plan() judged by score(): a brute force over every answer of a small ruleset -----------


def _choices(rule: Any) -> list[Any]:
    if rule.kind == "boolean":
        return [False, True]
    return [level.id for level in rule.levels]


@st.composite
def _small_plan_case(draw: st.DrawFn) -> tuple[kla.RuleSet, kla.Submission, dict[str, float]]:
    places = draw(st.integers(1, 3))
    units = 10**places
    weights = draw(
        st.lists(
            st.integers(1, 3 * units).map(lambda n: Fraction(n, units)), min_size=1, max_size=4
        )
    )
    items: list[Mapping] = []
    for n, weight in enumerate(weights):
        rule: Mapping = {"kind": "boolean"}
        top = weight
        if draw(st.booleans()):
            low = Fraction(draw(st.integers(0, int(weight * units) - 1)), units)
            rule = {
                "kind": "levels",
                "levels": [
                    {"id": "none", "label": label("none"), "points": 0},
                    {"id": "low", "label": label("low"), "points": float(low)},
                    {"id": "high", "label": label("high"), "points": float(weight)},
                ],
            }
        items.append(
            {"id": f"A.{n + 1}", "label": label(f"A.{n + 1}"), "max": float(top), "rule": rule}
        )
    total = sum(weights, Fraction(0))
    indicators = [
        {
            "id": item["id"],
            "label": item["label"],
            "type": "inst",
            "source": "generated",
            "max": item["max"],
            "items": [{**item, "id": item["id"] + ".1"}],
        }
        for item in items
    ]
    threshold = Fraction(draw(st.integers(1, int(total * units))), units)
    strict = draw(st.booleans()) and threshold < total
    mapping = {
        "id": "plan",
        "version": "1",
        "status": "illustrative",
        "source": "generated",
        "label": label("plan"),
        "max_score": float(total),
        "groups": [{"id": "g", "label": label("g"), "max": float(total), "indicators": indicators}],
        "tiers": {
            "scale": [
                {
                    "id": "t",
                    "label": label("t"),
                    "min": float(threshold),
                    "min_inclusive": not strict,
                }
            ]
        },
    }
    ruleset = kla.RuleSet.from_mapping(mapping)
    start = {}
    for indicator in ruleset.indicators.values():
        if draw(st.booleans()):
            start[indicator.id] = draw(st.sampled_from(_choices(indicator.items[0].rule)))
    region = {"code": "99.01", "name": "Kota Uji", "kind": "kota", "province": "Uji"}
    submission = kla.Submission.from_mapping({"region": region, "year": 2025, "answers": start})
    costs = {ind: float(draw(st.integers(1, 4))) for ind in ruleset.indicators}
    return ruleset, submission, costs


def _brute_force(
    ruleset: kla.RuleSet, submission: kla.Submission, costs: dict[str, float]
) -> float | None:
    """The least cost of answers that score() puts in tier ``t``, trying every answer."""
    indicators = list(ruleset.indicators.values())
    best = None
    for picked in itertools.product(*([None, *_choices(i.items[0].rule)] for i in indicators)):
        cost = 0.0
        answers_ = {}
        for indicator, answer in zip(indicators, picked, strict=True):
            before = submission.answers.get(indicator.id)
            if answer is None:
                if before is not None:
                    break  # plans change answers; they never take one back
                continue
            answers_[indicator.id] = answer
            if answer != before:
                cost += costs[indicator.id]
        else:
            changed = kla.Submission(submission.region, submission.year, answers_)
            card = kla.score(ruleset, changed)
            if card.tier is not None and (best is None or cost < best):
                best = cost
    return best


@settings(max_examples=examples(200))
@given(_small_plan_case())
def test_plan_agrees_with_a_brute_force_judged_by_score(case: Any) -> None:
    ruleset, submission, costs = case
    if kla.score(ruleset, submission).tier is not None:
        return  # already there: nothing to plan
    result = kla.plan(ruleset, submission, target="t", cost=costs)
    cheapest = _brute_force(ruleset, submission, costs)
    assert result.reachable == (cheapest is not None)
    if result.reachable:
        assert result.cost == cheapest
        # The plan's answers, scored by score(), reach the target with the plan's total.
        card = kla.score(ruleset, changed_submission(ruleset, submission, result.answers()))
        assert card.total == result.new_total
        assert card.tier is not None and card.tier.id == "t"
        assert result.new_tier is not None and result.new_tier.id == "t"
