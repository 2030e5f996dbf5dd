"""The ``reference`` rule kind: a number compared with a dated national reference series."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model.rules.answers import ItemAnswer, Measurement
from kla_model.rules.point_rules.base import Inconsistency, Outcome, max_mismatch, outcome
from kla_model.rules.point_rules.measured import (
    Measured,
    in_unit,
    measurement_problem,
    unit_bounds,
)
from kla_model.rules.references import ReferencePoint, ReferenceSeries


@attrs.frozen
class ReferenceRule(Measured):
    """Compare a value with a dated reference series: better, equal or worse."""

    __repr__ = attrs_repr

    kind: ClassVar[str] = "reference"
    fields: ClassVar[tuple[str, ...]] = ("unit", "series", "direction", "points")
    point_paths: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("points", "better"),
        ("points", "equal"),
        ("points", "worse"),
    )
    unit: str
    series: ReferenceSeries
    direction: str
    better: float
    equal: float
    worse: float
    #: The outcome for each reference point and verdict, made once: evaluate() is hot.
    _outcomes: Mapping[tuple[int, str], Outcome] = attrs.field(init=False, eq=False, repr=False)
    #: The reference value for each data year the series covers: the totals compare with it.
    _reference_of: Mapping[int, float] = attrs.field(init=False, eq=False, repr=False)
    #: The numbers the unit allows (``unit_bounds``).
    _bounds: tuple[float, float] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_bounds", unit_bounds(self.unit))
        outcomes = {
            (point.year, verdict): self._verdict_outcome(point, verdict)
            for point in self.series.points
            for verdict in ("better", "equal", "worse")
        }
        object.__setattr__(self, "_outcomes", MappingProxyType(outcomes))
        series = self.series
        years = range(series.first_year, series.last_year + 1)
        reference_of = {year: series.point_for(year).value for year in years if series.covers(year)}
        object.__setattr__(self, "_reference_of", MappingProxyType(reference_of))

    @property
    def max_points(self) -> float:
        return max(self.better, self.equal, self.worse)

    def problem(self, answer: ItemAnswer) -> str | None:
        problem = measurement_problem(answer, self.unit)
        if problem is not None or not isinstance(answer, Measurement):
            return problem
        series = self.series
        if answer.data_year is None:
            return (
                f"expected a data_year to compare with reference series {series.id!r}; found none"
            )
        if not series.covers(answer.data_year):
            return (
                f"expected a data year from {series.first_year} to {series.last_year} "
                f"(reference series {series.id!r}); found {answer.data_year}"
            )
        return None

    def comparison(self, value: float, reference: float) -> str:
        """``better``, ``equal`` or ``worse`` than the reference, in this rule's direction."""
        if value == reference:
            return "equal"
        lower = value < reference
        return "better" if lower == (self.direction == "lower_is_better") else "worse"

    def points_for(self, answer: ItemAnswer) -> float | None:
        # Without the trace record: the totals compare every measured value they score.
        if not isinstance(answer, Measurement):
            return None
        low, high = self._bounds
        reference = self._reference_of.get(answer.data_year)  # type: ignore[arg-type]
        if reference is None or not low <= answer.value <= high:
            return None  # no data year, one the series does not cover, or not in the unit
        points: float = getattr(self, self.comparison(answer.value, reference))
        return points

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        if not in_unit(answer, self.unit):
            return None
        assert isinstance(answer, Measurement)  # narrowed by in_unit
        year = answer.data_year
        if year is None or not self.series.covers(year):
            return None
        point = self.series.point_for(year)
        return self._outcomes[(point.year, self.comparison(answer.value, point.value))]

    def _verdict_outcome(self, point: ReferencePoint, verdict: str) -> Outcome:
        matched = {
            "series": self.series.id,
            "reference_year": point.year,
            "reference_value": point.value,
            "direction": self.direction,
            "comparison": verdict,
            "unit": self.unit,
            "series_label": self.series.label.to_dict(),
            "points": {"better": self.better, "equal": self.equal, "worse": self.worse},
        }
        return outcome(getattr(self, verdict), matched)

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        found: list[Inconsistency] = []
        if self.series.unit != self.unit:
            found.append(
                (
                    ["unit"],
                    f"expected {self.series.unit!r} like series {self.series.id!r}; "
                    f"found {self.unit!r}",
                )
            )
        ordered = (self.better, self.equal, self.worse)
        if sorted(ordered, reverse=True) != list(ordered):
            found.append((["points"], "expected better >= equal >= worse"))
        return found + max_mismatch(self.max_points, item_max, ["points"])

    def point_values(self) -> tuple[float, ...]:
        return (self.better, self.equal, self.worse)

    def year_problem(self, data_year: int | None) -> str | None:
        """A data year the series has no reference for (or none): a table names its column."""
        series = self.series
        if data_year is not None and series.covers(data_year):
            return None
        found = "an empty cell" if data_year is None else str(data_year)
        return (
            f"expected a data year from {series.first_year} to {series.last_year} "
            f"to compare with reference series {series.id!r}; found {found}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "unit": self.unit,
            "series": self.series.id,
            "direction": self.direction,
            "points": {"better": self.better, "equal": self.equal, "worse": self.worse},
        }
