"""The ``bands`` rule kind: a number falls in one of contiguous intervals, each worth its points."""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model.rules.answers import ItemAnswer, Measurement
from kla_model.rules.point_rules.base import (
    Inconsistency,
    Outcome,
    max_mismatch,
    outcome,
    reachable,
)
from kla_model.rules.point_rules.measured import (
    Measured,
    in_unit,
    measured_value,
    measurement_problem,
    unit_bounds,
)


@attrs.frozen
class Band:
    """An interval of values and the points a value inside it earns."""

    __repr__ = attrs_repr

    min: float
    min_inclusive: bool
    max: float
    max_inclusive: bool
    points: float
    #: The band in interval notation, e.g. ``[75, 90)``; made once, shown in every trace.
    interval: str = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        opening = "[" if self.min_inclusive else "("
        closing = "]" if self.max_inclusive else ")"
        object.__setattr__(self, "interval", f"{opening}{self.min:g}, {self.max:g}{closing}")

    def contains(self, value: float) -> bool:
        above = value > self.min or (self.min_inclusive and value == self.min)
        return above and (value < self.max or (self.max_inclusive and value == self.max))

    def distance(self, value: float) -> float:
        """How far ``value`` is from this band (0 inside it)."""
        if self.contains(value):
            return 0.0
        return self.min - value if value <= self.min else value - self.max

    def bounds(self) -> dict[str, Any]:
        """The band's ends without its points."""
        return {
            "min": self.min,
            "min_inclusive": self.min_inclusive,
            "max": self.max,
            "max_inclusive": self.max_inclusive,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "min": self.min,
            "min_inclusive": self.min_inclusive,
            "max": self.max,
            "max_inclusive": self.max_inclusive,
            "points": self.points,
        }


def _band_gaps(bands: tuple[Band, ...], unit: str) -> list[Inconsistency]:
    found: list[Inconsistency] = []
    for index, band in enumerate(bands):
        if band.min > band.max or (
            band.min == band.max and not (band.min_inclusive and band.max_inclusive)
        ):
            found.append((["bands", index], f"the band {band.interval} is empty"))
    for index, (lower, upper) in enumerate(itertools.pairwise(bands), start=1):
        if upper.min != lower.max:
            found.append(
                (
                    ["bands", index, "min"],
                    f"expected {lower.max:g} (where band {index - 1} ends); found {upper.min:g}",
                )
            )
        elif lower.max_inclusive == upper.min_inclusive:
            state = "both include" if lower.max_inclusive else "neither includes"
            found.append(
                (
                    ["bands", index, "min_inclusive"],
                    f"bands {index - 1} and {index} {state} {upper.min:g}: "
                    "exactly one must, so that every value falls in one band",
                )
            )
    if unit == "percent":
        first, last = bands[0], bands[-1]
        if (first.min, first.min_inclusive) != (0, True):
            found.append((["bands", 0], "percentage bands must start at 0, inclusive"))
        if (last.max, last.max_inclusive) != (100, True):
            found.append((["bands", len(bands) - 1], "percentage bands must end at 100, inclusive"))
    return found


def _edges(bands: tuple[Band, ...]) -> tuple[float, ...] | None:
    """The bands as edges for ``bisect``: a float ``v`` is in band ``i`` exactly when
    ``bisect_right(edges, v) == i + 1`` (0 below the first band, ``len(edges)`` above the
    last or NaN); ``None`` for bands that do not follow each other without gap or overlap,
    as a built ruleset's do, or whose bounds are not floats.

    ``v > m`` is ``v >= nextafter(m, inf)`` for floats, so every bound becomes an inclusive
    lower edge; the top bound becomes the first float above the range.
    """
    contiguous = all(
        upper.min == lower.max and lower.max_inclusive != upper.min_inclusive
        for lower, upper in itertools.pairwise(bands)
    )
    bounds = [band.min for band in bands] + [bands[-1].max]
    if not contiguous or any(type(bound) is not float for bound in bounds):
        return None
    edges = [
        band.min if band.min_inclusive else math.nextafter(band.min, math.inf) for band in bands
    ]
    last = bands[-1]
    edges.append(math.nextafter(last.max, math.inf) if last.max_inclusive else last.max)
    if any(lower > upper for lower, upper in itertools.pairwise(edges)):
        return None  # an empty band: the exact comparison decides
    return tuple(edges)


