"""``score()``: a pure function from (ruleset, submission, stage) to a score card.

The answers are checked once, by the compiled totals (:mod:`kla_model.scoring.compiled`),
which ``score()`` needs anyway for a card whose trace is made only when read: an answer a
rule refuses, an unknown id, a single answer to an indicator of several items make them give
up, and then :mod:`kla_model.submissions.conformance` locates and words every problem.  The
common case, a valid submission, pays for no error reporting, and the trace is built from
answers already known to fit.

A submission with evidence or verification records is seen through a
:class:`~kla_model.submissions.stage_view.StageView`, built once per call after its records are
checked (once per submission and ruleset: see :class:`_FittingRecords`); a submission without
either, scored at the self-assessment, takes the plain path.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kla_model._base.frozen import FrozenDict, freeze
from kla_model.rules.answers import trace_input
from kla_model.rules.model import Indicator, Item
from kla_model.rules.ruleset import RuleSet
from kla_model.rules.tiers import tier_verdict
from kla_model.scoring.card_json import DeclaredTrace, RecordedTrace, card_json, writer_of
from kla_model.scoring.compiled import compile_ruleset
from kla_model.scoring.results import (
    GroupScore,
    IndicatorScore,
    ItemScore,
    ScoreCard,
    declared_item_score,
)
from kla_model.submissions.conformance import (
    history_check,
    raise_for_problems,
    stale_data,
)
from kla_model.submissions.evidence import STAGES, known_stage, reason_data
from kla_model.submissions.stage_view import StageView, stage_view
from kla_model.submissions.submission import ItemAnswer, ItemAnswers, Submission, answer_to_data

__all__ = ["STAGES", "score", "score_json"]

#: The trace record of an unanswered item: nothing was read, nothing matched.
_EMPTY: Mapping[str, Any] = FrozenDict()


#: Scores an answered item: (item, its declared answer) -> its record.
_ItemScorer = Callable[[Item, ItemAnswer], ItemScore]


def _seen(
    item: Item, answer: ItemAnswer, supported: bool, verifying: bool
) -> tuple[float, Any, bool]:
    """What ``item`` answered ``answer`` (its corrected value, if any) scores at a stage: its
    points, what its rule matched, and whether the points fell to 0 because the item requires
    evidence, the stage verifies, and none of its evidence was accepted.  The one place both
    a stage's totals and its records take an item's points from."""
    evaluated = item.rule.evaluate(answer)
    if evaluated is None:
        raise _unscorable(item, answer)
    points, matched = evaluated
    rule = item.evidence
    if verifying and points > 0 and rule is not None and rule.required and not supported:
        return 0.0, matched, True
    return points, matched, False


def _seen_items(view: StageView) -> _ItemScorer:
    """How ``view``'s stage scores an answered item: corrected, and verified from
    administrative on.  The view's parts are read once here, not once per item."""
    corrections, support_of, verifying = view.corrections, view.support, view.verifying

    def seen_item(item: Item, declared: ItemAnswer) -> ItemScore:
        correction = corrections.get(item.id)
        answer = declared if correction is None else correction.value
        # Both the declared value and a correction's were checked (score(), _view): whether
        # a submission is valid never depends on the stage it is scored at.
        support = support_of.get(item.id, ())
        points, matched, unverified = _seen(item, answer, bool(support), verifying)
        outcome = "scored"
        trace = None
        if correction is not None:
            outcome = "corrected"
            trace = FrozenDict(
                declared=freeze(answer_to_data(declared)),
                stage=correction.stage,
                verifier=correction.verifier,
                reason=freeze(reason_data(correction.reason)),
            )
        if unverified:
            outcome = "unverified"
        return ItemScore(
            item.id,
            item.label,
            points,
            item.max,
            item.rule.kind,
            outcome,
            trace_input(answer),
            matched,
            support,
            trace,
        )

    return seen_item


def _seen_sums(ruleset: RuleSet, submission: Submission, view: StageView) -> tuple[float, ...]:
    """Points per group at ``view``'s stage, added as the records add them (item points
    per indicator, then indicator points per group), without making the records."""
    add, answers = ruleset.resolution.add, submission.answers
    corrections, support, verifying = view.corrections, view.support, view.verifying
    sums = []
    for group in ruleset.groups:
        indicator_points = []
        for indicator in group.indicators:
            answer = answers.get(indicator.id)
            if answer is None:
                indicator_points.append(0.0)
                continue
            items = (
                answer.items if isinstance(answer, ItemAnswers) else {indicator.items[0].id: answer}
            )
            points = []
            for item in indicator.items:
                item_answer = items.get(item.id)
                if item_answer is None:
                    points.append(0.0)
                    continue
                correction = corrections.get(item.id)
                if correction is not None:
                    item_answer = correction.value
                points.append(_seen(item, item_answer, item.id in support, verifying)[0])
            indicator_points.append(add(points))
        sums.append(add(indicator_points))
    return tuple(sums)


