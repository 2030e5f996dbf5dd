"""What reaching a tier means for the planner, and lowering each step to just enough.

:class:`Slot` is one item as the optimiser sees it; :class:`Goal` holds the exact gains the
optimiser must find and checks a choice of moves by summing points exactly as the engine
does.  :func:`lowered` then takes each chosen step down to the least move of its item that
still reaches the target at the same cost.  :class:`Held` names the items a changed answer
cannot raise at a verification stage.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence

import attrs

from kla_model.analysis.knapsack import Option, Requirement
from kla_model.analysis.moves import RESOLUTION, Move, step_above, step_below
from kla_model.rules.model import Indicator, Item
from kla_model.rules.point_rules import LinearRule
from kla_model.rules.points import Resolution, as_fraction, decimal_sum
from kla_model.rules.ruleset import RuleSet
from kla_model.rules.tiers import Condition, Tier, TierScale
from kla_model.scoring.results import ScoreCard
from kla_model.submissions.conformance import item_answers
from kla_model.submissions.evidence import STAGES
from kla_model.submissions.submission import ItemAnswer, Measurement, Submission

__all__ = ["Goal", "Held", "Slot", "declared", "lowered"]


@attrs.frozen
class Slot:
    """One item as the optimiser sees it: where it is, what it has, how it can improve."""

    group: str
    indicator: Indicator
    item: Item
    answer: ItemAnswer | None = attrs.field(hash=False)
    points: float
    unit_cost: float
    moves: tuple[Move, ...]

    def option(self, move: Move) -> Option:
        return Option(
            cost=as_fraction(self.unit_cost) * move.changes,
            changes=move.changes,
            gain=as_fraction(move.points) - as_fraction(self.points),
        )


@attrs.frozen
class Goal:
    """What reaching the target means: exact requirements for the optimiser, and a check
    that sums points exactly as the engine does (so a lowered step is one the engine
    accepts)."""

    total: Requirement
    conditions: tuple[tuple[Condition, Tier, Requirement], ...]
    card: ScoreCard
    scale: TierScale
    position: int
    slot_of: Mapping[str, int]
    #: The ruleset's exact addition: the same sums as the engine's.
    resolution: Resolution

    def met(self, chosen: Mapping[int, Move]) -> bool:
        """Whether the card with ``chosen`` moves made reaches the target tier."""
        points_of: dict[tuple[str, str], float] = {}
        add = self.resolution.add
        group_points = []
        for group in self.card.groups:
            indicator_points = []
            for indicator in group.indicators:
                items = []
                for item in indicator.items:
                    move = chosen.get(self.slot_of[item.id])
                    items.append(item.points if move is None else move.points)
                indicator_points.append(add(items))
                points_of[("indicator", indicator.id)] = indicator_points[-1]
            group_points.append(add(indicator_points))
            points_of[("group", group.id)] = group_points[-1]
        total = add(group_points)
        eligibility = self.scale.eligibility(total, points_of, self.resolution.subtract)
        return eligibility[self.position].reached


def lowered(slots: Sequence[Slot], goal: Goal, chosen: dict[int, Move]) -> dict[int, Move]:
    """Each chosen move lowered to the least move of its item that keeps the goal met."""
    chosen = dict(chosen)
    for index in sorted(chosen):
        slot = slots[index]
        for move in slot.moves:
            if move.points >= chosen[index].points:
                break
            if move.changes != chosen[index].changes:
                continue
            trial = {**chosen, index: move}
            if goal.met(trial):
                chosen = trial
                break
        if slot.item.rule.proportional:  # a proportion: the least value that still meets it
            chosen[index] = _trimmed_linear(slots, goal, chosen, index)
    return chosen


def _grid(start: float, end: float) -> list[float]:
    """The values on the reporting grid strictly past ``start`` up to ``end``, then ``end``."""
    step = decimal.Decimal(repr(RESOLUTION)) * (1 if end > start else -1)
    first = step_above(start) if end > start else step_below(start)
    values = []
    current = decimal.Decimal(repr(first))
    while (float(current) < end) if end > start else (float(current) > end):
        values.append(float(current))
        current += step
    return [*values, end]


def _trimmed_linear(slots: Sequence[Slot], goal: Goal, chosen: dict[int, Move], index: int) -> Move:
    """The least value on the reporting grid that still meets the goal, for a linear item."""
    slot, move = slots[index], chosen[index]
    rule = slot.item.rule
    assert isinstance(rule, LinearRule)
    assert isinstance(move.answer, Measurement)
    worst = rule.start if rule.start.points <= rule.end.points else rule.end
    start = slot.answer.value if isinstance(slot.answer, Measurement) else worst.value
    values = _grid(start, move.answer.value)
    if slot.answer is None:  # with no answer yet, the worst end itself is a change
        values.insert(0, start)
    year = move.answer.data_year

    def trial(value: float) -> Move | None:
        answer = Measurement(value, year)
        if rule.problem(answer) is not None:
            return None
        candidate = attrs.evolve(move, answer=answer, points=rule.apply(answer).points)
        if candidate.points <= slot.points:
            return None
        return candidate if goal.met({**chosen, index: candidate}) else None

    low, high = 0, len(values) - 1  # the last value is the move itself, which meets the goal
    while low < high:
        middle = (low + high) // 2
        if trial(values[middle]) is None:
            low = middle + 1
        else:
            high = middle
    return trial(values[low]) or move


@attrs.frozen
class Held:
    """Items a changed answer cannot raise at the card's stage, and why."""

    #: Corrected by verifiers: their value, not the declared one, counts at this stage.
    corrected: tuple[str, ...]
    #: At a verification stage, items that require evidence and have none accepted.
    needs_evidence: tuple[str, ...]
    #: What the unverified answers among them would give with their evidence accepted.
    withheld: float

    @classmethod
    def of(cls, ruleset: RuleSet, submission: Submission, card: ScoreCard) -> Held:
        verifying = card.stage != STAGES[0]
        corrected, needs_evidence, withheld = [], [], []
        for _, indicator, item in card.trace():
            rule = ruleset.items[item.id].evidence
            if item.outcome == "corrected":
                corrected.append(item.id)
            elif verifying and rule is not None and rule.required and not item.evidence:
                needs_evidence.append(item.id)
                answer = declared(ruleset, submission, indicator.id, item.id)
                if item.outcome == "unverified" and answer is not None:
                    withheld.append(ruleset.items[item.id].rule.apply(answer).points)
        return cls(tuple(corrected), tuple(needs_evidence), decimal_sum(withheld))

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.corrected or item_id in self.needs_evidence


def declared(
    ruleset: RuleSet, submission: Submission, indicator_id: str, item_id: str
) -> ItemAnswer | None:
    answer = submission.answers.get(indicator_id)
    if answer is None:
        return None
    return item_answers(ruleset.indicators[indicator_id], answer).get(item_id)
