"""pandas views of batch results, and scoring a data frame in the wide table format.

pandas is an optional extra (``pip install 'kla_model[pandas]'``): it is imported when one
of these functions is called, never when kla_model is imported.

``score_frame`` reads the frame by column, not by cell: each answer column's distinct
values (with their data years) are read and scored once, by the same reader and rules the
row path uses, and the points go back to every row as a numpy array, added per group with
the ruleset's exact arithmetic (:mod:`kla_model.rules.points`).  A frame with any problem
(a bad cell, a repeated district-year, a scale with must-pass conditions, which need every
indicator's points) is scored row by row instead, which names each bad row and column; the
results are the same either way, as a property test checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from kla_model.errors import MissingExtraError, TableError
from kla_model.rules.answers import Measurement
from kla_model.rules.ruleset import RuleSet
from kla_model.scoring.engine import STAGES
from kla_model.scoring.totals import ScoreTotals
from kla_model.tables.columns import cell_points
from kla_model.tables.header import FIXED_COLUMNS, header_problems
from kla_model.tables.output import result_columns
from kla_model.tables.row_reader import _Answer, _Column, _layout, _RowReader, read_rows
from kla_model.tables.rows import score_rows

__all__ = ["results_frame", "score_frame"]


def _pandas() -> Any:
    try:
        import pandas  # noqa: PLC0415 (an optional dependency, imported on use)
    except ImportError:
        raise MissingExtraError(
            "this needs pandas, an optional extra: pip install 'kla_model[pandas]'"
        ) from None
    return pandas


def _record(totals: ScoreTotals) -> list[Any]:
    region, ruleset = totals.region, totals.ruleset
    return [
        region.code,
        region.name,
        region.kind,
        region.province,
        totals.year,
        totals.stage,
        *totals.group_points,
        totals.total,
        None if totals.tier is None else totals.tier.id,
        ruleset.id,
        ruleset.version,
        ruleset.status,
        ruleset.sha256,
    ]


def _columns(ruleset: RuleSet) -> list[str]:
    return result_columns(group.id for group in ruleset.groups)


def results_frame(results: Iterable[ScoreTotals], ruleset: RuleSet) -> Any:
    """One row per result, with the columns of a CSV results file (group points as floats)."""
    pandas = _pandas()
    return pandas.DataFrame([_record(totals) for totals in results], columns=_columns(ruleset))


def _cell(value: Any, pandas: Any) -> str:
    """A data frame value as the table cell it stands for."""
    if value is None or (pandas.api.types.is_scalar(value) and pandas.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        # A column with a blank is read as floats: its year 2025 arrives as 2025.0.
        return str(int(value))
    return str(value)


def _records(frame: Any, pandas: Any) -> Iterator[tuple[int, Sequence[str]]]:
    # Row numbers as in a CSV file of the frame: the header is row 1, the first row row 2.
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        yield number, [_cell(value, pandas) for value in values]


def score_frame(ruleset: RuleSet, frame: Any, *, strict: bool = False) -> Any:
    """Score a data frame in the wide table format; the results as a data frame.

    One row per input row, with the same index, holding the result columns and an ``errors``
    column: empty for a row that scored; the row's problems, and no points, for one that did
    not.  Row numbers in errors count as in a CSV file of the frame (its first row is row 2).
    With ``strict=True`` the first bad row raises :class:`~kla_model.TableError` instead.
    """
    pandas = _pandas()
    columns = tuple(str(name) for name in frame.columns)
    problems = header_problems(columns, _SOURCE)
    if problems:
        raise TableError(_SOURCE, problems)
    # Conditions need every indicator's points: the row path reads those frames.
    by_row = ruleset.tiers.has_conditions
    by_column = None if by_row else _by_column(ruleset, frame, columns)
    return _by_row(ruleset, frame, pandas, strict) if by_column is None else by_column


_SOURCE = "data frame"


def _by_row(ruleset: RuleSet, frame: Any, pandas: Any, strict: bool = False) -> Any:
    """The row path: each row read and scored in turn, every problem named."""
    columns = [str(name) for name in frame.columns]
    rows = read_rows(ruleset, columns, _records(frame, pandas), source=_SOURCE)
    empty = [None] * len(_columns(ruleset))
    records = [
        [*_record(scored.totals), ""]
        if scored.totals is not None
        else [*empty, "; ".join(str(error) for error in scored.errors)]
        for scored in score_rows(ruleset, rows, strict=strict, source=_SOURCE)
    ]
    return pandas.DataFrame(records, columns=[*_columns(ruleset), "errors"], index=frame.index)


class _UncleanError(Exception):
    """The frame has a problem somewhere: the row path will say where."""


def _distinct(column: Any, pandas: Any) -> tuple[Any, list[str]]:
    """Each row's index into the column's distinct values, and those values as cells."""
    codes, found = pandas.factorize(column, use_na_sentinel=False)
    uniques = found.tolist()  # plain Python values: iterating a pandas array is slow
    if all(type(value) is str for value in uniques):  # the common case: cells read as text
        return codes, [value.strip() for value in uniques]
    return codes, [_cell(value, pandas).strip() for value in uniques]


def _item_points(place: _Answer, frame: Any, pandas: Any, numpy: Any) -> tuple[Any, Any]:
    """The points of one item's column, per row, and its data years (NaN where none): each
    distinct (value, data year) read and scored once, by the row path's reader and rule."""
    codes, values = _distinct(frame.iloc[:, place.column], pandas)
    if place.data_year is None:
        pairs, years = codes, [""]
    else:
        year_codes, years = _distinct(frame.iloc[:, place.data_year], pandas)
        pairs = codes * len(years) + year_codes
    keys, inverse = numpy.unique(pairs, return_inverse=True)
    points = numpy.empty(len(keys))
    data_years = numpy.full(len(keys), numpy.nan)
    column = _Column(place)
    for index, key in enumerate(keys.tolist()):
        value, year = values[key // len(years)], years[key % len(years)]
        points[index], answer = cell_points(column, value, year)
        if isinstance(answer, Measurement) and answer.data_year is not None:
            data_years[index] = answer.data_year
    if numpy.isnan(points).any():
        raise _UncleanError  # a cell the row path refuses: it names the row and column
    rows = inverse.reshape(-1)
    return points[rows], data_years[rows]


def _check_data_years(ruleset: RuleSet, data_years: Any, rounds: Any) -> None:
    """As the row path: no data year after its row's round, nor older than the ruleset's
    ``max_data_age`` (NaN, no data year, compares false)."""
    bad = data_years > rounds
    if ruleset.max_data_age is not None:
        bad |= data_years < rounds - ruleset.max_data_age
    if bad.any():
        raise _UncleanError


#: The region columns with a value per district: checked for length in one pass (as the
#: row path does: not empty, at most this many characters), not value by value.
_FREE_TEXT = {"region_code": 32, "region_name": 200}


def _regions(frame: Any, fixed: tuple[int, ...], pandas: Any, numpy: Any) -> list[Any]:
    """The region cells and year of every row, checked as the row path checks them.

    The row path checks each region cell on its own, so the code and name (one per
    district) are checked for length in one pass, and each distinct value of the other
    columns once, in a row that is otherwise the frame's first; then no district-year may
    come twice.
    """
    distinct = [_distinct(frame.iloc[:, index], pandas) for index in fixed]
    first = [values[codes[0]] for codes, values in distinct]
    years: list[int] = []
    for position, (name, (_, values)) in enumerate(zip(FIXED_COLUMNS, distinct, strict=True)):
        if name in _FREE_TEXT:
            lengths = numpy.fromiter(map(len, values), dtype=numpy.int64, count=len(values))
            if len(lengths) and (lengths.min() == 0 or lengths.max() > _FREE_TEXT[name]):
                raise _UncleanError
            continue
        for value in values:
            cells = [*first]
            cells[position] = value
            region, year = _RowReader(0, cells, _SOURCE).region((0, 1, 2, 3, 4))
            if region is None or year is None:
                raise _UncleanError
            if name == "year":
                years.append(year)
    (code_codes, _), (year_codes, _) = distinct[0], distinct[-1]
    pairs = code_codes.astype(numpy.int64) * len(years) + year_codes
    if len(numpy.unique(pairs)) != len(pairs):
        raise _UncleanError  # a district-year twice
    columns: list[Any] = [
        numpy.array(values, dtype=object)[row_codes] for row_codes, values in distinct[:-1]
    ]
    return [*columns, numpy.array(years, dtype=numpy.int64)[year_codes]]


def _by_column(ruleset: RuleSet, frame: Any, columns: tuple[str, ...]) -> Any | None:
    """The frame's results read column by column, or ``None`` if any row has a problem."""
    pandas = _pandas()
    import numpy  # noqa: PLC0415 (pandas' own dependency)

    layout = _layout(ruleset, columns, _SOURCE)
    group_index = {group.id: n for n, group in enumerate(ruleset.groups)}
    sums = [numpy.zeros(len(frame)) for _ in ruleset.groups]
    try:
        regions = _regions(frame, layout.fixed, pandas, numpy)
        for place in layout.answers:
            points, data_years = _item_points(place, frame, pandas, numpy)
            _check_data_years(ruleset, data_years, regions[-1])
            sums[group_index[ruleset.group_of[place.indicator.id]]] += points
    except _UncleanError:
        return None
    resolution = ruleset.resolution
    if not resolution.dyadic:  # float sums rounded to the exact decimal sums, as Resolution.snap
        sums = [numpy.round(s * resolution.scale) / resolution.scale for s in sums]
    total = sum(sums[1:], sums[0].copy()) if sums else numpy.zeros(len(frame))
    if not resolution.dyadic:
        total = numpy.round(total * resolution.scale) / resolution.scale
    tiers = [ruleset.tiers.by_total(t) for t in total.tolist()]
    ref = ruleset.ref
    data: dict[str, Any] = dict(zip(FIXED_COLUMNS, regions, strict=True))
    data["stage"] = STAGES[0]
    data |= {group.id: s for group, s in zip(ruleset.groups, sums, strict=True)}
    data |= {
        "total": total,
        "tier": [None if tier is None else tier.id for tier in tiers],
        "ruleset_id": ref.id,
        "ruleset_version": ref.version,
        "ruleset_status": ref.status,
        "ruleset_sha256": ref.sha256,
    }
    result = pandas.DataFrame(data, index=frame.index)
    result.columns = _columns(ruleset)
    result["errors"] = ""
    return result