def _declared_item(item: Item, answer: ItemAnswer) -> ItemScore:
    """An answered item scored as declared: its rule's outcome (looked up in the rule's
    own table where its answers are finite)."""
    scored = declared_item_score(item, answer)
    if scored is None:
        raise _unscorable(item, answer)
    return scored


def _unscorable(item: Item, answer: ItemAnswer) -> AssertionError:
    """An answer refused after score() found every answer fitting: the checks and the rules
    disagree, a fault of this library, not of the submission (kept loud)."""
    return AssertionError(f"item {item.id!r}: the rule cannot score {answer!r}")


def _missing_item(item: Item) -> ItemScore:
    return ItemScore(item.id, item.label, 0.0, item.max, item.rule.kind, "missing", None, _EMPTY)


def _indicator(
    indicator: Indicator,
    submission: Submission,
    scored_item: _ItemScorer,
    add: Callable[[Iterable[float]], float],
) -> IndicatorScore:
    # Written as plain loops: this runs once per indicator of every submission scored.
    answer = submission.answers.get(indicator.id)
    if answer is None:
        items = tuple([_missing_item(item) for item in indicator.items])
        return IndicatorScore(indicator.id, indicator.label, 0.0, indicator.max, False, items)
    # (conformance.item_answers, inlined: a one-item indicator may be answered directly;
    # score() checked that only a one-item indicator is)
    answers = answer.items if isinstance(answer, ItemAnswers) else {indicator.items[0].id: answer}
    scored = []
    for item in indicator.items:
        item_answer = answers.get(item.id)
        if item_answer is None:
            scored.append(_missing_item(item))
            continue
        scored.append(scored_item(item, item_answer))
    points = add([item.points for item in scored])
    return IndicatorScore(indicator.id, indicator.label, points, indicator.max, True, tuple(scored))


def _groups(
    ruleset: RuleSet, submission: Submission, view: StageView | None
) -> tuple[GroupScore, ...]:
    groups = []
    add = ruleset.resolution.add
    scored_item = _declared_item if view is None else _seen_items(view)
    for group in ruleset.groups:
        indicators = tuple(
            [_indicator(ind, submission, scored_item, add) for ind in group.indicators]
        )
        points = add([indicator.points for indicator in indicators])
        groups.append(GroupScore(group.id, group.label, points, group.max, indicators))
    return tuple(groups)


def _stage(stage: str | None, submission: Submission) -> str:
    return submission.latest_stage if stage is None else known_stage(stage)


#: How many submissions a ruleset remembers as having evidence and records that fit it.
_MAX_KEPT_FITTING = 64


class _FittingRecords:
    """The submissions whose evidence and verification records were found to fit one
    ruleset, by identity.

    A submission is immutable, so its records fit the ruleset for as long as it lives:
    scoring it at every stage (``score_stages``), or again, checks them once.  Each is held
    weakly (a dead one's id may be reused by another object: the reference tells them
    apart), and at most :data:`_MAX_KEPT_FITTING` are kept, so no stream of submissions
    makes this grow.
    """

    def __init__(self, ruleset: RuleSet) -> None:
        # Nothing refers to the ruleset: this is kept with it (RuleSet.derived).
        self._fitting: dict[int, weakref.ref[Submission]] = {}

    def check(self, ruleset: RuleSet, submission: Submission) -> None:
        """Raise :class:`~kla_model.SubmissionError` for records that do not fit ``ruleset``."""
        known = self._fitting.get(id(submission))
        if known is not None and known() is submission:
            return
        if history_check(ruleset, submission):
            raise_for_problems(ruleset, submission)
            return  # (check() found nothing it words: scored as before, not remembered)
        if len(self._fitting) >= _MAX_KEPT_FITTING:
            self._fitting.clear()
        self._fitting[id(submission)] = weakref.ref(submission)


def _as_declared(submission: Submission, stage: str) -> bool:
    """Whether ``stage`` counts every answer of ``submission`` as declared: the
    self-assessment of a submission without evidence, where a view would change nothing."""
    return stage == STAGES[0] and not submission.evidence


def _view(ruleset: RuleSet, submission: Submission, stage: str) -> StageView | None:
    """The stage's view of the submission; ``None`` when it would change nothing."""
    if _as_declared(submission, stage):
        return None
    ruleset.derived("fitting records", _FittingRecords).check(ruleset, submission)
    return stage_view(ruleset, submission, stage)


def score(ruleset: RuleSet, submission: Submission, stage: str | None = None) -> ScoreCard:
    """Score ``submission`` with ``ruleset`` at ``stage``: points per item, indicator, group,
    total, tier.

    ``stage`` is one of :data:`STAGES`; by default the latest the submission has reached
    (:attr:`~kla_model.Submission.latest_stage`).  At the self-assessment every answer counts
    as declared; from administrative verification on, an item that requires evidence scores
    only if a piece of its evidence has been accepted at or before ``stage`` (else its
    outcome is ``unverified``), and corrected values replace declared ones from the stage
    that corrected them (outcome ``corrected``).

    Raises :class:`~kla_model.SubmissionError` listing every answer or record that does not
    fit the ruleset.  An indicator the submission does not answer scores 0 and is listed in
    ``card.missing``.  Neither argument is changed.
    """
    return _scored(ruleset, submission, _stage(stage, submission), records_read=False)


