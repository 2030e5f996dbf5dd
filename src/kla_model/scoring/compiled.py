"""A ruleset compiled once into plain functions, for scoring totals fast.

:func:`kla_model.score` builds a full trace: a record per item, indicator and group.  A batch
of many districts that only wants group points, totals and tiers does not need those records,
so :func:`compile_ruleset` turns each item's rule into a small function from an answer to its
points, once per ruleset, and :meth:`CompiledRuleSet.totals` runs them.

The compiled path must give exactly what ``score`` gives.  It therefore adds points the way
the engine does (``math.fsum`` per indicator, per group, then over the groups, so every float
comes out bit for bit the same) and it only handles answers it is sure of: anything it does
not recognise (an answer that does not fit its rule, an unknown id, an odd shape) makes
``totals`` return ``None``, and the caller scores that submission with ``score``, which gives
the canonical result or the canonical error.  A property test checks the two paths agree.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import attrs

from kla_model.rules.model import Indicator, Item
from kla_model.rules.point_rules import (
    BandsRule,
    BooleanRule,
    ChecklistRule,
    LevelsRule,
    PointRule,
    ReferenceRule,
)
from kla_model.rules.ruleset import RuleSet
from kla_model.scoring.engine import STAGES
from kla_model.scoring.results import RuleSetRef
from kla_model.scoring.totals import ScoreTotals
from kla_model.submissions.submission import ItemAnswers, Measurement, Submission

__all__ = ["CompiledRuleSet", "compile_ruleset"]

#: The only stage whose points the compiled path knows: every answer counts as declared.
COMPILED_STAGE = STAGES[0]

#: An item's answer -> its points; raises :class:`_NotMineError` (or, from a dict lookup,
#: ``KeyError`` or ``TypeError``) for an answer it cannot score.
ItemFunction = Callable[[Any], float]


class _NotMineError(Exception):
    """The compiled path cannot score this answer; ``score`` will decide what it is."""


def _boolean(rule: BooleanRule) -> ItemFunction:
    points = rule.points

    def boolean(answer: Any) -> float:
        if answer is True:
            return points
        if answer is False:
            return 0.0
        raise _NotMineError

    return boolean


def _levels(rule: LevelsRule) -> ItemFunction:
    # The dict's own lookup: a level id gives its points, anything else raises KeyError (an
    # unknown id, or a non-string: only a string equals a string key) or TypeError.
    return {level.id: level.points for level in rule.levels}.__getitem__


#: A checklist of at most this many options has the points of every answer worked out in
#: advance (every order of every subset: 1,957 answers for 6 options).
_TABULATED_OPTIONS = 6


def _checklist(rule: ChecklistRule, exact: bool) -> ItemFunction:
    points_of = {option.id: option.points for option in rule.options}
    cap = rule.cap
    add = sum if exact else math.fsum  # equal when exact; see _exact()

    def computed(answer: Any) -> float:
        if type(answer) is not tuple:
            raise _NotMineError
        # A set, as the rule does: a tick listed twice counts once.  An unknown tick raises
        # KeyError, an unhashable one TypeError: both mean "not mine".
        uncapped = add(map(points_of.__getitem__, set(answer)))
        return uncapped if cap is None else min(uncapped, cap)

    if len(points_of) > _TABULATED_OPTIONS:
        return computed
    table = {
        ticks: computed(ticks)
        for count in range(len(points_of) + 1)
        for ticks in itertools.permutations(points_of, count)
    }

    def checklist(answer: Any) -> float:
        points = table.get(answer) if type(answer) is tuple else None
        return computed(answer) if points is None else points

    return checklist


def _contiguous(rule: BandsRule) -> bool:
    """Bands that follow each other without gap or overlap, as a built ruleset's do."""
    bands = rule.bands
    return all(
        upper.min == lower.max and lower.max_inclusive != upper.min_inclusive
        for lower, upper in itertools.pairwise(bands)
    )


def _measurement(answer: Any, percent: bool) -> float:
    if type(answer) is not Measurement:
        raise _NotMineError
    value = answer.value
    if percent and not 0 <= value <= 100:  # also refuses NaN
        raise _NotMineError
    return value


def _bands(rule: BandsRule) -> ItemFunction:
    percent = rule.unit == "percent"
    last = rule.bands[-1]
    high, high_inclusive = last.max, last.max_inclusive
    # Highest band first: a value falls in the first band whose lower bound it clears.
    lowers = tuple((band.min, band.min_inclusive, band.points) for band in reversed(rule.bands))

    def bands(answer: Any) -> float:
        if type(answer) is not Measurement:
            raise _NotMineError
        value = answer.value
        if percent and not 0 <= value <= 100:  # also refuses NaN
            raise _NotMineError
        if not (value < high or (high_inclusive and value == high)):
            raise _NotMineError
        for low, low_inclusive, points in lowers:
            if value > low or (low_inclusive and value == low):
                return points
        raise _NotMineError

    return bands


