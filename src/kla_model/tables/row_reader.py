"""Reading a row of the wide table into a submission: each cell read as its item's rule reads
an answer, every error named by its row and column (see :mod:`kla_model.tables.table` for
the format).

A ruleset and a header give a layout (:func:`_layout`: where each item's answer and data year
are); a row's cells then become a :class:`TableRow`, a submission or the errors that kept it
from being one.  Each column remembers the distinct cells it has read, so a table of recurring
answers costs a look-up per cell.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from kla_model._base.capped import first_problems
from kla_model._base.json_schema import shown
from kla_model._base.suggest import did_you_mean
from kla_model._base.unsafe_text import text_problem
from kla_model.errors import Problem, TableError
from kla_model.rules.answers import data_year_problem
from kla_model.rules.model import REGION_KINDS, Indicator, Item, Region
from kla_model.rules.point_rules.base import BadCell
from kla_model.rules.ruleset import RuleSet
from kla_model.submissions.submission import (
    IndicatorAnswer,
    ItemAnswer,
    ItemAnswers,
    Measurement,
    Submission,
)
from kla_model.tables.header import (
    DATA_YEAR,
    FIXED_COLUMNS,
    answer_columns,
    header_problems,
)

__all__ = ["CACHED_CELLS", "RowError", "TableRow", "read_rows"]

#: The years a submission may name (the submission schema's bounds).
_YEARS = range(1900, 2201)


@attrs.frozen
class RowError:
    """What is wrong with one cell (or, with ``column`` ``None``, with a whole row)."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.column is None else f"row {self.row}, {self.column}"
        return f"{where}: {self.message}"

    def problem(self, source: str) -> Problem:
        """The error as a :class:`~kla_model.Problem` located in ``source``."""
        where = f"row {self.row}" if self.column is None else f"row {self.row}, {self.column}"
        return Problem(f"{source}: {where}", self.message)


@attrs.frozen
class TableRow:
    """One row read with a ruleset: a submission, or the errors that kept it from being one."""

    #: The row number as a spreadsheet shows it: the header is row 1.
    row: int
    submission: Submission | None
    errors: tuple[RowError, ...] = ()


@attrs.frozen
class _Answer:
    """Where one item's answer is in a row: its column, and its data year's column."""

    indicator: Indicator
    item: Item
    column: int
    column_name: str
    data_year: int | None


@attrs.frozen
class _Layout:
    """How a ruleset reads a table's columns, worked out once from the header."""

    fixed: tuple[int, ...]
    answers: tuple[_Answer, ...]
    #: How many cells a row needs: the header's count.
    width: int
    #: The ruleset's limit on the age of measured data (``max_data_age``); a data year after
    #: the round is refused whatever it is.
    max_age: int | None = None
    #: One reader per answered indicator, each remembering the cells it has read.
    indicators: tuple[_IndicatorColumns, ...] = attrs.field(init=False, eq=False, repr=False)
    #: Each column's position (data-year columns too), to order a row's errors.
    position: Mapping[str, int] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_indicator: dict[str, list[_Column]] = {}
        for place in self.answers:
            by_indicator.setdefault(place.indicator.id, []).append(_Column(place))
        groups = tuple(
            _IndicatorColumns(columns[0].place.indicator, columns)
            for columns in by_indicator.values()
        )
        object.__setattr__(self, "indicators", groups)
        position: dict[str, int] = {}
        for place in self.answers:
            position[place.column_name] = place.column
            if place.data_year is not None:
                position[place.column_name + DATA_YEAR] = place.data_year
        object.__setattr__(self, "position", MappingProxyType(position))


def _layout(ruleset: RuleSet, columns: tuple[str, ...], source: str) -> _Layout:
    known = answer_columns(ruleset)
    where = {name: index for index, name in enumerate(columns)}
    unknown = (
        Problem(
            f"{source}: header, column {index + 1}",
            f"unknown column {shown(name)}"
            + did_you_mean(name, known)
            + f": expected a column of ruleset {ruleset.id}",
        )
        for index, name in enumerate(columns)
        if name not in FIXED_COLUMNS and name not in known
    )
    problems = first_problems(unknown, source)
    if problems:
        raise TableError(f"{source} (against ruleset {ruleset.id})", problems)
    answers = []
    for indicator in ruleset.indicators.values():
        for item in indicator.items:
            name = indicator.id if len(indicator.items) == 1 else item.id
            if name in where:
                answers.append(
                    _Answer(indicator, item, where[name], name, where.get(name + DATA_YEAR))
                )
            elif name + DATA_YEAR in where:
                problem = Problem(
                    f"{source}: header",
                    f"column {name + DATA_YEAR!r} has no column {name!r} for its value",
                )
                raise TableError(f"{source} (against ruleset {ruleset.id})", [problem])
    # In the table's column order, so that a row's errors read left to right.
    answers.sort(key=lambda place: place.column)
    fixed = tuple(where[name] for name in FIXED_COLUMNS)
    return _Layout(fixed, tuple(answers), len(columns), ruleset.max_data_age)


