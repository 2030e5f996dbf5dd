"""``score()``: a pure function from (ruleset, submission) to a score card.

Scoring and checking share one pass: each answered item asks its rule whether the answer
can be scored before applying it.  Only when something is wrong does the engine hand over
to :mod:`kla_model.conformance`, which locates and words every problem; the common case, a
valid submission, pays for no error reporting.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from kla_model.conformance import item_answers, raise_for_problems
from kla_model.errors import KlaError
from kla_model.model import Indicator, Item
from kla_model.results import GroupScore, IndicatorScore, ItemScore, ScoreCard
from kla_model.ruleset import RuleSet
from kla_model.submission import ItemAnswer, Submission, answer_to_data

__all__ = ["STAGES", "score"]

#: The evaluation's stages, in order.
STAGES = ("self_assessment",)

_NOTHING: Mapping[str, ItemAnswer] = {}


class _UnscorableError(Exception):
    """An answer does not fit the ruleset; conformance will say exactly how."""


def _item(item: Item, answers: Mapping[str, ItemAnswer]) -> ItemScore:
    answer = answers.get(item.id)
    if answer is None:
        return ItemScore(item.id, item.label, 0.0, item.max, item.rule.kind, "missing", None, {})
    if item.rule.problem(answer) is not None:
        raise _UnscorableError
    points, matched = item.rule.apply(answer)
    data = answer_to_data(answer)
    return ItemScore(item.id, item.label, points, item.max, item.rule.kind, "scored", data, matched)


def _indicator(indicator: Indicator, submission: Submission) -> IndicatorScore:
    answer = submission.answers.get(indicator.id)
    answers = _NOTHING if answer is None else item_answers(indicator, answer)
    items = tuple(_item(item, answers) for item in indicator.items)
    if len(answers) != sum(item.outcome == "scored" for item in items):
        raise _UnscorableError  # an answer for an item this indicator does not have
    points = math.fsum(item.points for item in items)
    answered = answer is not None
    return IndicatorScore(indicator.id, indicator.label, points, indicator.max, answered, items)


def _groups(ruleset: RuleSet, submission: Submission) -> tuple[GroupScore, ...]:
    if not submission.answers.keys() <= ruleset.indicators.keys():
        raise _UnscorableError  # an answer for an indicator the ruleset does not have
    groups = []
    for group in ruleset.groups:
        indicators = tuple(_indicator(indicator, submission) for indicator in group.indicators)
        points = math.fsum(indicator.points for indicator in indicators)
        groups.append(GroupScore(group.id, group.label, points, group.max, indicators))
    return tuple(groups)


def _stage(stage: str | None) -> str:
    if stage is None:
        return STAGES[-1]
    if stage not in STAGES:
        raise KlaError(f"stage: expected one of {', '.join(STAGES)}; found {stage!r}")
    return stage


def score(ruleset: RuleSet, submission: Submission, stage: str | None = None) -> ScoreCard:
    """Score ``submission`` with ``ruleset``: points per item, indicator, group, total, tier.

    Raises :class:`~kla_model.SubmissionError` listing every answer that does not fit the
    ruleset.  An indicator the submission does not answer scores 0 and is listed in
    ``card.missing``.  Neither argument is changed.
    """
    stage = _stage(stage)
    try:
        groups = _groups(ruleset, submission)
    except _UnscorableError:
        raise_for_problems(ruleset, submission)
        raise  # unreachable while conformance and the rules agree; kept loud if they do not
    total = math.fsum(group.points for group in groups)
    points_of = {("group", g.id): g.points for g in groups}
    points_of |= {("indicator", i.id): i.points for g in groups for i in g.indicators}
    eligibility = ruleset.tiers.eligibility(total, points_of)
    reached = [entry.tier for entry in eligibility if entry.reached]
    tier = reached[-1] if reached else None
    next_tier = ruleset.tiers.above(tier)
    return ScoreCard(
        ruleset=ruleset.ref,
        region=submission.region,
        year=submission.year,
        stage=stage,
        total=total,
        max_score=ruleset.max_score,
        tier=tier,
        next_tier=next_tier,
        points_to_next_tier=None if next_tier is None else max(next_tier.min - total, 0.0),
        eligibility=eligibility,
        groups=groups,
        none_label=ruleset.tiers.none_label,
    )
