"""Batch results written out: CSV or JSON Lines, one row per district-year.

Each row has the district, the round, the stage, the points of every group (one column per
group id, in ruleset order), the total, the tier id (empty for no tier) and which ruleset
produced it.  Rows are written as they come, so a stream of results is never held whole.

CSV is meant for spreadsheets, so text from the input that a spreadsheet would read as a
formula is neutralised (:func:`spreadsheet_safe`, from :mod:`kla_model._base.untrusted`:
the one function every CSV writer of ``kla_model`` uses); JSON Lines is for programs and
keeps every value exactly as read.
"""

from __future__ import annotations

import csv
import itertools
import json
import operator
from collections.abc import Iterable
from typing import TextIO

from kla_model._base.untrusted import FORMULA_STARTS, spreadsheet_safe
from kla_model.errors import KlaError
from kla_model.rules.ruleset import RuleSet
from kla_model.scoring.totals import ScoreTotals
from kla_model.tables.columns import ScoredColumns

__all__ = [
    "FORMULA_STARTS",
    "RESULT_FORMATS",
    "ResultWriter",
    "result_columns",
    "spreadsheet_safe",
    "write_results",
]

#: The formats results can be written in.
RESULT_FORMATS = ("csv", "jsonl")

_REGION = ("region_code", "region_name", "region_kind", "province", "year", "stage")
_PROVENANCE = ("ruleset_id", "ruleset_version", "ruleset_status", "ruleset_sha256")


def result_columns(group_ids: Iterable[str]) -> list[str]:
    """The columns of a CSV results file for a ruleset with groups ``group_ids``."""
    return [*_REGION, *group_ids, "total", "tier", *_PROVENANCE]


def _csv_row(totals: ScoreTotals) -> list[str]:
    region, ruleset = totals.region, totals.ruleset
    safe = spreadsheet_safe
    return [
        safe(region.code),
        safe(region.name),
        region.kind,
        safe(region.province),
        str(totals.year),
        totals.stage,
        # repr: the shortest text that reads back as the same float.
        *(repr(points) for points in totals.group_points),
        repr(totals.total),
        "" if totals.tier is None else totals.tier.id,
        safe(ruleset.id),
        safe(ruleset.version),
        ruleset.status,
        ruleset.sha256,
    ]


class ResultWriter:
    """Writes results to ``stream`` one at a time; the CSV header goes first."""

    def __init__(self, stream: TextIO, ruleset: RuleSet, format: str = "csv") -> None:
        if format not in RESULT_FORMATS:
            expected = ", ".join(RESULT_FORMATS)
            raise KlaError(f"format: expected one of {expected}; found {format!r}")
        self._stream = stream
        self._format = format
        self._csv = csv.writer(stream, lineterminator="\n") if format == "csv" else None
        self._texts = _Texts()
        if self._csv is not None:
            self._csv.writerow(result_columns(group.id for group in ruleset.groups))

    def write(self, totals: ScoreTotals) -> None:
        if self._csv is not None:
            self._csv.writerow(_csv_row(totals))
        else:
            self._stream.write(json.dumps(totals.to_dict(), ensure_ascii=False) + "\n")

    def write_columns(self, scored: ScoredColumns) -> None:
        """A chunk scored by column: the same lines as :meth:`write` of each row's totals."""
        if self._csv is None:
            for totals in scored.results():
                self.write(totals)
            return
        texts = self._texts
        tiers = ["" if tier is None else tier for tier in scored.tier_ids()]
        columns = [
            _safe_column(scored.codes),
            _safe_column(scored.names),
            scored.kinds,
            _safe_column(scored.provinces),
            list(map(str, scored.years)),
            [scored.stage] * len(scored),
            *(list(map(texts.__getitem__, points)) for points in scored.group_points),
            list(map(texts.__getitem__, scored.totals)),
            tiers,
        ]
        ending = self._ending(scored.ruleset)
        # Numbers and years never need quotes; the text from the table and the ids may.
        text = [*columns[:4], [scored.stage, *set(tiers), *ending]]
        if any(map(_needs_quotes, text)):
            repeated = map(itertools.repeat, ending)
            self._csv.writerows(zip(*columns, *repeated, strict=False))  # the repeats end not
            return
        # No cell needs quoting: the lines are the cells joined by commas, as the csv
        # writer would write them, at a fraction of its cost.
        suffix = "," + ",".join(ending) + "\n"
        lines = map(",".join, zip(*columns, strict=True))
        self._stream.write(suffix.join(lines) + suffix)

    def _ending(self, ruleset: RuleSet) -> list[str]:
        """The last cells of every row: which ruleset scored it."""
        ref = ruleset.ref
        return [spreadsheet_safe(ref.id), spreadsheet_safe(ref.version), ref.status, ref.sha256]


def _needs_quotes(cells: Iterable[str]) -> bool:
    text = "".join(cells)
    return "," in text or '"' in text or "\r" in text or "\n" in text


#: How many distinct points a writer keeps the text of (memory stays bounded).
_KEPT_TEXTS = 65_536


class _Texts(dict[float, str]):
    """Points as CSV text (``repr``: the shortest text that reads back as the same float),
    each distinct value written out once."""

    def __missing__(self, points: float) -> str:
        text = repr(points)
        if len(self) < _KEPT_TEXTS:
            self[points] = text
        return text


#: The first characters of :data:`FORMULA_STARTS`: a column none of whose cells starts with
#: one is written as it is (a cell's first character is a set look-up, where ``startswith``
#: is a method call per cell).
_FORMULA_FIRSTS = frozenset(start[:1] for start in FORMULA_STARTS)
_first = operator.itemgetter(slice(0, 1))


def _safe_column(cells: list[str]) -> list[str]:
    """:func:`spreadsheet_safe` of each cell; the cells themselves when none needs it."""
    if not _FORMULA_FIRSTS.isdisjoint(map(_first, cells)):
        return list(map(spreadsheet_safe, cells))
    return cells


def write_results(
    results: Iterable[ScoreTotals], stream: TextIO, ruleset: RuleSet, format: str = "csv"
) -> int:
    """Write every result to ``stream`` in ``format`` (``csv`` or ``jsonl``); the count."""
    writer = ResultWriter(stream, ruleset, format)
    written = 0
    for totals in results:
        writer.write(totals)
        written += 1
    return written
