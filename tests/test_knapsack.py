"""The exact optimiser: least cost, then fewest changes, most gain, earliest slots."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kla_model.analysis.knapsack import Option, Requirement, solve
from profiles import examples

Slots = list[list[Option]]


def _option(cost: float, gain: float, changes: int = 1) -> Option:
    return Option(Fraction(cost), changes, Fraction(gain))


def _brute_force(
    slots: Slots, total: Requirement, conditions: list[Requirement]
) -> tuple[int | None, ...] | None:
    """Every combination, ranked (cost, changes, -gain, then the earliest slots changed)."""
    ranked = []
    for combo in itertools.product(*[[None, *range(len(slot))] for slot in slots]):
        chosen = [(s, o) for s, o in enumerate(combo) if o is not None]

        def gained(requirement: Requirement, chosen: list[tuple[int, int]] = chosen) -> Fraction:
            return sum(
                (
                    slots[s][o].gain
                    for s, o in chosen
                    if requirement.slots is None or s in requirement.slots
                ),
                Fraction(0),
            )

        def enough(requirement: Requirement) -> bool:
            got = gained(requirement)
            return got > requirement.need if requirement.strict else got >= requirement.need

        if enough(total) and all(enough(c) for c in conditions):
            key = (
                sum((slots[s][o].cost for s, o in chosen), Fraction(0)),
                sum(slots[s][o].changes for s, o in chosen),
                -gained(total),
                [*chosen, (len(slots), 0)],
            )
            ranked.append((key, combo))
    return min(ranked)[1] if ranked else None


fractions = st.sampled_from([0, 0.5, 1, 1.5, 2, 3]).map(Fraction)
gains = st.sampled_from([0.25, 1, 2, 3, 4, 5.5, 8]).map(Fraction)
options = st.builds(Option, fractions, st.integers(min_value=1, max_value=3), gains)


@st.composite
def problems(draw: st.DrawFn) -> tuple[Slots, Requirement, list[Requirement]]:
    slots = draw(st.lists(st.lists(options, max_size=3), max_size=5))
    total = Requirement(
        draw(st.sampled_from([-1, 0, 1, 2.5, 4, 7, 12, 20]).map(Fraction)), draw(st.booleans())
    )
    conditions = [
        Requirement(
            draw(st.sampled_from([0, 1, 3, 6]).map(Fraction)),
            slots=frozenset(
                draw(st.sets(st.integers(min_value=0, max_value=max(len(slots) - 1, 0))))
            ),
        )
        for _ in range(draw(st.integers(min_value=0, max_value=2)))
    ]
    return slots, total, conditions


@settings(max_examples=examples(400), deadline=None)
@given(problems())
def test_solve_equals_brute_force(problem: tuple[Slots, Requirement, list[Requirement]]) -> None:
    """The optimiser's choice is exactly the best combination by the documented order."""
    slots, total, conditions = problem
    assert solve(slots, total, conditions) == _brute_force(slots, total, conditions)


def test_cheaper_beats_fewer_changes() -> None:
    slots = [[_option(3, 10)], [_option(1, 6, changes=2)], [_option(1, 6, changes=2)]]
    assert solve(slots, Requirement(Fraction(10))) == (None, 0, 0)


def test_not_greedy() -> None:
    # Best points per cost first would take 9 for 3 and then 5 for 2 (cost 5); the two
    # 5s cost 4.
    slots = [[_option(3, 9)], [_option(2, 5)], [_option(2, 5)]]
    assert solve(slots, Requirement(Fraction(10))) == (None, 0, 0)


def test_strict_need_wants_more() -> None:
    slots = [[_option(1, 4), _option(1, 5)]]
    assert solve(slots, Requirement(Fraction(4))) == (1,)  # most gain at the same cost
    assert solve(slots, Requirement(Fraction(5), strict=True)) is None
    assert solve(slots, Requirement(Fraction(5))) == (1,)


def test_condition_forces_an_option_in_its_scope() -> None:
    slots = [[_option(1, 10)], [_option(1, 2)]]
    only_second = Requirement(Fraction(1), slots=frozenset({1}))
    assert solve(slots, Requirement(Fraction(5)), [only_second]) == (0, 0)
    assert solve(slots, Requirement(Fraction(5)), []) == (0, None)


def test_nothing_needed_is_no_change() -> None:
    assert solve([[_option(1, 1)]], Requirement(Fraction(-3))) == (None,)


def test_an_option_is_at_least_one_change() -> None:
    with pytest.raises(ValueError, match="an option is at least one change, not 0"):
        _option(1, 1, changes=0)
