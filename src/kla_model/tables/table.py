"""The wide table format: many districts' answers in one CSV file, one row per district-year.

The columns are ``region_code, region_name, region_kind, province, year``, then one column per
answer, named by id: the indicator id for an indicator with one item (``I.1``), the item id
otherwise (``K.1.2``), and for a number the year its data describes in ``<column>.data_year``.
An empty cell is not answered.  The full format, with every cell convention, is in the
project's documentation (``docs/table-format.md``).

:func:`load_table` checks the fixed columns and returns a :class:`Table`; the rows are read
only when a ruleset turns them into submissions (:meth:`Table.rows`), one at a time, so a
table of tens of thousands of villages is never held in memory.  A bad row becomes a
:class:`RowError` naming its row and column; the other rows are unaffected.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import math
import operator
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, TextIO

import attrs

from kla_model._base.capped import MAX_PROBLEMS, first_problems
from kla_model._base.json_schema import shown
from kla_model._base.strict_yaml import NOT_REGULAR, open_regular
from kla_model._base.suggest import did_you_mean
from kla_model._base.unsafe_text import text_problem
from kla_model.errors import Problem, TableError
from kla_model.rules.answers import data_year_problem
from kla_model.rules.model import REGION_KINDS, Indicator, Item, Region
from kla_model.rules.ruleset import RuleSet
from kla_model.submissions.submission import (
    IndicatorAnswer,
    ItemAnswer,
    ItemAnswers,
    Measurement,
    Submission,
)

__all__ = [
    "DATA_YEAR",
    "FALSE_WORDS",
    "FIXED_COLUMNS",
    "NONE_TICKED",
    "TRUE_WORDS",
    "RowError",
    "Table",
    "TableRow",
    "answer_columns",
    "load_table",
    "read_rows",
    "whole_years",
]

#: The columns every table starts with, in this order.
FIXED_COLUMNS = ("region_code", "region_name", "region_kind", "province", "year")
#: The suffix of the column holding a number's data year.
DATA_YEAR = ".data_year"
#: The cell words for a yes/no answer (any letter case).
TRUE_WORDS = frozenset({"true", "ya", "yes", "1"})
FALSE_WORDS = frozenset({"false", "tidak", "no", "0"})
#: A checklist cell ticks option ids separated by ``;``; this cell ticks none of them.
NONE_TICKED = "-"
_SEPARATOR = ";"
#: The years a submission may name (the submission schema's bounds).
_YEARS = range(1900, 2201)
_NUMBER_KINDS = frozenset({"bands", "linear", "reference"})


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


def answer_columns(ruleset: RuleSet) -> list[str]:
    """The answer columns a table for ``ruleset`` may have, in ruleset order."""
    names = []
    for indicator in ruleset.indicators.values():
        for item in indicator.items:
            name = indicator.id if len(indicator.items) == 1 else item.id
            names.append(name)
            if item.rule.kind in _NUMBER_KINDS:
                names.append(name + DATA_YEAR)
    return names


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


def _header_problems(columns: tuple[str, ...], source: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, name in enumerate(columns):
        if name in seen and len(problems) < MAX_PROBLEMS:
            problems.append(
                Problem(f"{source}: header, column {index + 1}", f"duplicate column {shown(name)}")
            )
        seen.add(name)
    missing = [name for name in FIXED_COLUMNS if name not in seen]
    if missing:
        problems.append(
            Problem(
                f"{source}: header",
                f"expected the columns {', '.join(FIXED_COLUMNS)}; missing {', '.join(missing)}",
            )
        )
    return problems


class _Bad(NamedTuple):
    """A cell that could not be read, and why."""

    message: str


def _boolean(cell: str) -> bool | _Bad:
    word = cell.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return _Bad(f"expected yes or no (true/false, ya/tidak, yes/no, 1/0); found {cell!r}")


def _ticks(cell: str) -> tuple[str, ...] | _Bad:
    if cell == NONE_TICKED:
        return ()
    ticks = tuple(tick.strip() for tick in cell.split(_SEPARATOR) if tick.strip())
    twice = sorted({tick for tick in ticks if ticks.count(tick) > 1})
    if twice:
        return _Bad(f"option {twice[0]!r} is listed twice")
    return ticks


def _number(cell: str) -> float | _Bad:
    try:
        value = float(cell)
    except ValueError:
        hint = ""
        if cell.count(",") == 1 and cell.replace(",", "", 1).isdigit():
            hint = f" (write the decimal point as '.': {cell.replace(',', '.')})"
        return _Bad(f"expected a number; found {cell!r}{hint}")
    if not math.isfinite(value):
        return _Bad(f"expected a finite number; found {cell!r}")
    return value


def _year(cell: str, what: str) -> int | _Bad:
    try:
        year = int(cell)
    except ValueError:
        return _Bad(f"expected {what} as a whole number; found {cell!r}")
    if year not in _YEARS:
        return _Bad(f"expected {what} from {_YEARS[0]} to {_YEARS[-1]}; found {year}")
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
        key = (cells[place.column], "" if place.data_year is None else cells[place.data_year])
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
        if rule.kind == "boolean":
            parsed = _boolean(cell)
        elif rule.kind == "checklist":
            parsed = _ticks(cell)
        elif rule.kind in _NUMBER_KINDS:
            measured = self._measurement(cell, year_cell)
            if isinstance(measured, tuple) and not isinstance(measured, _Bad):
                return None, (measured,)  # the data year's error
            parsed = measured
        else:
            parsed = cell
        if isinstance(parsed, _Bad):
            return None, ((place.column_name, parsed.message),)
        problem = rule.problem(parsed)
        if problem is not None:
            return None, ((place.column_name, problem),)
        return parsed, ()

    def _measurement(self, cell: str, year_cell: str) -> Measurement | _Bad | tuple[str, str]:
        value = _number(cell)
        if isinstance(value, _Bad):
            return value
        data_year = None
        if year_cell:
            year = _year(year_cell, "a data year")
            if isinstance(year, _Bad):
                return (self.year_column, year.message)
            data_year = year
        series = getattr(self.place.item.rule, "series", None)
        if series is not None and (data_year is None or not series.covers(data_year)):
            found = "an empty cell" if data_year is None else str(data_year)
            return (
                self.year_column,
                f"expected a data year from {series.first_year} to {series.last_year} "
                f"to compare with reference series {series.id!r}; found {found}",
            )
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
        if isinstance(year, _Bad):
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


@attrs.frozen
class Table:
    """A CSV file in the wide table format; its rows are read on demand, one at a time."""

    path: Path
    columns: tuple[str, ...]

    @property
    def source(self) -> str:
        return str(self.path)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Every data row's cells, with its row number (the header is row 1)."""
        with _open_text(self.path) as stream:
            reader = csv.reader(stream)
            try:
                next(reader, None)
                for number, cells in enumerate(reader, start=2):
                    if any(cell.strip() for cell in cells):  # a blank line is no district
                        yield number, cells
            except (UnicodeDecodeError, csv.Error) as bad:
                raise self._unreadable(reader, bad) from None

    def chunks(self, size: int) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
        """The records of :meth:`records`, ``size`` rows at a time: (row numbers, rows).

        A row that cannot be read ends the table as in :meth:`records`: the rows before it
        come first, then the error.
        """
        with _open_text(self.path) as stream:
            reader = csv.reader(stream)
            failed: TableError | None = None
            number = 2
            while failed is None:
                rows: list[list[str]] = []
                try:
                    if number == 2:
                        next(reader, None)
                    rows.extend(itertools.islice(reader, size))  # keeps the rows read on error
                except (UnicodeDecodeError, csv.Error) as bad:
                    failed = self._unreadable(reader, bad)
                if not rows:
                    break
                numbers: Sequence[int] = range(number, number + len(rows))
                number += len(rows)
                # A blank line is no district (cheap test first: a district's row has a code).
                if not all(map(len, rows)) or not all(map(str.strip, map(_first, rows))):
                    kept = [(n, row) for n, row in zip(numbers, rows, strict=True) if _filled(row)]
                    numbers, rows = [n for n, _ in kept], [row for _, row in kept]
                if rows:
                    yield numbers, rows
            if failed is not None:
                raise failed

    def _unreadable(self, reader: Any, bad: Exception) -> TableError:
        where = f"{self.source}: row {reader.line_num + 1}"
        return TableError(self.source, [Problem(where, f"unreadable CSV: {bad}")])

    def years(self) -> set[int]:
        """Every whole number in the ``year`` column: the rounds the table's rows name.

        A cell that is not a whole number is left out (it is that row's error when the row
        is read).  Raises :class:`~kla_model.TableError` for a file that is not readable CSV.
        """
        at = self.columns.index("year")
        found = _plain_years(self.path, at)
        if found is not None:
            return found
        return whole_years(cells[at] for _, cells in self.records() if len(cells) > at)

    def first_years(self, rows: int) -> set[int]:
        """The whole numbers in the ``year`` column of the first ``rows`` rows or so (a
        chunk's worth): what ``kla batch`` chooses a ruleset by before scoring the rest."""
        if "year" not in self.columns:
            return set()
        at = self.columns.index("year")
        for _, cells in self.chunks(rows):
            return whole_years(row[at] for row in cells if len(row) > at)
        return set()

    def rows(self, ruleset: RuleSet) -> Iterator[TableRow]:
        """Each row as a submission for ``ruleset``, or as the errors found in it.

        Raises :class:`~kla_model.TableError` at once if the header has a column the
        ruleset does not know, since then no row can be read as meant.
        """
        return read_rows(ruleset, self.columns, self.records(), self.source)

    def submissions(self, ruleset: RuleSet) -> Iterator[Submission]:
        """Each row's submission; raises :class:`~kla_model.TableError` at the first bad row."""
        for row in self.rows(ruleset):
            if row.submission is None:
                problems = [error.problem(self.source) for error in row.errors]
                raise TableError(self.source, problems)
            yield row.submission


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
    problems = _header_problems(columns, source)
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