def _year(cell: str, what: str) -> int | BadCell:
    try:
        year = int(cell)
    except ValueError:
        return BadCell(f"expected {what} as a whole number; found {cell!r}")
    if year not in _YEARS:
        return BadCell(f"expected {what} from {_YEARS[0]} to {_YEARS[-1]}; found {year}")
    return year


#: How many distinct cells each column remembers the reading of; further distinct cells
#: are read each time (memory stays bounded however large the table).
CACHED_CELLS = 4096

#: A cell read: the answer (``None`` for an empty cell) and the errors found, each as
#: (column, message).
_Read = tuple[ItemAnswer | None, tuple[tuple[str, str], ...]]


class _Column:
    """One answer column (with its data-year column): reads each distinct cell once."""

    def __init__(self, place: _Answer) -> None:
        self.place = place
        self.year_column = place.column_name + DATA_YEAR
        self.cache: dict[tuple[str, str], _Read] = {}

    def read(self, cells: Sequence[str]) -> _Read:
        place = self.place
        return self.read_cells(
            cells[place.column], "" if place.data_year is None else cells[place.data_year]
        )

    def read_cells(self, value_cell: str, year_cell: str) -> _Read:
        """The answer in a value cell and its data-year cell (``""`` for none)."""
        key = (value_cell, year_cell)
        found = self.cache.get(key)
        if found is None:
            found = self._read(key[0].strip(), key[1].strip())
            if len(self.cache) < CACHED_CELLS:
                self.cache[key] = found
        return found

    def _read(self, cell: str, year_cell: str) -> _Read:
        place = self.place
        if not cell:
            if year_cell:
                return None, (
                    (self.year_column, f"a data year without a value in {place.column_name}"),
                )
            return None, ()
        rule = place.item.rule
        parsed: Any
        if rule.measured:
            measured = self._measurement(cell, year_cell)
            if isinstance(measured, tuple) and not isinstance(measured, BadCell):
                return None, (measured,)  # the data year's error
            parsed = measured
        else:
            parsed = rule.read_cell(cell)
        if isinstance(parsed, BadCell):
            return None, ((place.column_name, parsed.message),)
        problem = rule.problem(parsed)
        if problem is not None:
            return None, ((place.column_name, problem),)
        return parsed, ()

    def _measurement(self, cell: str, year_cell: str) -> Measurement | BadCell | tuple[str, str]:
        value = self.place.item.rule.read_cell(cell)
        if isinstance(value, BadCell):
            return value
        data_year = None
        if year_cell:
            year = _year(year_cell, "a data year")
            if isinstance(year, BadCell):
                return (self.year_column, year.message)
            data_year = year
        problem = self.place.item.rule.year_problem(data_year)
        if problem is not None:
            return (self.year_column, problem)
        return Measurement(value, data_year)


