"""What reaching a tier means to the planner, and lowering steps to just enough."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model.analysis.goal import Goal, Slot, _grid, lowered
from kla_model.analysis.knapsack import Requirement
from kla_model.analysis.moves import Move, item_moves
from kla_model.submissions.conformance import item_answers
from kla_model.submissions.submission import Measurement, answer_to_data
from plan_strategies import ruleset_data, submission_data
from profiles import examples

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"


def _what_if(*args: Any, **kwargs: Any) -> kla.WhatIf:
    """A what-if at the self-assessment: the example's answers as declared."""
    return kla.what_if(*args, stage="self_assessment", **kwargs)


def _slots(ruleset: kla.RuleSet, submission: kla.Submission, card: kla.ScoreCard) -> list[Slot]:
    slots = []
    for group, indicator, item in card.trace():
        answer = submission.answers.get(indicator.id)
        current = None
        if answer is not None:
            current = item_answers(ruleset.indicators[indicator.id], answer).get(item.id)
        moves = item_moves(ruleset.items[item.id], current, item.points, submission.year)
        slots.append(
            Slot(
                group.id,
                ruleset.indicators[indicator.id],
                ruleset.items[item.id],
                current,
                item.points,
                1.0,
                moves,
            )
        )
    return slots


def _goal(ruleset: kla.RuleSet, card: kla.ScoreCard, slots: list[Slot], target: kla.Tier) -> Goal:
    return Goal(
        Requirement(Fraction(0)),
        (),
        card,
        ruleset.tiers,
        ruleset.tiers.tiers.index(target),
        {slot.item.id: index for index, slot in enumerate(slots)},
        ruleset.resolution,
    )


@settings(max_examples=examples(150), deadline=None)
@given(st.data())
def test_met_agrees_with_the_engine(data: st.DataObject) -> None:
    """Whether a choice of moves reaches a tier is what rescoring the changed answers says."""
    ruleset_dict = data.draw(ruleset_data(conditions=True))
    ruleset = kla.RuleSet.from_mapping(ruleset_dict)
    submission = kla.Submission.from_mapping(data.draw(submission_data(ruleset_dict)))
    card = kla.score(ruleset, submission)
    slots = _slots(ruleset, submission, card)
    chosen: dict[int, Move] = {}
    for index, slot in enumerate(slots):
        take: bool = data.draw(st.booleans())
        if slot.moves and take:
            chosen[index] = data.draw(st.sampled_from(slot.moves))
    changes = {slots[i].item.id: answer_to_data(move.answer) for i, move in chosen.items()}
    after = kla.what_if(ruleset, submission, changes).after
    for entry in after.eligibility:
        goal = _goal(ruleset, card, slots, entry.tier)
        assert goal.met(chosen) == entry.reached


def test_lowered_keeps_the_least_move_that_still_reaches() -> None:
    ruleset = kla.load_ruleset("perpres-25-2021")
    closer = _what_if(
        ruleset, kla.load_submission(EXAMPLE), {"K.3.3": True, "K.3.8": True, "V.5.3": True}
    )
    card = closer.after
    slots = _slots(ruleset, closer.submission, card)
    goal = _goal(ruleset, card, slots, ruleset.tiers.get("utama"))
    child_marriage = next(i for i, slot in enumerate(slots) if slot.item.id == "II.1.1")
    better = slots[child_marriage].moves[-1]
    assert better.answer == Measurement(6.91, 2023)
    result = lowered(slots, goal, {child_marriage: better})
    assert result[child_marriage].answer == Measurement(6.92, 2023)  # equal is enough
    # Lowering never raises a step, and keeps the goal met.
    assert goal.met(result)
    assert result[child_marriage].points <= better.points


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (40.0, 40.05, [40.01, 40.02, 40.03, 40.04, 40.05]),
        (40.004, 40.02, [40.01, 40.02]),
        (60.0, 59.97, [59.99, 59.98, 59.97]),
        (10.0, 10.015, [10.01, 10.015]),
        (89.999, 90.0, [90.0]),
    ],
)
def test_grid(start: float, end: float, expected: list[float]) -> None:
    assert _grid(start, end) == expected