_first = operator.itemgetter(0)


def _filled(row: Sequence[str]) -> bool:
    return any(cell.strip() for cell in row)


#: How many characters :func:`_plain_years` reads at a time.
_BLOCK = 1 << 22


def _plain_years(path: Path, at: int) -> set[int] | None:
    """The whole numbers in column ``at`` of a CSV file without quotes, read fast; ``None``
    when the file may need the ``csv`` module to read (a quote, a carriage return that does
    not end a line, a line over the ``csv`` module's field limit, bytes that are not UTF-8).

    Without quotes, a CSV record is a line (ended by ``\\n`` or ``\\r\\n``) and its fields
    are split by commas, so a line split at the commas gives the cells the ``csv`` module
    would (a year cell is stripped, so a line's ``\\r`` does not matter).  Choosing the
    ruleset needs the year of every row before any is scored; this reads them in a fraction
    of the time the ``csv`` module takes.
    """
    cells: set[str] = set()
    limit = csv.field_size_limit()
    # Field ``at`` of each line that has it (a line with fewer fields has no year).  Each
    # line is found by the newline before it (one is put before the first): a search for a
    # newline is much faster than a multi-line ``^``.
    field = re.compile(rf"\n(?:[^,\n]*,){{{at}}}([^,\n]*)")
    rest = "\n"
    try:
        with _open_text(path) as stream:
            stream.readline()  # the header: load_table has read it
            while block := stream.read(_BLOCK):
                text = rest + block
                end = text.rfind("\n") + 1  # the lines before ``end`` are whole
                rest = "\n" + text[end:]
                if '"' in block or ("\r" in text and _lone_return(text, end)):
                    return None
                if max(map(len, text.split("\n"))) > limit:
                    return None
                cells.update(field.findall(text, 0, end))
    except (OSError, UnicodeDecodeError, TableError):
        return None
    if "\r" in rest:
        return None
    cells.update(field.findall(rest))
    return whole_years(cells)


