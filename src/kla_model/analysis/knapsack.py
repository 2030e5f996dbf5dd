"""The exact optimiser behind :func:`kla_model.plan`: a multiple-choice knapsack with conditions.

Each *slot* (an item) offers *options* (its moves); a solution takes at most one option per
slot.  It must gain at least ``need`` points in total (more than ``need`` if ``strict``), and
at least each condition's ``need`` within that condition's slots.  Of those solutions it
returns the one of least cost, then fewest changes, then most points gained, then the one
that changes earlier slots (at the first slot where two solutions differ, the one that
changes it, or changes it with an earlier option, wins).

Method: dynamic programming over the slots in order.  A partial solution is summed up by its
(cost, changes), its gain, and its progress on each condition, capped at what the condition
needs (more does not help).  Of partial solutions with the same progress, one that costs no
more (in the order above) and gains no less makes every completion at least as good, so
only the Pareto frontier of (cost, changes) against gain is kept.  That is exact, and with a
few options per slot the frontier stays small.  Partial solutions that cannot reach the need
even with every later slot at its best, or that already cost more than the best complete
solution, are dropped.  Arithmetic is exact: points and costs are turned into integers over
a common denominator, so a threshold is met or missed exactly as the numbers say.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

import attrs

__all__ = ["Option", "Requirement", "solve"]


def _at_least_one(_: object, __: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValueError(f"an option is at least one change, not {value}")


@attrs.frozen
class Option:
    """One way to fill a slot: what it costs, how many changes it is, what it gains."""

    cost: Fraction
    changes: int = attrs.field(validator=_at_least_one)
    gain: Fraction


@attrs.frozen
class Requirement:
    """Gain at least ``need`` (more than ``need`` if ``strict``) over ``slots`` (all if None)."""

    need: Fraction
    strict: bool = False
    slots: frozenset[int] | None = None


class _Node(NamedTuple):
    """A chosen option, linked to the choices made before it."""

    slot: int
    option: int
    parent: _Node | None


class _State(NamedTuple):
    cost: int
    changes: int
    gain: int
    progress: tuple[int, ...]
    node: _Node | None


def _denominator(values: Sequence[Fraction]) -> int:
    return math.lcm(1, *(value.denominator for value in values))


def _choices(node: _Node | None) -> list[tuple[int, int]]:
    found = []
    while node is not None:
        found.append((node.slot, node.option))
        node = node.parent
    return found[::-1]


class _Problem:
    """The problem in integers, with the bounds used to drop hopeless partial solutions."""

    def __init__(
        self,
        slots: Sequence[Sequence[Option]],
        total: Requirement,
        conditions: Sequence[Requirement],
    ) -> None:
        options = [option for slot in slots for option in slot]
        conditions = [c for c in conditions if c.need > 0 or (c.strict and c.need == 0)]
        points = [o.gain for o in options] + [total.need] + [c.need for c in conditions]
        scale = _denominator(points)
        cost_scale = _denominator([o.cost for o in options])
        self.slots = [
            [(int(o.cost * cost_scale), o.changes, int(o.gain * scale)) for o in slot]
            for slot in slots
        ]
        self.end = len(slots)
        self.need = self._need(total, scale)
        self.needs = tuple(self._need(c, scale) for c in conditions)
        self.counts_for = [
            tuple(k for k, c in enumerate(conditions) if c.slots is None or s in c.slots)
            for s in range(len(slots))
        ]
        best = [max((gain for _, _, gain in slot), default=0) for slot in self.slots]
        self.rest = [sum(best[s:]) for s in range(len(slots) + 1)]
        self.rest_for = [
            tuple(
                sum(best[t] for t in range(s, len(slots)) if k in self.counts_for[t])
                for k in range(len(conditions))
            )
            for s in range(len(slots) + 1)
        ]

    @staticmethod
    def _need(requirement: Requirement, scale: int) -> int:
        need = int(requirement.need * scale)
        return need + 1 if requirement.strict else need

    def met(self, state: _State) -> bool:
        return state.gain >= self.need and state.progress == self.needs

    def hopeless(self, state: _State, slot: int) -> bool:
        """Whether ``state`` cannot meet the needs even with slots from ``slot`` on at best."""
        if state.gain + self.rest[slot] < self.need:
            return True
        rest = self.rest_for[slot]
        return any(p + r < n for p, r, n in zip(state.progress, rest, self.needs, strict=True))

    def signature(self, state: _State) -> list[tuple[int, int]]:
        return [*_choices(state.node), (self.end, 0)]


def _better(problem: _Problem, a: _State, b: _State | None) -> bool:
    """Whether complete solution ``a`` is better than ``b``."""
    if b is None:
        return True
    key_a, key_b = (a.cost, a.changes, -a.gain), (b.cost, b.changes, -b.gain)
    if key_a != key_b:
        return key_a < key_b
    return problem.signature(a) < problem.signature(b)


def _frontier(problem: _Problem, states: list[_State], best: _State | None) -> list[_State]:
    """The states no other state with the same progress dominates."""
    kept: list[_State] = []
    top = -1
    for state in sorted(states, key=lambda s: (s.cost, s.changes, -s.gain)):
        if best is not None and (state.cost, state.changes) >= (best.cost, best.changes):
            break
        if kept and kept[-1][:3] == state[:3]:
            if problem.signature(state) < problem.signature(kept[-1]):
                kept[-1] = state
        elif state.gain > top:
            kept.append(state)
            top = state.gain
    return kept


def _grow(
    problem: _Problem, slot: int, state: _State, best: _State | None
) -> tuple[list[_State], _State | None]:
    """The partial solutions ``state`` grows into at ``slot``, and the best complete one."""
    grown = []
    counts = problem.counts_for[slot]
    for index, (option_cost, option_changes, gain) in enumerate(problem.slots[slot]):
        cost, changes = state.cost + option_cost, state.changes + option_changes
        if best is not None and (cost, changes) > (best.cost, best.changes):
            continue
        progress = tuple(
            min(p + gain, n) if k in counts else p
            for k, (p, n) in enumerate(zip(state.progress, problem.needs, strict=True))
        )
        child = _State(cost, changes, state.gain + gain, progress, _Node(slot, index, state.node))
        if problem.met(child):
            # Any further option only adds changes, so a complete solution is final.
            best = child if _better(problem, child, best) else best
        elif not problem.hopeless(child, slot + 1):
            grown.append(child)
    return grown, best


def solve(
    slots: Sequence[Sequence[Option]],
    total: Requirement,
    conditions: Sequence[Requirement] = (),
) -> tuple[int | None, ...] | None:
    """The best choice of option per slot (``None``: unchanged), or ``None`` if none suffices."""
    problem = _Problem(slots, total, conditions)
    start = _State(0, 0, 0, tuple(0 for _ in problem.needs), None)
    if problem.met(start):
        return tuple(None for _ in slots)
    best: _State | None = None
    frontier = {} if problem.hopeless(start, 0) else {start.progress: [start]}
    for slot in range(problem.end):
        grown: defaultdict[tuple[int, ...], list[_State]] = defaultdict(list)
        for progress, states in frontier.items():
            for state in states:
                if not problem.hopeless(state, slot + 1):
                    grown[progress].append(state)
                children, best = _grow(problem, slot, state, best)
                for child in children:
                    grown[child.progress].append(child)
        frontier = {p: _frontier(problem, states, best) for p, states in grown.items()}
    if best is None:
        return None
    chosen: list[int | None] = [None] * problem.end
    for slot, option in _choices(best.node):
        chosen[slot] = option
    return tuple(chosen)