def _reference(rule: ReferenceRule) -> ItemFunction:
    percent = rule.unit == "percent"
    series = rule.series
    reference_of = {
        year: series.point_for(year).value
        for year in range(series.first_year, series.last_year + 1)
    }
    lower_is_better = rule.direction == "lower_is_better"
    better, equal, worse = rule.better, rule.equal, rule.worse

    def reference(answer: Any) -> float:
        value = _measurement(answer, percent)
        reference_value = reference_of.get(answer.data_year)
        if reference_value is None:
            raise _NotMineError
        if value == reference_value:
            return equal
        return better if (value < reference_value) == lower_is_better else worse

    return reference


def _generic(item: Item) -> ItemFunction:
    """Any other rule, through the rule's own methods: slower, but the same by construction."""
    rule = item.rule

    def generic(answer: Any) -> float:
        if rule.problem(answer) is not None:
            raise _NotMineError
        return rule.apply(answer).points

    return generic


def _item_function(item: Item, exact: bool) -> ItemFunction:
    # `type(...) is` on purpose: a subclass may score differently, so it takes the generic path.
    rule = item.rule
    if type(rule) is BooleanRule:
        return _boolean(rule)
    if type(rule) is LevelsRule:
        return _levels(rule)
    if type(rule) is ChecklistRule:
        return _checklist(rule, exact)
    if type(rule) is BandsRule and _contiguous(rule):
        return _bands(rule)
    if type(rule) is ReferenceRule:
        return _reference(rule)
    return _generic(item)


class _CompiledIndicator(NamedTuple):
    #: The index of the indicator's group in the ruleset.
    group: int
    #: The function of the only item, when the indicator has one (it may be answered directly).
    single: ItemFunction | None
    #: Each item's function, by item id.
    items: Mapping[str, ItemFunction]


def _indicator(group: int, indicator: Indicator, exact: bool) -> _CompiledIndicator:
    items = {item.id: _item_function(item, exact) for item in indicator.items}
    single = next(iter(items.values())) if len(items) == 1 else None
    return _CompiledIndicator(group, single, items)


#: Points that are whole multiples of 2**-EXACT_BITS ...
EXACT_BITS = 16
#: ... and totals below 2**(53 - EXACT_BITS) are added without rounding (a float has 53 bits).
_EXACT_LIMIT = 2.0 ** (53 - EXACT_BITS)


def _values(rule: PointRule) -> tuple[float, ...] | None:
    """Every number a rule's points are made of, or ``None`` if they are not a known few."""
    if type(rule) is BooleanRule:
        return (rule.points,)
    if type(rule) is LevelsRule:
        return tuple(level.points for level in rule.levels)
    if type(rule) is ChecklistRule:
        caps = () if rule.cap is None else (rule.cap,)
        return (*(option.points for option in rule.options), *caps)
    if type(rule) is BandsRule:
        return tuple(band.points for band in rule.bands)
    if type(rule) is ReferenceRule:
        return (rule.better, rule.equal, rule.worse)
    return None  # linear rules give any number between their anchors


def _exact(ruleset: RuleSet) -> bool:
    """Whether plain ``+`` adds this ruleset's points without rounding, in any order.

    If every point value (and every checklist cap) is a whole multiple of 2**-16 and the sum
    of them all stays below 2**37, every partial sum is a multiple of 2**-16 below 2**37,
    which a float holds exactly: no addition rounds, so a plain sum is the exact sum, which
    is what ``math.fsum`` returns, in whatever order or grouping the points are added.  The
    bundled ruleset qualifies (its points are quarters); then points can go straight into
    their group's sum, skipping the per-indicator ``fsum`` the engine does.
    """
    bound = 0.0
    scale = 2.0**EXACT_BITS
    for item in ruleset.items.values():
        values = _values(item.rule)
        if values is None:
            return False
        if not all(math.isfinite(v) and v >= 0 and (v * scale).is_integer() for v in values):
            return False
        bound += math.fsum(values)
    return bound < _EXACT_LIMIT


def _item_points(indicator: _CompiledIndicator, answer: Any) -> list[float]:
    """The points of each answered item of an indicator (unanswered items score 0)."""
    if type(answer) is not ItemAnswers:
        if indicator.single is None:
            raise _NotMineError  # a multi-item indicator needs {items: ...}
        return [indicator.single(answer)]
    functions = indicator.items
    points = []
    for item_id, item_answer in answer.items.items():
        function = functions.get(item_id)
        if function is None:
            raise _NotMineError  # an answer for an item this indicator does not have
        points.append(function(item_answer))
    return points


