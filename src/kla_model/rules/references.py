"""Dated national reference series, such as under-5 stunting prevalence by survey year."""

from __future__ import annotations

import bisect
from typing import Any

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model.rules.model import Label

__all__ = ["ReferencePoint", "ReferenceSeries"]


@attrs.frozen
class ReferencePoint:
    """The reference value published for one data year, with where it comes from."""

    __repr__ = attrs_repr

    year: int
    value: float
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"year": self.year, "value": self.value}
        if self.source is not None:
            data["source"] = self.source
        return data


def _ascending_years(
    _: object, __: attrs.Attribute[Any], points: tuple[ReferencePoint, ...]
) -> None:
    years = [point.year for point in points]
    if not points or years != sorted(set(years)):
        raise ValueError(f"reference years must be distinct and ascending, not {years}")


@attrs.frozen
class ReferenceSeries:
    """A national figure by data year.

    A data year inside the series but without its own value (no survey ran in 2020, say)
    takes the latest value published before it: that is the figure a district could have
    compared itself with.  A year before the first or after the last value is not covered,
    since nothing says what the figure was then.
    """

    __repr__ = attrs_repr

    id: str
    label: Label
    source: str
    unit: str
    points: tuple[ReferencePoint, ...] = attrs.field(validator=_ascending_years)
    _years: tuple[int, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_years", tuple(point.year for point in self.points))

    @property
    def first_year(self) -> int:
        return self._years[0]

    @property
    def last_year(self) -> int:
        return self._years[-1]

    def covers(self, year: int) -> bool:
        """Whether a value for data year ``year`` can be compared with this series."""
        return self.first_year <= year <= self.last_year

    def point_for(self, year: int) -> ReferencePoint:
        """The reference in force for data year ``year``; ``LookupError`` outside the series."""
        if not self.covers(year):
            raise LookupError(
                f"reference series {self.id!r} covers data years "
                f"{self.first_year}-{self.last_year}, not {year}"
            )
        return self.points[bisect.bisect_right(self._years, year) - 1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label.to_dict(),
            "source": self.source,
            "unit": self.unit,
            "values": [point.to_dict() for point in self.points],
        }
