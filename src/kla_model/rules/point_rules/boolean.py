"""The ``boolean`` rule kind: yes gives the item maximum, no gives nothing."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model.rules.answers import ItemAnswer
from kla_model.rules.point_rules.base import (
    Applies,
    Inconsistency,
    Outcome,
    max_mismatch,
    outcome,
    shown_answer,
)
from kla_model.rules.point_rules.cells import yes_no_cell


@attrs.frozen
class BooleanRule(Applies):
    """``true`` gives ``points`` (the item maximum), ``false`` gives nothing."""

    __repr__ = attrs_repr

    kind: ClassVar[str] = "boolean"
    answer_form: ClassVar[str] = "yes_no"
    fields: ClassVar[tuple[str, ...]] = ()
    point_paths: ClassVar[tuple[tuple[str, ...], ...]] = ()
    points: float
    _outcomes: Mapping[bool, Outcome] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        outcomes = {
            True: outcome(self.points, {"value": True}),
            False: outcome(0.0, {"value": False}),
        }
        object.__setattr__(self, "_outcomes", MappingProxyType(outcomes))

    @property
    def max_points(self) -> float:
        return self.points

    def problem(self, answer: ItemAnswer) -> str | None:
        return (
            None
            if isinstance(answer, bool)
            else f"expected true or false; found {shown_answer(answer)}"
        )

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        return self._outcomes[answer] if answer is True or answer is False else None

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        return max_mismatch(self.points, item_max, [])

    def point_values(self) -> tuple[float, ...]:
        return (self.points,)

    def answer_table(self) -> Mapping[bool, Outcome]:
        return self._outcomes

    def read_cell(self, cell: str) -> Any:
        return yes_no_cell(cell)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind}
