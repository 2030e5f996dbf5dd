"""Reference series: the figure in force for a data year, and years outside the series."""

from __future__ import annotations

import pytest

from kla_model import Label, ReferencePoint, ReferenceSeries

SERIES = ReferenceSeries(
    "stunting",
    Label("s", "s"),
    "test",
    "percent",
    (
        ReferencePoint(2018, 30.8),
        ReferencePoint(2019, 27.67),
        ReferencePoint(2021, 24.4),
    ),
)


def test_each_year_takes_its_own_or_the_latest_earlier_figure() -> None:
    assert [SERIES.point_for(y).value for y in (2018, 2019, 2020, 2021)] == [
        30.8,
        27.67,
        27.67,
        24.4,
    ]


def test_years_outside_the_series_are_not_covered() -> None:
    assert not SERIES.covers(2017) and not SERIES.covers(2022)
    with pytest.raises(
        LookupError, match=r"reference series 'stunting' covers data years 2018-2021, not 2022"
    ):
        SERIES.point_for(2022)


def test_years_must_ascend() -> None:
    with pytest.raises(ValueError, match=r"distinct and ascending, not \[2019, 2018\]"):
        ReferenceSeries(
            "x", Label("x", "x"), "t", "percent", (ReferencePoint(2019, 1), ReferencePoint(2018, 2))
        )
