"""``POST /batch``: many submissions in one body, the results streamed back as JSON Lines.

The body is a CSV table in the wide table format (``Content-Type: text/csv``) or JSON Lines,
one submission per line (``application/x-ndjson``).  Each output line is one input row:
``{"row": 2, "result": {...}}`` (the totals, as ``kla batch --format jsonl`` writes them) or
``{"row": 3, "problems": [...]}``.  A bad row is reported in the stream and the others are
scored all the same; only a body that cannot be read as a whole (a CSV header the ruleset
cannot read, no ruleset for its rounds) is refused before the stream starts.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

import kla_model as kla
from kla_model._base.strict_yaml import parse_json
from kla_model.errors import KlaError, Problem, SubmissionError
from kla_model.serve.config import Rulesets
from kla_model.serve.limits import check_depth
from kla_model.serve.problems import ApiError, error_problems, incident, problems_body
from kla_model.tables.table import FIXED_COLUMNS, read_rows

__all__ = ["BATCH_TYPES", "JSON_LINES", "csv_lines", "jsonl_lines", "kind_of"]

#: The media type of the results.
JSON_LINES = "application/x-ndjson"
#: The body's media types, by the format they name.
BATCH_TYPES = {
    "text/csv": "csv",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/json-lines": "jsonl",
}
#: How many result lines are sent in one piece of the stream.
CHUNK_LINES = 64


def kind_of(content_type: str | None) -> str:
    """``csv`` or ``jsonl`` from a ``Content-Type`` header (415 for any other)."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media not in BATCH_TYPES:
        expected = ", ".join(BATCH_TYPES)
        found = media or "no Content-Type"
        raise ApiError.one(415, "header.content-type", f"expected one of {expected}; found {found}")
    return BATCH_TYPES[media]


def _line(row: int, data: dict[str, Any]) -> str:
    return json.dumps({"row": row, **data}, ensure_ascii=False) + "\n"


def _problems_line(row: int, problems: Iterable[Problem]) -> str:
    return _line(row, problems_body(problems))


def _guarded(row: int, work: Callable[[], str]) -> str:
    """One row's line; an error in it, even an unexpected one, is that row's line."""
    try:
        return work()
    except ApiError as error:
        return _problems_line(row, error.problems)
    except KlaError as error:
        return _problems_line(row, error_problems(error, f"body: row {row}"))
    except Exception:
        return _problems_line(row, [incident(f"body: row {row}", f"POST /batch, row {row}")])


def chunked(lines: Iterable[str]) -> Iterator[str]:
    """Lines joined in pieces of :data:`CHUNK_LINES`: fewer, larger writes to the client."""
    piece: list[str] = []
    for line in lines:
        piece.append(line)
        if len(piece) == CHUNK_LINES:
            yield "".join(piece)
            piece = []
    if piece:
        yield "".join(piece)


def _no_rows() -> ApiError:
    return ApiError.one(422, "body", "expected at least one row to score; found none")


# -- JSON Lines ----------------------------------------------------------------------------------


