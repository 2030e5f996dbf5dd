"""``kla batch TABLE.csv``: score every row of a wide table; results as CSV or JSON Lines.

Results go to ``--out`` (written to a temporary file first and moved into place at the end,
so a failed run leaves no half-written file) or to standard output (held in an anonymous
temporary file and printed at the end, so a failed run prints none).  Rows that cannot be
scored are listed on standard error with their row and column; the other rows are scored
and written all the same, and the exit code is 1 so that scripts notice.  With ``--strict``
the first bad row stops the run.  The summary (districts per tier, the top of the ranking)
goes to standard output after an ``--out`` file, else to standard error.  Without
``--ruleset`` the table is scored with the bundled ruleset in force for its rounds: chosen
from the first rows' rounds, every later round checked against it as its chunk is scored.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from kla_model.cli._common import add_ruleset_option, add_stage_option, print_text
from kla_model.cli._progress import Progress
from kla_model.errors import KlaError, RoundNotHeldWarning
from kla_model.rules.rounds import warn_if_not_held
from kla_model.rules.ruleset import (
    MixedRoundsError,
    NoRoundError,
    RuleSet,
    load_ruleset,
    ruleset_for,
    ruleset_for_rounds,
)
from kla_model.tables.columns import CHUNK_ROWS, ScoredColumns, score_chunks
from kla_model.tables.output import RESULT_FORMATS, ResultWriter
from kla_model.tables.summary import BatchSummary, Tally
from kla_model.tables.table import RowError, Table, load_table, whole_years

#: How many bad rows are listed on standard error before the rest are counted.
SHOWN_ERRORS = 50
#: How many districts of the ranking the summary shows (and the only ones it keeps).
TOP = 10
#: How many distinct ``year`` cells the rounds' check remembers (a table has a few).
YEAR_CELLS = 4096


def add(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "batch", help="score every row of a wide CSV table (one row per district and year)"
    )
    parser.add_argument("table", metavar="TABLE.csv", help="a table in the wide table format")
    parser.add_argument("--out", metavar="FILE", help="write the results here (default: stdout)")
    parser.add_argument(
        "--format",
        choices=RESULT_FORMATS,
        help="results as CSV or JSON Lines (default: from --out's suffix, else csv)",
    )
    add_ruleset_option(parser)
    add_stage_option(parser)
    parser.add_argument("--strict", action="store_true", help="stop at the first bad row")
    parser.set_defaults(run=run)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    return "jsonl" if args.out and Path(args.out).suffix.lower() in {".jsonl", ".ndjson"} else "csv"


def _output(path: str | None) -> contextlib.AbstractContextManager[TextIO]:
    """Where the results are written: a temporary file, given to ``path`` or to standard
    output only when the run succeeds.  A failed run, or one that finds a round of another
    ruleset late in the table, writes nothing."""
    return _to_stdout() if path is None else _to_file(path)


@contextlib.contextmanager
def _to_stdout() -> Iterator[TextIO]:
    """An anonymous temporary file, copied to standard output on success."""
    with contextlib.ExitStack() as opened:
        try:
            held = opened.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", newline=""))
        except OSError as failed:
            reason = failed.strerror or str(failed)
            raise KlaError(f"cannot hold the results in a temporary file: {reason}") from None
        yield held
        held.seek(0)
        shutil.copyfileobj(held, sys.stdout)  # in blocks: memory stays flat


@contextlib.contextmanager
def _to_file(path: str) -> Iterator[TextIO]:
    """A temporary file beside ``path`` that replaces it on success."""
    target = Path(path)
    # Beside the target (same file system, so the move is atomic), with the usual permissions.
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        opened = temporary.open("x", encoding="utf-8", newline="")
    except OSError as failed:
        raise KlaError(f"--out {path}: cannot write the file: {failed.strerror}") from None
    try:
        with opened as stream:
            yield stream
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _score(
    ruleset: RuleSet,
    table: Table,
    args: argparse.Namespace,
    stream: TextIO,
    rounds: _Rounds | None,
) -> tuple[BatchSummary, list[RowError], int]:
    total = sum(1 for _ in table.records()) if sys.stderr.isatty() else None
    progress = Progress(sys.stderr, total)
    writer = ResultWriter(stream, ruleset, _format(args))
    tally = Tally(ruleset, keep=TOP)
    # Only the errors shown are kept, and a count of the rest: memory stays flat.
    errors: list[RowError] = []
    failed_rows = error_count = done = 0
    try:
        check = None if rounds is None else rounds.check
        parts = score_chunks(ruleset, table, stage=args.stage, strict=args.strict, rounds=check)
        for part in parts:
            if isinstance(part, ScoredColumns):  # most of a table: many rows at once
                writer.write_columns(part)
                tally.count(zip(part.years, part.tier_ids(), strict=True))
                for leader in part.leaders(TOP):
                    tally.rank(leader)
                done += len(part)
                progress.update(done)
                continue
            for row in part:  # rows with a problem, read one by one to name it
                done += 1
                progress.update(done)
                if row.totals is None:
                    failed_rows += 1
                    error_count += len(row.errors)
                    errors.extend(row.errors[: SHOWN_ERRORS - len(errors)])
                    continue
                writer.write(row.totals)
                tally.add(row.totals)
    finally:
        progress.close()
    if rounds is not None:
        rounds.note_not_held()
    return tally.summary(errors=failed_rows), errors, error_count


def _report_errors(source: str, errors: list[RowError], count: int) -> None:
    for error in errors[:SHOWN_ERRORS]:
        print_text(f"kla: {error.problem(source)}", file=sys.stderr)
    if count > SHOWN_ERRORS:
        more = count - SHOWN_ERRORS
        print_text(f"kla: ... dan {more} lagi / and {more} more", file=sys.stderr)


def _ruleset(args: argparse.Namespace, table: Table) -> RuleSet:
    """``--ruleset``, or the one bundled ruleset in force for every round in the table: read
    only to word a failed run (a refusal by the table's rounds comes first)."""
    if args.ruleset is not None:
        return load_ruleset(args.ruleset)
    try:
        return ruleset_for_rounds(table.years())  # a bad year is that row's error
    except NoRoundError:
        message = f"{table.source}: no row with a year to choose a ruleset by; use --ruleset"
        raise KlaError(message) from None
    except MixedRoundsError as mixed:
        raise KlaError(
            f"{table.source}: {mixed}: split the table, or choose one with --ruleset"
        ) from None


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """No note for a round not held while the rounds are checked: :meth:`_Rounds.note_not_held`
    gives each once, in order, at the end (or the reading of every round, on the error path)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RoundNotHeldWarning)
        yield


class _Rounds:
    """The bundled ruleset in force for a table's rounds, chosen from its first rounds and
    held to as every later chunk's rounds are read (:meth:`check`, given to ``score_chunks``).

    The table is read once: a round of another ruleset, or of none, raises
    :class:`~kla_model.rules.ruleset.MixedRoundsError` or ``ruleset_for``'s error where it
    is found, and :func:`run` words it as a first reading of every round always has.
    """

    def __init__(self, table: Table) -> None:
        first = table.first_years(CHUNK_ROWS)
        with _quiet():
            self.ruleset = ruleset_for_rounds(first)  # NoRoundError for a table without one
        self.first = min(first)
        #: Every round seen so far (each checked once), and the year cells already read.
        self.years: set[int] = set()
        self.cells: set[str] = set()

    def check(self, cells: set[str]) -> None:
        """Raise unless every round among a chunk's ``year`` cells is in force under the
        chosen ruleset (a cell that is not a whole number is that row's error)."""
        new = cells - self.cells
        if not new:
            return
        if len(self.cells) < YEAR_CELLS:  # a table of odd year cells: memory stays flat
            self.cells.update(new)
        for year in whole_years(new) - self.years:
            with _quiet():
                in_force = ruleset_for(year)  # RoundNotCoveredError for a round of none
            if in_force.id != self.ruleset.id:
                raise MixedRoundsError(
                    dict(sorted({self.first: self.ruleset, year: in_force}.items()))
                )
            self.years.add(year)

    def note_not_held(self) -> None:
        """The note for each round that was not held, once, in order of year."""
        for year in sorted(self.years):
            warn_if_not_held(year)


def _check_out(out: str | None, table: str) -> None:
    """Refuse an ``--out`` that is a directory or the table itself: never lose an input."""
    if out is None:
        return
    target = Path(out)
    if target.is_dir():
        raise KlaError(f"--out {out}: expected a file to write the results to; found a directory")
    same = target.exists() and os.path.samefile(target, table)
    if same or target.resolve() == Path(table).resolve():
        raise KlaError(
            f"--out {out}: expected a new file for the results; found the input table "
            f"{table}, which would be overwritten: choose another name"
        )


def run(args: argparse.Namespace) -> int:
    table = load_table(args.table)
    _check_out(args.out, args.table)
    try:
        with _output(args.out) as stream:  # results held until the run has succeeded
            rounds = None if args.ruleset is not None else _Rounds(table)
            ruleset = load_ruleset(args.ruleset) if rounds is None else rounds.ruleset
            summary, errors, count = _score(ruleset, table, args, stream, rounds)
    except KlaError:
        # A refusal by the table's rounds (rounds of two rulesets, a round no ruleset covers,
        # none at all) comes first, worded from every round, as it always has.
        _ruleset(args, table)
        raise
    _report_errors(table.source, errors, count)
    print_text(summary.text(top=TOP), file=sys.stdout if args.out else sys.stderr)
    return 1 if errors else 0
