"""Scoring a table row by row, as a stream: each row's totals, or the errors that kept it
from scoring, without ever failing the whole table for one bad row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import attrs

from kla_model.errors import SubmissionError, TableError
from kla_model.rules.ruleset import RuleSet
from kla_model.scoring.stream import totals_function
from kla_model.scoring.totals import ScoreTotals
from kla_model.submissions.submission import Submission
from kla_model.tables.table import RowError, Table, TableRow

__all__ = ["ScoredRow", "score_rows"]


@attrs.frozen
class ScoredRow:
    """One row of a table, scored: its totals, or the errors that kept it from scoring."""

    #: The row number as a spreadsheet shows it: the header is row 1.
    row: int
    totals: ScoreTotals | None
    errors: tuple[RowError, ...] = ()


def score_rows(
    ruleset: RuleSet,
    table: Table | Iterable[TableRow],
    *,
    stage: str | None = None,
    strict: bool = False,
    source: str = "table",
) -> Iterator[ScoredRow]:
    """Score a table row by row, as a stream: one :class:`ScoredRow` per row.

    A row that cannot be read or scored carries its errors and no totals; the other rows
    score all the same.  With ``strict=True`` the first bad row raises
    :class:`~kla_model.TableError` instead.  ``table`` is a :class:`~kla_model.Table`, or
    rows already read (:func:`kla_model.tables.table.read_rows`) with ``source`` naming them.
    """
    if isinstance(table, Table):
        source = table.source
        rows: Iterable[TableRow] = table.rows(ruleset)
    else:
        rows = table
    totals = totals_function(ruleset, stage)
    for row in rows:
        scored = _score_row(row, totals)
        if strict and scored.errors:
            raise TableError(source, [error.problem(source) for error in scored.errors])
        yield scored


def _score_row(row: TableRow, totals: Callable[[Submission], ScoreTotals]) -> ScoredRow:
    if row.submission is None:
        return ScoredRow(row.row, None, row.errors)
    try:
        return ScoredRow(row.row, totals(row.submission))
    except SubmissionError as error:  # the reader checks every cell; kept for safety
        return ScoredRow(row.row, None, (RowError(row.row, None, str(error)),))
