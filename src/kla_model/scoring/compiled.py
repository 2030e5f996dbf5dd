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

import bisect
import itertools
import math
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
    PointRule,
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


# Yes/no, levels and (small) checklist items are a dict's bound lookup: calling it runs in C,
# with no Python frame, which is most of what makes the compiled path fast.


def _boolean(rule: BooleanRule) -> ItemFunction:
    # ``1`` equals ``True`` as a dict key: only for well-typed submissions (``group_points``
    # checks ``Submission.well_typed`` first).
    return {True: float(rule.points), False: 0.0}.__getitem__


def _levels(rule: LevelsRule) -> ItemFunction:
    # A level id gives its points, anything else raises KeyError (an unknown id, or a
    # non-string: only a string equals a string key) or TypeError.
    return {level.id: level.points for level in rule.levels}.__getitem__


#: A checklist of at most this many options has the points of every answer worked out in
#: advance (every order of every subset: 1,957 answers for 6 options).
_TABULATED_OPTIONS = 6


class _Tabulated(dict[Any, float]):
    """Points of the answers worked out in advance; any other answer is computed."""

    __slots__ = ("_compute",)

    def __init__(self, compute: ItemFunction, answers: Iterable[Any]) -> None:
        super().__init__((answer, compute(answer)) for answer in answers)
        self._compute = compute

    def __missing__(self, answer: Any) -> float:
        return self._compute(answer)


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
    every_answer = (
        ticks
        for count in range(len(points_of) + 1)
        for ticks in itertools.permutations(points_of, count)
    )
    # An answer that is not a tuple of ticks misses the table, and ``computed`` refuses it.
    return _Tabulated(computed, every_answer).__getitem__


def _contiguous(rule: BandsRule) -> bool:
    """Bands that follow each other without gap or overlap, as a built ruleset's do."""
    bands = rule.bands
    return all(
        upper.min == lower.max and lower.max_inclusive != upper.min_inclusive
        for lower, upper in itertools.pairwise(bands)
    )


def _band_edges(rule: BandsRule) -> tuple[list[float], list[float | None]] | None:
    """The bands as edges for ``bisect``: a float ``v`` is in band ``i`` exactly when
    ``bisect_right(edges, v) == i + 1``; ``points[0]`` and ``points[-1]`` are ``None`` (below
    the first band, above the last, or NaN).  ``None`` when the bands are not contiguous.

    ``v > m`` is ``v >= nextafter(m, inf)`` for floats, so every bound becomes an inclusive
    lower edge; the top bound becomes the first float above the range.  A percentage is also
    refused outside 0..100, as the rule does, by moving the outer edges in.
    """
    bounds = [band.min for band in rule.bands] + [rule.bands[-1].max]
    if not _contiguous(rule) or any(float(bound) != bound for bound in bounds):
        return None
    edges = [
        float(band.min) if band.min_inclusive else math.nextafter(band.min, math.inf)
        for band in rule.bands
    ]
    last = rule.bands[-1]
    edges.append(math.nextafter(last.max, math.inf) if last.max_inclusive else float(last.max))
    if rule.unit == "percent":
        edges[0] = max(edges[0], 0.0)
        edges[-1] = min(edges[-1], math.nextafter(100.0, math.inf))
    if any(lower > upper for lower, upper in itertools.pairwise(edges)):
        return None  # a band wholly outside 0..100: the rule's own methods decide
    points: list[float | None] = [None, *(band.points for band in rule.bands), None]
    return edges, points


def _bands(rule: BandsRule) -> ItemFunction:
    found = _band_edges(rule)
    if found is None:
        return _generic(rule)
    edges, points_of = found

    def bands(answer: Any) -> float:
        # Floats only: a huge int can fall between a bound and the float after it.
        if type(answer) is not Measurement or type(answer.value) is not float:
            raise _NotMineError
        points = points_of[bisect.bisect_right(edges, answer.value)]
        if points is None:
            raise _NotMineError
        return points

    return bands


def _reference(rule: ReferenceRule) -> ItemFunction:
    percent = rule.unit == "percent"
    series = rule.series
    reference_of: dict[int | None, float] = {
        year: series.point_for(year).value
        for year in range(series.first_year, series.last_year + 1)
    }
    lower_is_better = rule.direction == "lower_is_better"
    better, equal, worse = rule.better, rule.equal, rule.worse

    def reference(answer: Any) -> float:
        if type(answer) is not Measurement:
            raise _NotMineError
        value = answer.value
        reference_value = reference_of.get(answer.data_year)
        if reference_value is None or (percent and not 0 <= value <= 100):  # NaN too
            raise _NotMineError
        if value == reference_value:
            return equal
        return better if (value < reference_value) == lower_is_better else worse

    return reference


def _generic(rule: PointRule) -> ItemFunction:
    """Any other rule, through the rule's own methods: slower, but the same by construction."""

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
    if type(rule) is BandsRule:
        return _bands(rule)
    if type(rule) is ReferenceRule:
        return _reference(rule)
    return _generic(rule)


class _CompiledIndicator(NamedTuple):
    #: The index of the indicator's group in the ruleset.
    group: int
    #: The function of the only item, when the indicator has one (it may be answered directly).
    single: ItemFunction | None
    #: Item id -> its function: the bound lookup of a private dict (KeyError: no such item).
    function_of: Callable[[str], ItemFunction]


def _indicator(
    group: int, indicator: Indicator, add: Callable[[Iterable[float]], float]
) -> _CompiledIndicator:
    functions = {item.id: _item_function(item, add) for item in indicator.items}
    single = next(iter(functions.values())) if len(functions) == 1 else None
    return _CompiledIndicator(group, single, functions.__getitem__)


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
        if not submission.well_typed:
            return None  # an answer of another type (``1`` for yes, say): score() words it
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
            # KeyError for an indicator the ruleset does not have: not mine.
            group, single, function_of = indicators[indicator_id]
            if type(answer) is ItemAnswers:
                points = 0.0
                for item_id, item_answer in answer.items.items():
                    # KeyError for an item the indicator does not have: not mine.
                    points += function_of(item_id)(item_answer)
                sums[group] += points
            elif single is not None:
                sums[group] += single(answer)
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
        ruleset = self.ruleset
        total = ruleset.resolution.add(groups)
        # Positional: a third faster than keywords, and made once per submission.
        return ScoreTotals(
            self._ref,  # ruleset
            submission.region,
            submission.year,
            COMPILED_STAGE,  # stage
            total,
            ruleset.max_score,
            ruleset.tiers.by_total(total),  # tier
            self._group_ids,
            groups,  # group_points
            ruleset.tiers.none_label,
        )


def compile_ruleset(ruleset: RuleSet) -> CompiledRuleSet:
    """``ruleset`` compiled: made once on first use and kept with the ruleset, so that
    scoring one submission or a million compiles it once (:meth:`RuleSet.derived`)."""
    return ruleset.derived("compiled totals", _compiled)


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
