"""pandas views of batch results, and scoring a data frame in the wide table format.

pandas is an optional extra (``pip install 'kla_model[pandas]'``): it is imported when one
of these functions is called, never when kla_model is imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from kla_model.errors import MissingExtraError
from kla_model.rules.ruleset import RuleSet
from kla_model.scoring.totals import ScoreTotals
from kla_model.tables.output import result_columns
from kla_model.tables.rows import score_rows
from kla_model.tables.table import read_rows

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
    columns = [str(name) for name in frame.columns]
    source = "data frame"
    rows = read_rows(ruleset, columns, _records(frame, pandas), source=source)
    empty = [None] * len(_columns(ruleset))
    records = [
        [*_record(scored.totals), ""]
        if scored.totals is not None
        else [*empty, "; ".join(str(error) for error in scored.errors)]
        for scored in score_rows(ruleset, rows, strict=strict, source=source)
    ]
    return pandas.DataFrame(records, columns=[*_columns(ruleset), "errors"], index=frame.index)
