"""A ruleset compiled once into plain functions, for scoring totals fast.

:func:`kla_model.score` builds a full trace: a record per item, indicator and group.  A batch
of many districts that only wants group points, totals and tiers does not need those records,
so :func:`compile_ruleset` turns each item's rule into a small function from an answer to its
points, once per ruleset, and :meth:`CompiledRuleSet.totals` runs them.

The compiled path must give exactly what ``score`` gives.  Both add points exactly (see
:mod:`kla_model.rules.points`: each group's sum and the total are the floats nearest the exact
decimal sums, so every float comes out bit for bit the same) and it only handles answers it
is sure of: anything it does
not recognise (an answer that does not fit its rule, an unknown id, an odd shape) makes
``totals`` return ``None``, and the caller scores that submission with ``score``, which gives
the canonical result or the canonical error.  A property test checks the two paths agree.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from kla_model.rules.model import Indicator, Item
from kla_model.rules.point_rules import (
    BandsRule,
    BooleanRule,
    ChecklistRule,
    LevelsRule,
    ReferenceRule,
)
from kla_model.rules.ruleset import RuleSet
from kla_model.scoring.results import RuleSetRef
from kla_model.scoring.totals import ScoreTotals
from kla_model.submissions.conformance import stale_data
from kla_model.submissions.evidence import STAGES
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


def _checklist(rule: ChecklistRule, add: Callable[[Iterable[float]], float]) -> ItemFunction:
    points_of = {option.id: option.points for option in rule.options}
    cap = rule.cap

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


def _item_function(item: Item, add: Callable[[Iterable[float]], float]) -> ItemFunction:
    # `type(...) is` on purpose: a subclass may score differently, so it takes the generic path.
    rule = item.rule
    if type(rule) is BooleanRule:
        return _boolean(rule)
    if type(rule) is LevelsRule:
        return _levels(rule)
    if type(rule) is ChecklistRule:
        return _checklist(rule, add)
    if type(rule) is BandsRule and _contiguous(rule):
        return _bands(rule)
    if type(rule) is ReferenceRule:
        return _reference(rule)
    return _generic(item)


#: How the compiled path scores one item: a yes/no item is its points (a float: yes gives
#: them, no gives 0), a levels item the dict from level id to points, any other item a
#: function.  The two commonest kinds are so handled inline, without a call per item.
ItemEntry = float | MappingProxyType[str, float] | ItemFunction


def _entry(item: Item, add: Callable[[Iterable[float]], float]) -> ItemEntry:
    rule = item.rule
    if type(rule) is BooleanRule:
        return float(rule.points)
    if type(rule) is LevelsRule:
        return MappingProxyType({level.id: level.points for level in rule.levels})
    return _item_function(item, add)


def _points(entry: ItemEntry, answer: Any) -> float:
    """One item's points from its entry (``_float_points`` inlines this)."""
    kind = type(entry)
    if kind is float:
        if answer is True:
            return entry  # type: ignore[return-value]
        if answer is False:
            return 0.0
        raise _NotMineError
    if kind is MappingProxyType:
        return entry[answer]  # type: ignore[index]  # KeyError: not mine
    return entry(answer)  # type: ignore[operator]


class _CompiledIndicator(NamedTuple):
    #: The index of the indicator's group in the ruleset.
    group: int
    #: The entry of the only item, when the indicator has one (it may be answered directly).
    single: ItemEntry | None
    #: Each item's entry, by item id.
    items: Mapping[str, ItemEntry]


def _indicator(
    group: int, indicator: Indicator, add: Callable[[Iterable[float]], float]
) -> _CompiledIndicator:
    items = MappingProxyType({item.id: _entry(item, add) for item in indicator.items})
    single = next(iter(items.values())) if len(items) == 1 else None
    return _CompiledIndicator(group, single, items)


