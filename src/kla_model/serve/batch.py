"""``POST /batch``: many submissions in one body, the results streamed back as JSON Lines.

The body is a CSV table in the wide table format (``Content-Type: text/csv``) or JSON Lines,
one submission per line (``application/x-ndjson``).  It is held once, as text, and read row
by row as the rows are scored (a CSV body twice: once first for its header and rounds, and
to refuse a row of more than :data:`MAX_CELLS` cells before any is split); no list of all
rows is ever built, so a batch's memory is its body's plus one row's.  Each output line is
one input row:
``{"row": 2, "result": {...}}`` (the totals, as ``kla batch --format jsonl`` writes them) or
``{"row": 3, "problems": [...]}``.  A bad row is reported in the stream and the others are
scored all the same; only a body that cannot be read as a whole (a CSV header the ruleset
cannot read, no ruleset for its rounds) is refused before the stream starts.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import kla_model as kla
from kla_model._base.strict_yaml import parse_json
from kla_model.errors import KlaError, Problem, SubmissionError
from kla_model.serve.config import Rulesets
from kla_model.serve.limits import MAX_BYTES, check_depth
from kla_model.serve.problems import ApiError, error_problems, incident, problems_body
from kla_model.tables.table import FIXED_COLUMNS, read_rows

__all__ = [
    "BATCH_TYPES",
    "JSON_LINES",
    "MAX_CELLS",
    "MAX_LINE",
    "csv_lines",
    "jsonl_lines",
    "kind_of",
]

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
#: The most cells a CSV row may have: the widest table has a few hundred columns.  Counted
#: as the row's commas, quoted or not, before the CSV reader splits it.
MAX_CELLS = 2_000
#: The longest JSON Lines line: one submission, as large as a body of its own may be.
MAX_LINE = MAX_BYTES


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


#: A line and its end, as :class:`io.StringIO` splits lines with ``newline=""``.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[re.Match[str]]:
    """The lines of ``text`` one at a time, each ending as it does in ``text``: neither a
    list of them all nor a copy of ``text`` (:class:`io.StringIO` keeps one, four bytes a
    character) is ever made."""
    return _LINE.finditer(text)


def _text_lines(text: str) -> Iterator[tuple[int, str]]:
    """The numbered non-blank lines of ``text``, one at a time."""
    for number, found in enumerate(_lines(text), 1):
        line = found[0]
        if not line.isspace():  # a line always has a character: its end, or its text
            yield number, line


def jsonl_lines(
    text: str, rulesets: Rulesets, requested: str | None, stage: str | None
) -> Iterator[str]:
    """A result or problems line for every non-blank line of ``text`` (422 if none, before
    any line is sent)."""
    if next(_text_lines(text), None) is None:
        raise _no_rows()
    return (
        _guarded(number, functools.partial(_jsonl_result, number, line, rulesets, requested, stage))
        for number, line in _text_lines(text)
    )


def _jsonl_result(
    number: int, line: str, rulesets: Rulesets, requested: str | None, stage: str | None
) -> str:
    source = f"body: line {number}"
    if len(line) > MAX_LINE:
        message = f"expected a line of at most {MAX_LINE:,} characters; found {len(line):,}"
        return _problems_line(number, [Problem(source, message)])
    data = parse_json(line, source, SubmissionError)
    too_deep = check_depth(data, source)
    if too_deep is not None:
        return _problems_line(number, [too_deep])
    submission = kla.Submission.from_mapping(data, source=source)
    ruleset = rulesets.choose(requested, submission.year)
    totals = kla.ScoreTotals.of(kla.score(ruleset, submission, stage))
    return _line(number, {"result": totals.to_dict()})


# -- CSV -----------------------------------------------------------------------------------------


class _TooManyCellsError(Exception):
    """A row has more cells than :data:`MAX_CELLS`: raised before the CSV reader splits it."""


class _Lines:
    """The physical lines of a CSV text for :mod:`csv`, counting the commas of the row being
    read: a row of millions of cells is refused before the reader (or even a slice of the
    text) builds anything of it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _LINE.finditer(text)
        self.commas = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        found = next(self.lines)
        self.commas += self.text.count(",", found.start(), found.end())
        if self.commas >= MAX_CELLS:
            raise _TooManyCellsError
        return found[0]


