"""Batch results written out: CSV or JSON Lines, one row per district-year.

Each row has the district, the round, the stage, the points of every group (one column per
group id, in ruleset order), the total, the tier id (empty for no tier) and which ruleset
produced it.  Rows are written as they come, so a stream of results is never held whole.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from kla_model.errors import KlaError
from kla_model.rules.ruleset import RuleSet
from kla_model.scoring.totals import ScoreTotals

__all__ = ["RESULT_FORMATS", "ResultWriter", "result_columns", "write_results"]

#: The formats results can be written in.
RESULT_FORMATS = ("csv", "jsonl")

_REGION = ("region_code", "region_name", "region_kind", "province", "year", "stage")
_PROVENANCE = ("ruleset_id", "ruleset_version", "ruleset_status", "ruleset_sha256")


def result_columns(group_ids: Iterable[str]) -> list[str]:
    """The columns of a CSV results file for a ruleset with groups ``group_ids``."""
    return [*_REGION, *group_ids, "total", "tier", *_PROVENANCE]


def _csv_row(totals: ScoreTotals) -> list[str]:
    region, ruleset = totals.region, totals.ruleset
    return [
        region.code,
        region.name,
        region.kind,
        region.province,
        str(totals.year),
        totals.stage,
        # repr: the shortest text that reads back as the same float.
        *(repr(points) for points in totals.group_points),
        repr(totals.total),
        "" if totals.tier is None else totals.tier.id,
        ruleset.id,
        ruleset.version,
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
        if self._csv is not None:
            self._csv.writerow(result_columns(group.id for group in ruleset.groups))

    def write(self, totals: ScoreTotals) -> None:
        if self._csv is not None:
            self._csv.writerow(_csv_row(totals))
        else:
            self._stream.write(json.dumps(totals.to_dict(), ensure_ascii=False) + "\n")


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
