"""The ``linear`` rule kind: points proportional between two anchors, clamped."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model.rules.answers import ItemAnswer
from kla_model.rules.point_rules.base import Inconsistency, Outcome, max_mismatch, outcome
from kla_model.rules.point_rules.measured import (
    Measured,
    in_unit,
    measured_value,
    measurement_problem,
)
from kla_model.rules.points import PROPORTIONAL_DECIMALS, as_fraction, rounded


@attrs.frozen
class Anchor:
    """A value and the points it earns, one end of a ``linear`` rule."""

    __repr__ = attrs_repr

    value: float
    points: float

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "points": self.points}


@attrs.frozen
class LinearRule(Measured):
    """Points in proportion between two anchors, clamped to the anchors' points outside them.

    The proportion is worked out exactly from the decimals as written and rounded half to
    even to :data:`~kla_model.rules.points.PROPORTIONAL_DECIMALS` places (hundredths of a
    point), then kept within the anchors' points, so that the points add up exactly like
    every other rule's.
    """

    __repr__ = attrs_repr

    kind: ClassVar[str] = "linear"
    proportional: ClassVar[bool] = True
    fields: ClassVar[tuple[str, ...]] = ("unit", "from", "to")
    point_paths: ClassVar[tuple[tuple[str, ...], ...]] = (("from", "points"), ("to", "points"))
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
        x0, x1 = as_fraction(self.start.value), as_fraction(self.end.value)
        p0, p1 = as_fraction(self.start.points), as_fraction(self.end.points)
        share = (as_fraction(clamped) - x0) / (x1 - x0)
        points = rounded(p0 + share * (p1 - p0), PROPORTIONAL_DECIMALS)
        # An anchor finer than hundredths (2.006) must not be rounded past (to 2.01).
        points = min(max(points, min(self.start.points, self.end.points)), self.max_points)
        matched = {
            "clamped": clamped != value,
            "share": float(share),
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

    def point_values(self) -> tuple[float, ...]:
        return (self.start.points, self.end.points)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "unit": self.unit,
            "from": self.start.to_dict(),
            "to": self.end.to_dict(),
        }