@attrs.frozen
class CompiledRuleSet:
    """A ruleset turned into per-item functions; see :func:`compile_ruleset`."""

    ruleset: RuleSet
    #: Whether float ``+`` alone adds this ruleset's points exactly (every point a multiple
    #: of 2**-16, see ``Resolution.dyadic``); otherwise sums are rounded to its resolution.
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
            sums = self._float_points(submission.answers)
        except (_NotMineError, KeyError, TypeError):
            return None
        if self.exact:
            return tuple(sums)
        snap = self.ruleset.resolution.snap
        return tuple([snap(points) for points in sums])

    def _float_points(self, answers: Mapping[str, Any]) -> list[float]:
        """Float addition, item by item, straight into the groups.

        Every point value is the float nearest a decimal at the ruleset's resolution, and the
        resolution bounds how many and how large they are (``Resolution.of``), so the float
        sum is within a quarter of a unit of the exact one: ``Resolution.snap`` gives the
        exact sum, as ``score`` does per indicator and per group.
        """
        sums = [0.0] * len(self._group_ids)
        indicators = self._indicators
        # Walk the answers, not the ruleset: unanswered indicators and items score 0.
        for indicator_id, answer in answers.items():
            indicator = indicators.get(indicator_id)
            if indicator is None:
                raise _NotMineError  # an answer for an indicator the ruleset does not have
            group, single, entries = indicator  # unpacked: faster than attribute access
            if type(answer) is ItemAnswers:
                points = 0.0
                for item_id, item_answer in answer.items.items():
                    # KeyError for an item this indicator does not have: not mine.
                    entry = entries[item_id]
                    kind = type(entry)
                    if kind is float:  # _points, inlined: a call per item is the cost here
                        if item_answer is True:
                            points += entry  # type: ignore[operator]
                        elif item_answer is not False:
                            raise _NotMineError
                    elif kind is MappingProxyType:
                        points += entry[item_answer]  # type: ignore[index]
                    else:
                        points += entry(item_answer)  # type: ignore[operator]
                sums[group] += points
            elif single is not None:
                sums[group] += _points(single, answer)
            else:
                raise _NotMineError  # a multi-item indicator needs {items: ...}
        return sums

    def totals(self, submission: Submission, stage: str | None = None) -> ScoreTotals | None:
        """The submission's :class:`ScoreTotals` at ``stage``, or ``None``.

        ``None`` means the compiled path is not sure (another stage than a self-assessment
        without evidence, an answer that does not fit, must-pass tier conditions); score the
        submission with :func:`kla_model.score` instead.
        """
        # Must-pass conditions need every part's points: those scales go to score(), as do
        # data years the round does not allow (score() names them).
        if self.ruleset.tiers.has_conditions or not self.handles(submission, stage):
            return None
        if stale_data(self.ruleset, submission):
            return None
        groups = self.group_points(submission)
        if groups is None:
            return None
        total = self.ruleset.resolution.add(groups)
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
    """``ruleset`` compiled: made once on first use and kept with the ruleset, so that
    scoring one submission or a million compiles it once.  (Two threads compiling at once
    both build an equal compiled form; either may be kept.)"""
    compiled = ruleset._compiled
    if not isinstance(compiled, CompiledRuleSet):
        compiled = _compiled(ruleset)
        object.__setattr__(ruleset, "_compiled", compiled)  # the ruleset's one write-once slot
    return compiled


def _compiled(ruleset: RuleSet) -> CompiledRuleSet:
    add = ruleset.resolution.add
    return CompiledRuleSet(
        ruleset=ruleset,
        exact=ruleset.resolution.dyadic,
        ref=ruleset.ref,
        group_ids=tuple(group.id for group in ruleset.groups),
        # read-only: the compiled form is reachable from the (immutable) ruleset
        indicators=MappingProxyType(
            {
                indicator.id: _indicator(index, indicator, add)
                for index, group in enumerate(ruleset.groups)
                for indicator in group.indicators
            }
        ),
    )