def _scored(
    ruleset: RuleSet, submission: Submission, stage: str, *, records_read: bool
) -> ScoreCard:
    """:func:`score` at ``stage``; ``records_read``: the caller reads the card's records
    (its JSON does), so a stage's view makes them now and adds its totals from them."""
    if stale_data(ruleset, submission):
        raise_for_problems(ruleset, submission)
    view = _view(ruleset, submission, stage)
    # The compiled totals, proven equal to the trace's, are the check of the answers.
    sums = compile_ruleset(ruleset).group_points(submission)
    if sums is None:
        raise_for_problems(ruleset, submission)
    if sums is not None and not ruleset.tiers.has_conditions:
        # The total alone decides: the trace is built when read.
        if view is None:  # every answer as declared
            return _declared_card(ruleset, submission, stage, sums)
        if not records_read:
            # A stage's view: its totals now (the same sums as the records'), its records
            # later, if they are read at all.
            records = RecordedTrace(ruleset, lambda: _groups(ruleset, submission, view))
            sums = _seen_sums(ruleset, submission, view)
            return _card(ruleset, submission, stage, sums, records)
    # Must-pass conditions, answers of a type the totals do not look up (a subclass of
    # ``str``, say), which fit their rules all the same, or records the caller reads: the
    # records now, and the totals from them.
    groups = _groups(ruleset, submission, view)
    trace = RecordedTrace(ruleset, groups)  # the records, with the ruleset that wrote them
    return _card(ruleset, submission, stage, tuple(g.points for g in groups), trace)


def score_json(ruleset: RuleSet, submission: Submission, stage: str | None = None) -> bytes:
    """The JSON of ``score(ruleset, submission, stage)`` as :func:`card_json` writes it.

    Where every answer counts as declared (the self-assessment of a submission without
    evidence, a scale without must-pass conditions), the card and its text come from one
    pass over the answers: the card writer's kept entry of an indicator holds its points
    with its text, so the points are not found once for the card and again for the text.
    Any other card is scored as :func:`score` scores it, its records made at once (its text
    reads them) and its totals added from them, not added first and the records made after;
    an answer that does not fit the ruleset is worded as :func:`score` words it.
    """
    stage = _stage(stage, submission)
    if _all_declared(ruleset, submission, stage):
        writer = writer_of(ruleset)
        parts = writer.declared_parts(submission.answers)
        if parts is not None:
            card = _declared_card(ruleset, submission, stage, parts.sums)
            return writer.write_declared(card, parts)
    return card_json(_scored(ruleset, submission, stage, records_read=True))


def _all_declared(ruleset: RuleSet, submission: Submission, stage: str) -> bool:
    """Whether ``score()`` counts every answer as declared and the total alone decides the
    tier (its ``DeclaredTrace``), for answers that fit: the self-assessment of a well-typed
    submission without evidence, whose data years the round allows, under a scale without
    must-pass conditions."""
    if ruleset.tiers.has_conditions or not submission.well_typed:
        return False
    return _as_declared(submission, stage) and not stale_data(ruleset, submission)


def _declared_card(
    ruleset: RuleSet, submission: Submission, stage: str, sums: tuple[float, ...]
) -> ScoreCard:
    """The card of answers all counted as declared: its records are made when read."""
    lazy = DeclaredTrace(ruleset, submission, lambda: _groups(ruleset, submission, None))
    return _card(ruleset, submission, stage, sums, lazy)


def _card(
    ruleset: RuleSet,
    submission: Submission,
    stage: str,
    sums: tuple[float, ...],
    groups: tuple[GroupScore, ...] | Callable[[], tuple[GroupScore, ...]],
) -> ScoreCard:
    # Exact sums of the decimals (rules/points.py): a total equal to a threshold is equal.
    resolution = ruleset.resolution
    total = resolution.add(sums)
    if ruleset.tiers.has_conditions:  # only must-pass conditions read points per part
        assert isinstance(groups, RecordedTrace)  # made at once for such scales (see score())
        records = groups.records
        points_of = {("group", g.id): g.points for g in records}
        points_of |= {("indicator", i.id): i.points for g in records for i in g.indicators}
        verdict = tier_verdict(ruleset.tiers, total, points_of, resolution.subtract)
    else:  # the total alone decides: the same verdict for every card with this total
        verdict = writer_of(ruleset).verdict(total)
    eligibility, tier, next_tier, to_next = verdict
    return ScoreCard(
        ruleset=ruleset.ref,
        region=submission.region,
        year=submission.year,
        stage=stage,
        total=total,
        max_score=ruleset.max_score,
        tier=tier,
        next_tier=next_tier,
        points_to_next_tier=to_next,
        eligibility=eligibility,
        groups=groups,
        none_label=ruleset.tiers.none_label,
    )
