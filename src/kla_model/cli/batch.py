"""``kla batch TABLE.csv``: score every row of a wide table; results as CSV or JSON Lines.

Results go to ``--out`` (written to a temporary file first and moved into place at the end,
so a failed run leaves no half-written file) or to standard output.  Rows that cannot be
scored are listed on standard error with their row and column; the other rows are scored
and written all the same, and the exit code is 1 so that scripts notice.  With ``--strict``
the first bad row stops the run.  The summary (districts per tier, the top of the ranking)
goes to standard output after an ``--out`` file, else to standard error.  Without
``--ruleset`` the table is scored with the bundled ruleset in force for its rounds.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from kla_model.cli._common import add_ruleset_option, add_stage_option, print_text
from kla_model.cli._progress import Progress
from kla_model.errors import KlaError
from kla_model.rules.ruleset import (
    MixedRoundsError,
    NoRoundError,
    RuleSet,
    load_ruleset,
    ruleset_for,
    ruleset_for_rounds,
)
from kla_model.tables.columns import CHUNK_ROWS, ScoredColumns, by_column, score_chunks
from kla_model.tables.output import RESULT_FORMATS, ResultWriter
from kla_model.tables.summary import BatchSummary, Tally
from kla_model.tables.table import RowError, Table, load_table, whole_years

#: How many bad rows are listed on standard error before the rest are counted.
SHOWN_ERRORS = 50
#: How many districts of the ranking the summary shows (and the only ones it keeps).
TOP = 10


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


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    """Standard output, or a temporary file beside ``path`` that replaces it on success."""
    if path is None:
        yield sys.stdout
        return
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
    rounds: Callable[[set[str]], None] | None = None,
) -> tuple[BatchSummary, list[RowError], int]:
    total = sum(1 for _ in table.records()) if sys.stderr.isatty() else None
    progress = Progress(sys.stderr, total)
    writer = ResultWriter(stream, ruleset, _format(args))
    tally = Tally(ruleset, keep=TOP)
    # Only the errors shown are kept, and a count of the rest: memory stays flat.
    errors: list[RowError] = []
    failed_rows = error_count = done = 0
    try:
        parts = score_chunks(ruleset, table, stage=args.stage, strict=args.strict, rounds=rounds)
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
    return tally.summary(errors=failed_rows), errors, error_count


def _report_errors(source: str, errors: list[RowError], count: int) -> None:
    for error in errors[:SHOWN_ERRORS]:
        print_text(f"kla: {error.problem(source)}", file=sys.stderr)
    if count > SHOWN_ERRORS:
        more = count - SHOWN_ERRORS
        print_text(f"kla: ... dan {more} lagi / and {more} more", file=sys.stderr)


def _ruleset(args: argparse.Namespace, table: Table) -> RuleSet:
    """``--ruleset``, or the one bundled ruleset in force for every round in the table."""
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


class _OtherRulesetError(Exception):
    """A round the chosen ruleset is not in force for: ``_ruleset`` words the error."""


def _ruleset_ahead(
    args: argparse.Namespace, table: Table
) -> tuple[RuleSet, Callable[[set[str]], None]] | None:
    """The ruleset in force for the table's first rounds, and a check, called with each
    chunk's year cells as it is scored, that every later round is in force under it too.

    Reading every round before scoring reads the table twice: a sixth of ``kla batch``'s
    time.  When the results go to ``--out`` (written to a file that replaces it only on
    success, so a table found to mix rulesets leaves nothing behind) and the table is
    scored by column, the ruleset is chosen from the first rows instead.  ``None``: read
    every round first, as for standard output, ``--ruleset`` or the row path.
    """
    if args.ruleset is not None or args.out is None:
        return None
    try:
        years = table.first_years(CHUNK_ROWS)
    except KlaError:
        return None  # an unreadable table: the full reading words it, as it always has
    if not years:
        return None
    try:
        ruleset = ruleset_for(min(years))
    except KlaError:
        return None  # the full reading words it
    if not by_column(ruleset, args.stage):
        return None
    checked: set[str] = set()

    def same_ruleset(cells: set[str]) -> None:
        for year in whole_years(cells - checked):
            try:
                in_force = ruleset_for(year)
            except KlaError:
                raise _OtherRulesetError from None
            if in_force.id != ruleset.id:
                raise _OtherRulesetError
        checked.update(cells)

    return ruleset, same_ruleset


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
    chosen = _ruleset_ahead(args, table)
    if chosen is None:  # the whole table read for its rounds first
        ruleset = _ruleset(args, table)
        with _output(args.out) as stream:
            summary, errors, count = _score(ruleset, table, args, stream)
    else:
        ruleset, same_ruleset = chosen
        try:
            with _output(args.out) as stream:  # a file that replaces --out only on success
                summary, errors, count = _score(ruleset, table, args, stream, same_ruleset)
        except (KlaError, _OtherRulesetError) as failed:
            # The error a first reading of every round would have given comes first, as it
            # always has (rounds of two rulesets, a round no ruleset covers); none is written.
            _ruleset(args, table)
            if isinstance(failed, KlaError):
                raise
            raise KlaError(f"{table.source}: expected rounds of one ruleset") from None
    _report_errors(table.source, errors, count)
    print_text(summary.text(top=TOP), file=sys.stdout if args.out else sys.stderr)
    return 1 if errors else 0
