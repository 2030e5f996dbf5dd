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
import operator
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from kla_model._base.strict_yaml import NOT_REGULAR, open_regular
from kla_model.errors import Problem, TableError
from kla_model.rules.point_rules.cells import FALSE_WORDS, NONE_TICKED, TRUE_WORDS
from kla_model.rules.ruleset import RuleSet
from kla_model.submissions.submission import Submission
from kla_model.tables.header import DATA_YEAR, FIXED_COLUMNS, answer_columns, header_problems
from kla_model.tables.row_reader import RowError, TableRow, read_rows

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
        return whole_years(cells[at] for _, cells in self.records() if len(cells) > at)

    def first_years(self, rows: int) -> set[int]:
        """The whole numbers in the ``year`` column of the first chunk of ``rows`` rows that
        has any (empty if no row has one): what ``kla batch`` chooses a ruleset by before
        scoring, reading no further than it must.  Raises as :meth:`chunks` does."""
        if "year" not in self.columns:
            return set()
        at = self.columns.index("year")
        for _, cells in self.chunks(rows):
            years = whole_years(row[at] for row in cells if len(row) > at)
            if years:
                return years
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


_first = operator.itemgetter(0)


def _filled(row: Sequence[str]) -> bool:
    return any(cell.strip() for cell in row)


def whole_years(cells: Iterable[str]) -> set[int]:
    """The whole numbers among ``year`` cells; any other cell is left out (it is that row's
    error when the row is read)."""
    years = set()
    for cell in cells:
        with contextlib.suppress(ValueError):
            years.add(int(cell.strip()))
    return years


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
    problems = header_problems(columns, source)
    if problems:
        raise TableError(source, problems)
    return Table(path, columns)
