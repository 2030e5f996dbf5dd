"""The ``checklist`` rule kind: ticked options add up their points, optionally capped."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Set
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model._base.frozen import FrozenDict, freeze
from kla_model._base.suggest import did_you_mean
from kla_model.rules.answers import ItemAnswer
from kla_model.rules.point_rules.base import (
    TABULATED_OPTIONS,
    Applies,
    Inconsistency,
    Outcome,
    max_mismatch,
    same_points,
    shown_answer,
)
from kla_model.rules.point_rules.cells import ticks_cell
from kla_model.rules.point_rules.levels import Option, duplicate_ids
from kla_model.rules.points import decimal_sum


@attrs.frozen
class ChecklistRule(Applies):
    """Ticked options add their points, up to an optional ``cap``."""

    __repr__ = attrs_repr

    kind: ClassVar[str] = "checklist"
    answer_form: ClassVar[str] = "options"
    fields: ClassVar[tuple[str, ...]] = ("options", "cap")
    point_paths: ClassVar[tuple[tuple[str, ...], ...]] = (("options", "*", "points"), ("cap",))
    options: tuple[Option, ...]
    cap: float | None = None
    _by_id: Mapping[str, Option] = attrs.field(init=False, eq=False, repr=False)
    #: Each option's read-only trace record, made once: evaluate() is on the hot path.
    _records: tuple[Mapping[str, Any], ...] = attrs.field(init=False, eq=False, repr=False)

    #: With few options, the outcome of every set of ticks, made once (2**n of them).
    _by_ticks: Mapping[frozenset[str], Outcome] = attrs.field(init=False, eq=False, repr=False)
    #: Every order of every set of ticks (see :meth:`answer_table`), or ``None``.
    _by_answer: Mapping[tuple[str, ...], Outcome] | None = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self, "_by_id", MappingProxyType({option.id: option for option in self.options})
        )
        object.__setattr__(self, "_records", tuple(freeze(o.to_dict()) for o in self.options))
        ids = [option.id for option in self.options]
        subsets = (
            itertools.chain.from_iterable(
                itertools.combinations(ids, n) for n in range(len(ids) + 1)
            )
            if len(ids) <= TABULATED_OPTIONS
            else ()
        )
        by_ticks = {frozenset(s): self._ticked(set(s)) for s in subsets}
        object.__setattr__(self, "_by_ticks", MappingProxyType(by_ticks))
        by_answer = None
        if len(ids) <= TABULATED_OPTIONS:
            by_answer = MappingProxyType(
                {
                    ticks: by_ticks[frozenset(ticks)]
                    for count in range(len(ids) + 1)
                    for ticks in itertools.permutations(ids, count)
                }
            )
        object.__setattr__(self, "_by_answer", by_answer)

    @property
    def max_points(self) -> float:
        total = decimal_sum(option.points for option in self.options)
        return total if self.cap is None else min(total, self.cap)

    def problem(self, answer: ItemAnswer) -> str | None:
        ids = [option.id for option in self.options]
        if not isinstance(answer, tuple):
            return (
                f"expected a list of option ids from {', '.join(ids)}; found {shown_answer(answer)}"
            )
        unknown = [tick for tick in answer if tick not in self._by_id]
        if unknown:
            hint = did_you_mean(unknown[0], ids)
            return f"expected option ids from {', '.join(ids)}; found {unknown[0]!r}{hint}"
        return None

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        if not isinstance(answer, tuple):
            return None
        ticked = frozenset(answer)
        tabulated = self._by_ticks.get(ticked)
        if tabulated is not None:
            return tabulated
        return self._ticked(ticked) if self._by_id.keys() >= ticked else None

    def _ticked(self, ticked: Set[str]) -> Outcome:
        # The decimals added exactly (0.1 + 0.2 is 0.3): computed once per set of ticks for
        # checklists of up to TABULATED_OPTIONS options, when the rule is built.
        uncapped = decimal_sum(self._by_id[tick].points for tick in ticked)
        points = uncapped if self.cap is None else min(uncapped, self.cap)
        open_options = [i for i, option in enumerate(self.options) if option.id not in ticked]
        # Built read-only in place (tuples, a mapping proxy) rather than frozen afterwards.
        matched = {
            "ticked": tuple(option.id for option in self.options if option.id in ticked),
            "unticked": tuple(self.options[i].id for i in open_options),
            "uncapped": uncapped,
            "cap": self.cap,
            "unticked_options": tuple(self._records[i] for i in open_options),
        }
        return Outcome(points, FrozenDict(matched))

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        found = duplicate_ids(self.options, "options")
        total = decimal_sum(option.points for option in self.options)
        if self.cap is not None and self.cap > total and not same_points(self.cap, total):
            found.append((["cap"], f"the cap {self.cap:g} is above the options' sum {total:g}"))
        return found + max_mismatch(self.max_points, item_max, ["options"])

    def point_values(self) -> tuple[float, ...]:
        caps = () if self.cap is None else (self.cap,)
        return (*(option.points for option in self.options), *caps)

    def answer_table(self) -> Mapping[tuple[str, ...], Outcome] | None:
        """Every order of every set of ticks (a submission keeps them as given), for up to
        :data:`TABULATED_OPTIONS` options (65 answers for 4, 1,957 for 6), made when the
        rule is built; the outcomes are shared with the sets of ticks."""
        return self._by_answer

    def read_cell(self, cell: str) -> Any:
        return ticks_cell(cell)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "options": [option.to_dict() for option in self.options],
        }
        if self.cap is not None:
            data["cap"] = self.cap
        return data