def jsonl_lines(
    text: str, rulesets: Rulesets, requested: str | None, stage: str | None
) -> Iterator[str]:
    """A result or problems line for every non-blank line of ``text`` (422 if none, before
    any line is sent)."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise _no_rows()
    return (
        _guarded(number, functools.partial(_jsonl_result, number, line, rulesets, requested, stage))
        for number, line in lines
    )


def _jsonl_result(
    number: int, line: str, rulesets: Rulesets, requested: str | None, stage: str | None
) -> str:
    source = f"body: line {number}"
    data = parse_json(line, source, SubmissionError)
    too_deep = check_depth(data, source)
    if too_deep is not None:
        return _problems_line(number, [too_deep])
    submission = kla.Submission.from_mapping(data, source=source)
    ruleset = rulesets.choose(requested, submission.year)
    totals = kla.ScoreTotals.of(kla.score(ruleset, submission, stage))
    return _line(number, {"result": totals.to_dict()})


# -- CSV -----------------------------------------------------------------------------------------


class _Csv(NamedTuple):
    """A CSV body read: its header, its data rows as ``(row number, cells)``, and the row that
    ended them early, unreadable, with its problem."""

    header: tuple[str, ...]
    rows: list[tuple[int, list[str]]]
    unreadable: tuple[int, Problem] | None


def _read_csv(text: str) -> _Csv:
    reader = csv.reader(io.StringIO(text, newline=""))
    header: tuple[str, ...] = ()
    rows: list[tuple[int, list[str]]] = []
    try:
        header = tuple(name.strip() for name in next(reader, []))
        for number, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):  # a blank line is no district
                rows.append((number, cells))
    except csv.Error as bad:
        row = reader.line_num
        return _Csv(header, rows, (row, Problem(f"body: row {row}", f"unreadable CSV: {bad}")))
    return _Csv(header, rows, None)


def _csv_ruleset(
    header: tuple[str, ...],
    rows: list[tuple[int, list[str]]],
    rulesets: Rulesets,
    requested: str | None,
) -> kla.RuleSet:
    """``?ruleset=``, or the one loaded ruleset in force for every round in the table."""
    if requested is not None:
        return rulesets.named(requested)
    missing = [name for name in FIXED_COLUMNS if name not in header]
    if missing:
        expected = ", ".join(FIXED_COLUMNS)
        message = f"expected the columns {expected}; missing {', '.join(missing)}"
        raise ApiError.one(422, "body: header", message)
    at = header.index("year")
    years = set()
    for _, cells in rows:
        with contextlib.suppress(IndexError, ValueError):  # a bad year is that row's error
            years.add(int(cells[at].strip()))
    try:
        return kla.ruleset_for_rounds(years, rulesets.by_id.values())
    except kla.NoRoundError:
        message = "no row with a year to choose a ruleset by; name one with ?ruleset="
        raise ApiError.one(422, "body: year", message) from None
    except kla.MixedRoundsError as mixed:
        chosen = {ruleset.id for ruleset in mixed.in_force.values()}
        message = f"expected rounds of one ruleset; found {', '.join(sorted(chosen))}"
        raise ApiError.one(422, "body: year", f"{message}: name one with ?ruleset=") from None
    except kla.RoundNotCoveredError as error:
        message = f"{error}; name one with ?ruleset="
        raise ApiError.one(422, "body: $.year", message) from None


def csv_lines(
    text: str, rulesets: Rulesets, requested: str | None, stage: str | None
) -> Iterator[str]:
    """Check the table's header at once (raising before any line is sent), then stream."""
    header, rows, unreadable = _read_csv(text)
    if not header:
        raise ApiError.one(422, "body: header", "expected a CSV header row; the body has none")
    if not rows:
        raise _no_rows()
    ruleset = _csv_ruleset(header, rows, rulesets, requested)
    read_rows(ruleset, header, [], source="body")  # the header's problems, before streaming
    return _csv_stream(ruleset, header, rows, stage, unreadable)


def _csv_stream(
    ruleset: kla.RuleSet,
    header: tuple[str, ...],
    records: list[tuple[int, list[str]]],
    stage: str | None,
    unreadable: tuple[int, Problem] | None,
) -> Iterator[str]:
    """A line per row.  A row that raises (a bug: the reader reports bad cells as errors) gets
    its own problems line, and scoring goes on with the rows after it."""
    remaining = records
    while remaining:
        rows = read_rows(ruleset, header, remaining, source="body")
        done = 0
        try:
            for scored in kla.score_rows(ruleset, rows, stage=stage, source="body"):
                done += 1
                yield _scored_line(scored)
            remaining = []
        except Exception as error:
            failed = remaining[done][0]
            yield _guarded(failed, functools.partial(_raise, error))
            remaining = remaining[done + 1 :]
    if unreadable is not None:
        row, problem = unreadable
        yield _problems_line(row, [problem])


def _scored_line(scored: kla.ScoredRow) -> str:
    if scored.totals is None:
        return _problems_line(scored.row, [error.problem("body") for error in scored.errors])
    return _line(scored.row, {"result": scored.totals.to_dict()})


def _raise(error: Exception) -> str:
    raise error