@attrs.frozen
class CompiledRuleSet:
    """A ruleset turned into per-item functions; see :func:`compile_ruleset`."""

    ruleset: RuleSet
    #: Whether points are added by plain ``+`` (proven exact for this ruleset) or ``fsum``.
    exact: bool
    _ref: RuleSetRef
    _group_ids: tuple[str, ...]
    _indicators: Mapping[str, _CompiledIndicator]

    def handles(self, submission: Submission, stage: str | None = None) -> bool:
        """Whether ``submission``'s totals at ``stage`` (``None``: its latest stage) can be
        computed here: at the self-assessment of a submission without evidence, where the
        engine takes every answer as declared (as it does in ``engine._view``)."""
        if submission.evidence:
            return False
        if stage is None:  # the latest stage: the self-assessment unless verifiers wrote records
            return not submission.verification or submission.latest_stage == COMPILED_STAGE
        return stage == COMPILED_STAGE

    def group_points(self, submission: Submission) -> tuple[float, ...] | None:
        """Points per group as ``score`` would give them, or ``None`` if unsure."""
        try:
            if self.exact:
                return self._exact_points(submission.answers)
            return self._fsum_points(submission.answers)
        except (_NotMineError, KeyError, TypeError):
            return None

    def _exact_points(self, answers: Mapping[str, Any]) -> tuple[float, ...]:
        """Plain addition, item by item, straight into the groups (see :func:`_exact`)."""
        sums = [0.0] * len(self._group_ids)
        indicators = self._indicators
        # Walk the answers, not the ruleset: unanswered indicators and items score 0.
        for indicator_id, answer in answers.items():
            indicator = indicators.get(indicator_id)
            if indicator is None:
                raise _NotMineError  # an answer for an indicator the ruleset does not have
            group, single, functions = indicator  # unpacked: faster than attribute access
            if type(answer) is ItemAnswers:
                points = 0.0
                for item_id, item_answer in answer.items.items():
                    function = functions.get(item_id)
                    if function is None:
                        raise _NotMineError  # an item this indicator does not have
                    points += function(item_answer)
                sums[group] += points
            elif single is not None:
                sums[group] += single(answer)
            else:
                raise _NotMineError  # a multi-item indicator needs {items: ...}
        return tuple(sums)

    def _fsum_points(self, answers: Mapping[str, Any]) -> tuple[float, ...]:
        """The engine's additions: ``fsum`` per indicator, then ``fsum`` per group."""
        groups: list[list[float]] = [[] for _ in self._group_ids]
        for indicator_id, answer in answers.items():
            indicator = self._indicators.get(indicator_id)
            if indicator is None:
                raise _NotMineError  # an answer for an indicator the ruleset does not have
            groups[indicator.group].append(math.fsum(_item_points(indicator, answer)))
        # fsum is exact, so neither the order nor the missing zeros change a sum.
        return tuple(math.fsum(points) for points in groups)

    def totals(self, submission: Submission, stage: str | None = None) -> ScoreTotals | None:
        """The submission's :class:`ScoreTotals` at ``stage``, or ``None``.

        ``None`` means the compiled path is not sure (another stage than a self-assessment
        without evidence, an answer that does not fit, must-pass tier conditions); score the
        submission with :func:`kla_model.score` instead.
        """
        # Must-pass conditions need every part's points: those scales go to score().
        if self.ruleset.tiers.has_conditions or not self.handles(submission, stage):
            return None
        groups = self.group_points(submission)
        if groups is None:
            return None
        total = sum(groups) if self.exact else math.fsum(groups)
        tier = self.ruleset.tiers.by_total(total)
        ruleset = self.ruleset
        return ScoreTotals(
            ruleset=self._ref,
            region=submission.region,
            year=submission.year,
            stage=COMPILED_STAGE,
            total=total,
            max_score=ruleset.max_score,
            tier=tier,
            group_ids=self._group_ids,
            group_points=groups,
            none_label=ruleset.tiers.none_label,
        )


def compile_ruleset(ruleset: RuleSet) -> CompiledRuleSet:
    """Compile ``ruleset`` once; reuse the result for every submission of a batch."""
    exact = _exact(ruleset)
    return CompiledRuleSet(
        ruleset=ruleset,
        exact=exact,
        ref=ruleset.ref,
        group_ids=tuple(group.id for group in ruleset.groups),
        indicators={
            indicator.id: _indicator(index, indicator, exact)
            for index, group in enumerate(ruleset.groups)
            for indicator in group.indicators
        },
    )