def whole_years(cells: Iterable[str]) -> set[int]:
    """The whole numbers among ``year`` cells; any other cell is left out (it is that row's
    error when the row is read)."""
    years = set()
    for cell in cells:
        with contextlib.suppress(ValueError):
            years.add(int(cell.strip()))
    return years


def _lone_return(text: str, end: int) -> bool:
    """Whether ``text`` before ``end`` has a carriage return that does not end a line."""
    return text.count("\r", 0, end) != text.count("\r\n", 0, end)


def _open_text(path: Path) -> TextIO:
    """A table's text, if it is a regular file (a device or FIFO would never end)."""
    source = str(path)
    try:
        raw = open_regular(path)
    except ValueError:
        raise TableError(source, [Problem(source, NOT_REGULAR)]) from None
    except OSError as failed:
        reason = failed.strerror or str(failed)
        raise TableError(source, [Problem(source, f"cannot read the file: {reason}")]) from None
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def load_table(path: str | Path) -> Table:
    """Open a wide table (CSV, UTF-8) and check its header; rows are read when scored."""
    path = Path(path)
    source = str(path)
    try:
        with _open_text(path) as stream:
            header = next(csv.reader(stream), None)
    except OSError as failed:
        reason = failed.strerror or str(failed)
        raise TableError(source, [Problem(source, f"cannot read the file: {reason}")]) from None
    except (UnicodeDecodeError, csv.Error) as bad:
        raise TableError(source, [Problem(source, f"not a UTF-8 CSV file: {bad}")]) from None
    if header is None:
        raise TableError(source, [Problem(source, "the file is empty")])
    columns = tuple(name.strip() for name in header)
    problems = _header_problems(columns, source)
    if problems:
        raise TableError(source, problems)
    return Table(path, columns)
