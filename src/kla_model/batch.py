"""Scoring many submissions: a stream in, a stream of results out.

:func:`score_many` takes any iterable of submissions (a list, a generator reading a file, a
queue) and yields one result per submission as it goes, holding none of the earlier ones: a
batch of 100,000 districts needs the memory of one.  With ``trace=True`` (the default) each
result is the full :class:`~kla_model.ScoreCard` that :func:`~kla_model.score` gives; with
``trace=False`` it is a :class:`~kla_model.ScoreTotals` (group points, total, tier), computed
by a compiled path that is several times faster and proven equal to ``score``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal, TextIO, overload

import attrs

from kla_model import html
from kla_model.compiled import compile_ruleset
from kla_model.engine import score
from kla_model.errors import SubmissionError, TableError
from kla_model.frame import results_frame
from kla_model.output import write_results
from kla_model.results import ScoreCard
from kla_model.ruleset import RuleSet
from kla_model.submission import Submission
from kla_model.summary import BatchSummary, summarise
from kla_model.table import RowError, Table, TableRow
from kla_model.totals import ScoreTotals

__all__ = ["Batch", "ScoredRow", "score_many", "score_rows", "score_table"]


@overload
def score_many(
    ruleset: RuleSet,
    submissions: Iterable[Submission],
    *,
    stage: str | None = None,
    trace: Literal[True] = True,
) -> Iterator[ScoreCard]: ...


@overload
def score_many(
    ruleset: RuleSet,
    submissions: Iterable[Submission],
    *,
    stage: str | None = None,
    trace: Literal[False],
) -> Iterator[ScoreTotals]: ...


@overload
def score_many(
    ruleset: RuleSet,
    submissions: Iterable[Submission],
    *,
    stage: str | None = None,
    trace: bool,
) -> Iterator[ScoreCard] | Iterator[ScoreTotals]: ...


def score_many(
    ruleset: RuleSet,
    submissions: Iterable[Submission],
    *,
    stage: str | None = None,
    trace: bool = True,
) -> Iterator[ScoreCard] | Iterator[ScoreTotals]:
    """Score each submission in turn, yielding its result before reading the next.

    The results are exactly those of ``score(ruleset, submission, stage)``, one by one, in
    order (``ScoreTotals.of(card)`` for ``trace=False``).  A submission that does not fit the
    ruleset raises the same :class:`~kla_model.SubmissionError` that ``score`` raises, when
    the stream reaches it; to collect errors instead, score a table with
    :func:`~kla_model.score_table`.  Pass ``trace=False`` for totals only: several times
    faster, and a much smaller result per submission.
    """
    if trace:
        return (score(ruleset, submission, stage) for submission in submissions)
    return map(_totals_function(ruleset, stage), submissions)


def _totals_function(ruleset: RuleSet, stage: str | None) -> Callable[[Submission], ScoreTotals]:
    """Submission -> totals: the compiled path where it applies, the engine otherwise."""
    compiled = compile_ruleset(ruleset)

    def totals(submission: Submission) -> ScoreTotals:
        found = compiled.totals(submission, stage)
        # None: the compiled path is unsure of this one; the engine gives the answer or error.
        return ScoreTotals.of(score(ruleset, submission, stage)) if found is None else found

    return totals


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
    rows already read (:func:`kla_model.table.read_rows`) with ``source`` naming them.
    """
    if isinstance(table, Table):
        source = table.source
        rows: Iterable[TableRow] = table.rows(ruleset)
    else:
        rows = table
    totals = _totals_function(ruleset, stage)
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


@attrs.frozen
class Batch:
    """A scored table: the results of the rows that scored and the errors of those that did not.

    Holds one :class:`~kla_model.ScoreTotals` per row (small: no trace); to stream a table
    too large for that, use :func:`score_rows`.
    """

    ruleset: RuleSet = attrs.field(repr=False)
    results: tuple[ScoreTotals, ...]
    errors: tuple[RowError, ...] = ()

    def summary(self) -> BatchSummary:
        """Districts per tier for each round, and the ranking."""
        failed_rows = len({error.row for error in self.errors})
        return summarise(self.ruleset, self.results, errors=failed_rows)

    def write(self, stream: TextIO, format: str = "csv") -> int:
        """Write the results to ``stream`` as CSV or JSON Lines; returns how many."""
        return write_results(self.results, stream, self.ruleset, format)

    def to_pandas(self) -> Any:
        """The results as a pandas ``DataFrame``, one row per district-year (``[pandas]``)."""
        return results_frame(self.results, self.ruleset)

    def _repr_html_(self) -> str:
        """The batch's summary and errors as HTML, for notebooks."""
        return html.batch_html(self.summary(), self.errors)


def score_table(
    ruleset: RuleSet, table: Table, *, stage: str | None = None, strict: bool = False
) -> Batch:
    """Score every row of ``table``; bad rows are collected in ``errors`` (or raise if strict)."""
    results: list[ScoreTotals] = []
    errors: list[RowError] = []
    for scored in score_rows(ruleset, table, stage=stage, strict=strict):
        if scored.totals is None:
            errors.extend(scored.errors)
        else:
            results.append(scored.totals)
    return Batch(ruleset, tuple(results), tuple(errors))
