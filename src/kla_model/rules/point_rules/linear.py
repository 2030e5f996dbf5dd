"""The ``linear`` rule kind: points proportional between two anchors, clamped."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from kla_model.rules.answers import ItemAnswer
from kla_model.rules.point_rules.base import Applies, Inconsistency, Outcome, max_mismatch, outcome
from kla_model.rules.point_rules.measured import in_unit, measured_value, measurement_problem


@attrs.frozen
class Anchor:
    """A value and the points it earns, one end of a ``linear`` rule."""

    value: float
    points: float

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "points": self.points}


@attrs.frozen
class LinearRule(Applies):
    """Points in proportion between two anchors, clamped to the anchors' points outside them."""

    kind: ClassVar[str] = "linear"
    unit: str
    start: Anchor
    end: Anchor

    @property
    def max_points(self) -> float:
        return max(self.start.points, self.end.points)

    def problem(self, answer: ItemAnswer) -> str | None:
        return measurement_problem(answer, self.unit)

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        if not in_unit(answer, self.unit):
            return None
        value = measured_value(answer)
        low, high = sorted((self.start.value, self.end.value))
        clamped = min(max(value, low), high)
        share = (clamped - self.start.value) / (self.end.value - self.start.value)
        points = self.start.points + share * (self.end.points - self.start.points)
        points = min(max(points, min(self.start.points, self.end.points)), self.max_points)
        matched = {
            "clamped": clamped != value,
            "share": share,
            "unit": self.unit,
            "from": self.start.to_dict(),
            "to": self.end.to_dict(),
        }
        return outcome(points, matched)

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        found: list[Inconsistency] = []
        if self.start.value == self.end.value:
            found.append(
                (["to", "value"], f"expected a value other than from's {self.start.value:g}")
            )
        return found + max_mismatch(self.max_points, item_max, [])

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "unit": self.unit,
            "from": self.start.to_dict(),
            "to": self.end.to_dict(),
        }
