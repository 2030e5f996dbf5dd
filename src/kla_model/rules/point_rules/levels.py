"""The ``levels`` rule kind: one of a list of named levels, each worth its points."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model._base.suggest import did_you_mean
from kla_model.rules.answers import ItemAnswer
from kla_model.rules.model import Label
from kla_model.rules.point_rules.base import (
    Applies,
    Inconsistency,
    Outcome,
    max_mismatch,
    outcome,
    shown_answer,
)


@attrs.frozen
class Option:
    """A level of a ``levels`` rule or an option of a ``checklist`` rule."""

    __repr__ = attrs_repr

    id: str
    label: Label
    points: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label.to_dict(), "points": self.points}


def duplicate_ids(options: tuple[Option, ...], field: str) -> list[Inconsistency]:
    seen: set[str] = set()
    found: list[Inconsistency] = []
    for index, option in enumerate(options):
        if option.id in seen:
            found.append(([field, index, "id"], f"duplicate id {option.id!r}"))
        seen.add(option.id)
    return found


@attrs.frozen
class LevelsRule(Applies):
    """A categorical answer: the chosen level's points."""

    __repr__ = attrs_repr

    kind: ClassVar[str] = "levels"
    answer_form: ClassVar[str] = "level"
    fields: ClassVar[tuple[str, ...]] = ("levels",)
    point_paths: ClassVar[tuple[tuple[str, ...], ...]] = (("levels", "*", "points"),)
    levels: tuple[Option, ...]
    #: Each level's outcome, made once: evaluate() is on the hot path.
    _by_id: Mapping[str, Outcome] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        outcomes = {level.id: self._level_outcome(i, level) for i, level in enumerate(self.levels)}
        object.__setattr__(self, "_by_id", MappingProxyType(outcomes))

    def _level_outcome(self, index: int, level: Option) -> Outcome:
        upgrade = self.next_level(level.points)
        matched = {
            "level": level.id,
            "index": index,
            "points": level.points,
            # The chosen level's label and the next better level let a trace be explained
            # without the ruleset at hand.
            "label": level.label.to_dict(),
            "next": None if upgrade is None else upgrade.to_dict(),
        }
        return outcome(level.points, matched)

    @property
    def max_points(self) -> float:
        return max(level.points for level in self.levels)

    def problem(self, answer: ItemAnswer) -> str | None:
        ids = [level.id for level in self.levels]
        if not isinstance(answer, str):
            return f"expected one of the levels {', '.join(ids)}; found {shown_answer(answer)}"
        if answer not in self._by_id:
            hint = did_you_mean(answer, ids)
            return f"expected one of the levels {', '.join(ids)}; found {answer!r}{hint}"
        return None

    def next_level(self, points: float) -> Option | None:
        """The level giving the fewest points above ``points`` (the first of equals), if any."""
        better = [level for level in self.levels if level.points > points]
        return min(better, key=lambda level: level.points) if better else None

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        return self._by_id.get(answer) if isinstance(answer, str) else None

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        return duplicate_ids(self.levels, "levels") + max_mismatch(
            self.max_points, item_max, ["levels"]
        )

    def point_values(self) -> tuple[float, ...]:
        return tuple(level.points for level in self.levels)

    def answer_table(self) -> Mapping[str, Outcome]:
        return self._by_id

    def read_cell(self, cell: str) -> Any:
        return cell  # a level's id as it is written

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "levels": [level.to_dict() for level in self.levels]}
