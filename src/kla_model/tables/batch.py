"""A scored table held in memory: every row's totals and every bad row's errors, with its
summary, writers and data frame.  :func:`score_table` builds it; :mod:`kla_model.tables.rows`
streams a table too large to hold."""

from __future__ import annotations

from typing import Any, TextIO

import attrs

from kla_model._base.display import html_view
from kla_model.rules.ruleset import RuleSet
from kla_model.scoring.totals import ScoreTotals
from kla_model.tables.frame import results_frame
from kla_model.tables.output import write_results
from kla_model.tables.rows import score_rows
from kla_model.tables.summary import BatchSummary, summarise
from kla_model.tables.table import RowError, Table

__all__ = ["Batch", "score_table"]


@attrs.frozen
class Batch:
    """A scored table: the results of the rows that scored and the errors of those that did not.

    Holds one :class:`~kla_model.ScoreTotals` per row (small: no trace); to stream a table
    too large for that, use :func:`score_rows`.
    """

    ruleset: RuleSet = attrs.field(repr=False)
    results: tuple[ScoreTotals, ...]
    errors: tuple[RowError, ...] = ()

    def __repr__(self) -> str:
        rs = self.ruleset
        return (
            f"<Batch {len(self.results)} scored, {len(self.errors)} errors · "
            f"{rs.id} {rs.version} ({rs.status})>"
        )

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
        return html_view(self)


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