class _Records:
    """A CSV body's header and its data rows ``(row number, cells)``, read one at a time as
    they are asked for; the row that ends them early, unreadable, is kept with its problem.

    ``last`` is the number of the row handed out last: the one being scored, if scoring it
    fails.  Raises :class:`ApiError` 422 for a row of more than :data:`MAX_CELLS` cells.
    """

    def __init__(self, text: str) -> None:
        self._lines = _Lines(text)
        self._reader = csv.reader(self._lines)
        self.unreadable: tuple[int, Problem] | None = None
        self.last = 1
        first = self._next()
        self.header: tuple[str, ...] = tuple(name.strip() for name in first or ())

    def _next(self) -> list[str] | None:
        try:
            cells = next(self._reader, None)
        except csv.Error as bad:
            row = self._reader.line_num
            self.unreadable = (row, Problem(f"body: row {row}", f"unreadable CSV: {bad}"))
            return None
        except _TooManyCellsError:
            row = self._reader.line_num + 1
            message = f"expected at most {MAX_CELLS:,} cells in a row; found more"
            raise ApiError.one(422, f"body: row {row}", message) from None
        self._lines.commas = 0
        return cells

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        while (cells := self._next()) is not None:
            if any(cell.strip() for cell in cells):  # a blank line is no district
                self.last = self._reader.line_num
                yield self.last, cells


def _survey(text: str) -> tuple[tuple[str, ...], set[int], int]:
    """A first pass over the body, keeping nothing of its rows but their rounds: the header,
    the years, and the count of rows (422 for a row of too many cells, before streaming)."""
    records = _Records(text)
    at = records.header.index("year") if "year" in records.header else None
    years: set[int] = set()
    count = 0
    for _, cells in records:
        count += 1
        if at is not None:
            with contextlib.suppress(IndexError, ValueError):  # a bad year is that row's error
                years.add(int(cells[at].strip()))
    return records.header, years, count


def _csv_ruleset(
    header: tuple[str, ...], years: set[int], rulesets: Rulesets, requested: str | None
) -> kla.RuleSet:
    """``?ruleset=``, or the one loaded ruleset in force for every round in the table."""
    if requested is not None:
        return rulesets.named(requested)
    missing = [name for name in FIXED_COLUMNS if name not in header]
    if missing:
        expected = ", ".join(FIXED_COLUMNS)
        message = f"expected the columns {expected}; missing {', '.join(missing)}"
        raise ApiError.one(422, "body: header", message)
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
    """Check the table's header and the size of its rows at once (raising before any line
    is sent), then stream: the rows are read again, one at a time, as they are scored."""
    header, years, count = _survey(text)
    if not header:
        raise ApiError.one(422, "body: header", "expected a CSV header row; the body has none")
    if not count:
        raise _no_rows()
    ruleset = _csv_ruleset(header, years, rulesets, requested)
    read_rows(ruleset, header, [], source="body")  # the header's problems, before streaming
    return _csv_stream(ruleset, text, stage)


def _csv_stream(ruleset: kla.RuleSet, text: str, stage: str | None) -> Iterator[str]:
    """A line per row.  A row that raises (a bug: the reader reports bad cells as errors) gets
    its own problems line, and scoring goes on with the rows after it."""
    records = _Records(text)
    rows = iter(records)
    failed = None
    while True:
        try:
            read = read_rows(ruleset, records.header, rows, source="body")
            for scored in kla.score_rows(ruleset, read, stage=stage, source="body"):
                yield _scored_line(scored)
            break
        except Exception as error:
            if records.last == failed:  # no row read since the last fault: nothing to go on to
                break
            failed = records.last
            yield _guarded(failed, functools.partial(_raise, error))
    if records.unreadable is not None:
        row, problem = records.unreadable
        yield _problems_line(row, [problem])


def _scored_line(scored: kla.ScoredRow) -> str:
    if scored.totals is None:
        return _problems_line(scored.row, [error.problem("body") for error in scored.errors])
    return _line(scored.row, {"result": scored.totals.to_dict()})


def _raise(error: Exception) -> str:
    raise error