class _RowReader:
    """Turns the cells of one row into a submission, collecting every error on the way."""

    def __init__(self, number: int, cells: Sequence[str], source: str) -> None:
        self.number = number
        self.cells = cells
        self.source = source
        self.errors: list[RowError] = []

    def error(self, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def cell(self, index: int) -> str:
        return self.cells[index].strip()

    def region(self, fixed: tuple[int, ...]) -> tuple[Region | None, int | None]:
        code, name, kind, province, year_cell = (self.cell(index) for index in fixed)
        for column, value, longest in (
            ("region_code", code, 32),
            ("region_name", name, 200),
            ("province", province, 200),
        ):
            if not value:
                self.error(column, "expected a value; found an empty cell")
            elif len(value) > longest:
                self.error(column, f"expected at most {longest} characters; found {len(value)}")
            elif (unsafe := text_problem(value)) is not None:
                self.error(column, unsafe)
        if kind not in REGION_KINDS:
            self.error(
                "region_kind", f"expected one of {', '.join(REGION_KINDS)}; found {shown(kind)}"
            )
        year = _year(year_cell, "the evaluation year")
        if isinstance(year, BadCell):
            self.error("year", year.message)
            return None, None
        if self.errors:
            return None, None
        return Region(code=code, name=name, kind=kind, province=province), year


class _IndicatorColumns:
    """The columns of one indicator: reads each distinct combination of its cells once.

    An indicator with several items becomes one :class:`ItemAnswers`; caching the whole
    indicator means a row of a table with recurring answers costs one look-up per indicator.
    """

    def __init__(self, indicator: Indicator, columns: Sequence[_Column]) -> None:
        self.indicator = indicator
        self.columns = tuple(columns)
        self.single = len(indicator.items) == 1
        indices = [c.place.column for c in columns]
        indices += [c.place.data_year for c in columns if c.place.data_year is not None]
        self.key = operator.itemgetter(*indices, indices[0])  # always a tuple, even for one
        self.cache: dict[tuple[str, ...], _IndicatorRead] = {}

    def read(self, cells: Sequence[str]) -> _IndicatorRead:
        key = self.key(cells)
        found = self.cache.get(key)
        if found is None:
            found = self._read(cells)
            if len(self.cache) < CACHED_CELLS:
                self.cache[key] = found
        return found

    def _read(self, cells: Sequence[str]) -> _IndicatorRead:
        answers: dict[str, ItemAnswer] = {}
        errors: list[tuple[str, str]] = []
        measured: list[tuple[str, Measurement]] = []
        for column in self.columns:
            answer, found = column.read(cells)
            errors.extend(found)
            if answer is not None:
                answers[column.place.item.id] = answer
                if isinstance(answer, Measurement):
                    measured.append((column.year_column, answer))
        if not answers:
            return None, tuple(errors), ()
        if self.single:
            return next(iter(answers.values())), tuple(errors), tuple(measured)
        return ItemAnswers(answers), tuple(errors), tuple(measured)


#: An indicator's cells read: its answer (or ``None``), the errors as (column, message),
#: and its measured answers with their data-year columns (checked against each row's round).
_IndicatorRead = tuple[
    IndicatorAnswer | None, tuple[tuple[str, str], ...], tuple[tuple[str, Measurement], ...]
]


def _answers(reader: _RowReader, layout: _Layout, year: int | None) -> dict[str, IndicatorAnswer]:
    answers: dict[str, IndicatorAnswer] = {}
    errors: list[tuple[str, str]] = []
    cells, max_age = reader.cells, layout.max_age
    for group in layout.indicators:
        answer, found, measured = group.read(cells)
        if found:
            errors.extend(found)
        if answer is None:
            continue
        if year is not None and measured:
            # the only check that depends on the row (its round), so it is not cached
            stale = [
                (column, problem)
                for column, value in measured
                if (problem := data_year_problem(value, year, max_age)) is not None
            ]
            if stale:
                errors.extend(stale)
                continue
        answers[group.indicator.id] = answer
    if errors:
        # in the table's column order, so that a row's errors read left to right
        errors.sort(key=lambda error: layout.position.get(error[0], 0))
        for column, message in errors:
            reader.error(column, message)
    return answers


def _row(
    source: str,
    layout: _Layout,
    number: int,
    cells: Sequence[str],
    seen: dict[int, int],
) -> TableRow:
    """Read one row; ``seen`` remembers each district-year's first row, to refuse repeats.

    ``seen`` is keyed by the hash of (code, year): a few numbers per row, so a table of a
    million rows is read in bounded memory.
    """
    reader = _RowReader(number, cells, source)
    if len(cells) != layout.width:
        reader.error(None, f"expected {layout.width} cells like the header; found {len(cells)}")
        return TableRow(number, None, tuple(reader.errors))
    region, year = reader.region(layout.fixed)
    answers = _answers(reader, layout, year)
    if region is not None and year is not None:
        first = seen.setdefault(hash((region.code, year)), number)
        if first != number:
            reader.error(
                "region_code", f"district {region.code} already has a row for {year} (row {first})"
            )
    if reader.errors or region is None or year is None:
        return TableRow(number, None, tuple(reader.errors))
    submission = Submission(
        region=region, year=year, answers=answers, origin=f"{source}: row {number}"
    )
    return TableRow(number, submission)


def read_rows(
    ruleset: RuleSet,
    columns: Sequence[str],
    records: Iterable[tuple[int, Sequence[str]]],
    source: str = "table",
) -> Iterator[TableRow]:
    """Read ``(row number, cells)`` records under the header ``columns`` with ``ruleset``.

    The reader behind :meth:`Table.rows`, for rows that come from elsewhere than a CSV file
    (a data frame, a database cursor).  The header is checked at once; rows lazily.
    """
    columns = tuple(columns)
    problems = header_problems(columns, source)
    if problems:
        raise TableError(source, problems)
    layout = _layout(ruleset, columns, source)
    return _read(layout, records, source)


def _read(
    layout: _Layout, records: Iterable[tuple[int, Sequence[str]]], source: str
) -> Iterator[TableRow]:
    seen: dict[int, int] = {}
    for number, cells in records:
        yield _row(source, layout, number, cells, seen)
