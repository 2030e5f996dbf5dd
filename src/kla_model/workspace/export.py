"""A workspace exported: its submission as the YAML or JSON file ``kla score`` reads, and
its history as CSV (for a spreadsheet) or JSON Lines (for programs).

In the CSV every value is JSON text, and a cell a spreadsheet would read as a formula is
neutralised as ``kla batch`` does (:func:`~kla_model.tables.output.spreadsheet_safe`): the
values were typed by the agencies' staff and are not to be trusted by whoever opens the file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

import yaml

from kla_model.tables.output import spreadsheet_safe
from kla_model.workspace.model import Change

__all__ = ["HISTORY_COLUMNS", "history_csv", "history_jsonl", "submission_yaml"]

#: The columns of the history as CSV.
HISTORY_COLUMNS = (
    "seq",
    "at",
    "link",
    "role",
    "agency",
    "kind",
    "id",
    "before",
    "after",
    "restore",
)


def _text(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def history_csv(changes: Iterable[Change]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HISTORY_COLUMNS)
    for c in changes:
        cells = [
            str(c.seq),
            c.at,
            c.author.link,
            c.author.role,
            c.author.agency or "",
            c.kind,
            c.id,
            _text(c.before),
            _text(c.after),
            "" if c.restore is None else str(c.restore),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return out.getvalue()


def history_jsonl(changes: Iterable[Change]) -> str:
    return "".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in changes)


def submission_yaml(submission: dict[str, Any]) -> str:
    """YAML with the keys in the order of the file format (region, year, answers, evidence),
    plain (safe) types only."""
    return yaml.safe_dump(submission, allow_unicode=True, sort_keys=False, width=100)