@attrs.frozen
class BandsRule(Measured):
    """A number earns the points of the one band it falls in."""

    __repr__ = attrs_repr

    kind: ClassVar[str] = "bands"
    fields: ClassVar[tuple[str, ...]] = ("unit", "bands")
    point_paths: ClassVar[tuple[tuple[str, ...], ...]] = (("bands", "*", "points"),)
    unit: str
    bands: tuple[Band, ...]
    #: Per band, the nearest band below and above it that gives more points (if any).
    _better: tuple[tuple[int | None, int | None], ...] = attrs.field(
        init=False, eq=False, repr=False
    )
    _outcomes: Mapping[tuple[int, int | None], Outcome] = attrs.field(
        init=False, eq=False, repr=False
    )
    _mins: tuple[float, ...] = attrs.field(init=False, eq=False, repr=False)
    #: The bands as bisection edges (see :func:`_edges`), and the points by edge position.
    _edges: tuple[float, ...] | None = attrs.field(init=False, eq=False, repr=False)
    _edge_points: tuple[float | None, ...] = attrs.field(init=False, eq=False, repr=False)
    #: The numbers the unit allows (``unit_bounds``).
    _bounds: tuple[float, float] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_bounds", unit_bounds(self.unit))
        better = []
        for index, band in enumerate(self.bands):
            below = [i for i in range(index) if self.bands[i].points > band.points]
            above = [
                i for i in range(index + 1, len(self.bands)) if self.bands[i].points > band.points
            ]
            better.append((below[-1] if below else None, above[0] if above else None))
        object.__setattr__(self, "_better", tuple(better))
        object.__setattr__(self, "_mins", tuple(band.min for band in self.bands))
        object.__setattr__(self, "_edges", _edges(self.bands))
        points = (None, *(band.points for band in self.bands), None)
        object.__setattr__(self, "_edge_points", points)
        # Every (band, nearest better band) a value can meet, made once: evaluate() is hot.
        outcomes = {
            (index, target): self._band_outcome(index, target)
            for index, targets in enumerate(better)
            for target in reachable(targets)
        }
        object.__setattr__(self, "_outcomes", MappingProxyType(outcomes))

    @property
    def max_points(self) -> float:
        return max(band.points for band in self.bands)

    def band_index(self, value: float) -> int | None:
        """The index of the band ``value`` falls in, or ``None`` outside every band.

        A ruleset's bands are contiguous and ascending (checked when it is built), so the
        band of a float is found by one bisection on the bands' edges; any other number by
        bisection on their lower bounds and a comparison with the band's ends.
        """
        edges = self._edges
        if edges is not None and type(value) is float:
            index = bisect_right(edges, value) - 1
            return index if 0 <= index < len(self.bands) else None
        index = bisect_right(self._mins, value) - 1
        if index >= 0 and value == self._mins[index] and not self.bands[index].min_inclusive:
            index -= 1
        if index < 0 or not self.bands[index].contains(value):
            return None
        return index

    def problem(self, answer: ItemAnswer) -> str | None:
        problem = measurement_problem(answer, self.unit)
        if problem is None and self.band_index(measured_value(answer)) is None:
            covered = f"{self.bands[0].interval} to {self.bands[-1].interval}"
            return f"expected a value within the bands {covered}; found {measured_value(answer):g}"
        return problem

    def nearest_better(self, value: float, index: int) -> int | None:
        """The band nearest ``value`` (in band ``index``) that gives more points, if any.

        Bands are ordered, so it is the nearest better one below or above; of two as near,
        the one below.
        """
        below, above = self._better[index]
        if below is None or above is None:
            return above if below is None else below
        nearer_above = self.bands[above].distance(value) < self.bands[below].distance(value)
        return above if nearer_above else below

    def _next(self, index: int, target: int | None) -> dict[str, Any] | None:
        if target is None:
            return None
        above = target > index
        return {
            **self.bands[target].to_dict(),
            "above": above,
            # The last band in its direction: "90% or more" describes it exactly.
            "onward": target == (len(self.bands) - 1 if above else 0),
        }

    def _band_outcome(self, index: int, target: int | None) -> Outcome:
        band = self.bands[index]
        matched = {
            "band": index,
            "interval": band.interval,
            "points": band.points,
            "unit": self.unit,
            "bounds": band.bounds(),
            "next": self._next(index, target),
        }
        return outcome(band.points, matched)

    def points_for(self, answer: ItemAnswer) -> float | None:
        # The band alone, not the nearest better one: the totals add a band's points for
        # every measured item they score, so a float within the unit's bounds (which NaN and
        # the infinities are not) is one bisection of the edges.
        edges = self._edges
        if edges is not None and type(answer) is Measurement:
            value = answer.value
            low, high = self._bounds
            if type(value) is float and low <= value <= high:
                return self._edge_points[bisect_right(edges, value)]
        if not in_unit(answer, self.unit):
            return None
        index = self.band_index(measured_value(answer))
        return None if index is None else self.bands[index].points

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        if not in_unit(answer, self.unit):
            return None
        value = measured_value(answer)
        index = self.band_index(value)
        if index is None:
            return None
        return self._outcomes[(index, self.nearest_better(value, index))]

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        return _band_gaps(self.bands, self.unit) + max_mismatch(
            self.max_points, item_max, ["bands"]
        )

    def point_values(self) -> tuple[float, ...]:
        return tuple(band.points for band in self.bands)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "unit": self.unit,
            "bands": [band.to_dict() for band in self.bands],
        }
