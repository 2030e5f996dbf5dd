"""A ruleset compiled once into plain functions, for scoring totals fast.

:func:`kla_model.score` builds a full trace: a record per item, indicator and group.  A batch
of many districts that only wants group points, totals and tiers does not need those records,
so :func:`compile_ruleset` turns each item's rule into a small function from an answer to its
points, once per ruleset, and :meth:`CompiledRuleSet.totals` runs them.

Each item's points come from its rule alone: a look-up in the rule's table of answers where
its answers are finite, the rule's ``evaluate`` otherwise, so there is no second copy of how
a kind scores.  Both this and ``score`` add points exactly (see :mod:`kla_model.rules.points`:
each group's sum and the total are the floats nearest the exact decimal sums, so every float
comes out bit for bit the same).  An answer that does not fit its rule (an unknown id, an odd
shape) makes ``totals`` return ``None``: the submission is invalid, and ``score`` raises the
error that words it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model.rules.model import Indicator, Item
from kla_model.rules.point_rules import Outcome
from kla_model.rules.ruleset import RuleSet
from kla_model.scoring.results import RuleSetRef
from kla_model.scoring.totals import ScoreTotals
from kla_model.submissions.conformance import stale_data
from kla_model.submissions.evidence import STAGES
from kla_model.submissions.submission import ItemAnswers, Submission

__all__ = ["CompiledRuleSet", "compile_ruleset"]

#: The only stage whose points the compiled path knows: every answer counts as declared.
COMPILED_STAGE = STAGES[0]

#: An item's answer -> its points (a float): ``None`` for an answer its rule cannot score,
#: which raises ``TypeError`` when it is added, or ``KeyError`` or ``TypeError`` from a dict
#: lookup.  Typed ``Any``: the addition itself is the check, with no Python frame between.
ItemFunction = Callable[[Any], Any]


class _AnswerPoints(dict[Any, float]):
    """The points of every answer in a rule's table (``PointRule.answer_table``): a bound
    lookup runs in C, with no Python frame, which is most of what makes the totals fast.
    An answer not in the table (a checklist listing a tick twice, say) asks the rule."""

    __slots__ = ("_rule_points",)

    def __init__(self, table: Mapping[Any, Outcome], rule_points: ItemFunction) -> None:
        super().__init__((answer, outcome.points) for answer, outcome in table.items())
        self._rule_points = rule_points

    def __missing__(self, answer: Any) -> Any:
        return self._rule_points(answer)


def _item_function(item: Item) -> ItemFunction:
    """An item's answer -> its points, from its rule: the rule's table where its answers are
    finite, its ``points_for`` otherwise.  The rule is the only source of an item's points."""
    rule_points = item.rule.points_for
    table = item.rule.answer_table()
    if table is None:
        return rule_points
    # ``1`` equals ``True`` as a key: only for well-typed submissions (``group_points``
    # checks ``Submission.well_typed`` first).
    return _AnswerPoints(table, rule_points).__getitem__


#: An indicator compiled: the index of its group in the ruleset; the function of its only
#: item, when it has one (it may be answered directly), else ``None``; and item id -> its
#: function, the bound lookup of a private dict (KeyError: no such item).  A plain tuple,
#: unpacked for every answered indicator: a named tuple's unpacking is the slower one.
_CompiledIndicator = tuple[int, ItemFunction | None, Callable[[str], ItemFunction]]


def _indicator(group: int, indicator: Indicator) -> _CompiledIndicator:
    functions = {item.id: _item_function(item) for item in indicator.items}
    single = next(iter(functions.values())) if len(functions) == 1 else None
    return (group, single, functions.__getitem__)


@attrs.frozen
class CompiledRuleSet:
    """A ruleset turned into per-item functions; see :func:`compile_ruleset`."""

    __repr__ = attrs_repr

    ruleset: RuleSet
    #: Whether float ``+`` alone adds this ruleset's points exactly (every point a multiple
    #: of 2**-16, see ``Resolution.dyadic``); otherwise sums are rounded to its resolution.
    exact: bool
    _ref: RuleSetRef
    _group_ids: tuple[str, ...]
    #: Indicator id -> its compiled form.  A plain dict, not a read-only view, for the
    #: lookup made for every answered indicator; private, and never changed once made.
    _indicators: dict[str, _CompiledIndicator]

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
        """Points per group as ``score`` gives them, or ``None`` for a submission with an
        answer that does not fit the ruleset (``score`` raises the error that words it)."""
        if not submission.well_typed:
            return None  # an answer of another type (``1`` for yes, say): score() words it
        try:
            sums = self._float_points(submission.answers)
        except (KeyError, TypeError):  # an unknown indicator, item or level; an odd answer
            return None  # (``TypeError`` too from adding the ``None`` of an answer refused)
        if sums is None:
            return None
        if self.exact:
            return tuple(sums)
        snap = self.ruleset.resolution.snap
        return tuple([snap(points) for points in sums])

    def _float_points(self, answers: Mapping[str, Any]) -> list[float] | None:
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
            # KeyError for an indicator the ruleset does not have.
            group, single, function_of = indicators[indicator_id]
            if type(answer) is ItemAnswers:
                points = 0.0
                for item_id, item_answer in answer.items.items():
                    # KeyError for an item the indicator does not have.
                    points += function_of(item_id)(item_answer)
                sums[group] += points
            elif single is not None:
                sums[group] += single(answer)
            else:
                return None  # a multi-item indicator needs {items: ...}
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
    return CompiledRuleSet(
        ruleset=ruleset,
        exact=ruleset.resolution.dyadic,
        ref=ruleset.ref,
        group_ids=tuple(group.id for group in ruleset.groups),
        indicators={
            indicator.id: _indicator(index, indicator)
            for index, group in enumerate(ruleset.groups)
            for indicator in group.indicators
        },
    )
