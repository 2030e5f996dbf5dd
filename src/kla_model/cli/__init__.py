"""Layer 6: the ``kla`` command, a thin shell over the library (it may import every layer).

Each command lives in its own module and registers itself in :data:`COMMANDS`.  Exit codes:
0 success, 1 invalid input (every problem on stderr, never a traceback), 2 bad usage (an
unknown option or a missing argument, reported by argparse with the command's usage line:
the usual convention of command-line tools, kept so scripts can tell the two apart).
A warning from the library (a round that was not held) goes to stderr as ``kla: note:``
and does not change the exit code.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from importlib import metadata

from kla_model.cli import (
    batch,
    evidence,
    explain,
    plan,
    rules,
    score,
    serve,
    stages,
    tasks,
    validate,
    validate_rules,
)
from kla_model.errors import KlaError, RoundNotHeldWarning

__all__ = ["main"]

#: The command modules; each has ``add(subparsers)`` which sets ``run`` on its parser.
COMMANDS = (
    score,
    stages,
    evidence,
    validate,
    rules,
    validate_rules,
    batch,
    explain,
    plan,
    tasks,
    serve,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kla",
        description="Score Kabupaten/Kota Layak Anak (KLA) submissions with rules kept as data.",
        epilog="Exit codes: 0 success; 1 invalid input (every problem on stderr); "
        "2 bad usage (an unknown option or a missing argument).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add(commands)
    return parser


def _version() -> str:
    try:
        return metadata.version("kla_model")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kla`` with ``argv`` (default: the process's arguments); returns the exit code."""
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RoundNotHeldWarning)
        try:
            code: int = args.run(args)
        except KlaError as error:
            print(f"kla: {error}", file=sys.stderr)
            return 1
        except BrokenPipeError:  # `kla score ... | head` closed the pipe: not an error
            return 0
        finally:
            for warning in caught:
                print(f"kla: note: {warning.message}", file=sys.stderr)
    return code
