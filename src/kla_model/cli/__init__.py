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
import gc
import importlib
import os
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn

from kla_model._base.untrusted import terminal_safe
from kla_model.errors import KlaError, RoundNotHeldWarning

__all__ = ["entry", "main"]

#: The commands, in the order ``kla --help`` lists them, and the module of each; a module has
#: ``add(subparsers)``, which adds its parser and sets ``run`` on it.
COMMANDS = {
    "score": "score",
    "stages": "stages",
    "evidence": "evidence",
    "validate": "validate",
    "rules": "rules",
    "validate-rules": "validate_rules",
    "batch": "batch",
    "explain": "explain",
    "plan": "plan",
    "tasks": "tasks",
    "serve": "serve",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of command ``only``: a command's module (and what it
    imports) is imported only when it may run, so ``kla score`` starts without the rest."""
    parser = argparse.ArgumentParser(
        prog="kla",
        description="Score Kabupaten/Kota Layak Anak (KLA) submissions with rules kept as data.",
        epilog="Exit codes: 0 success; 1 invalid input (every problem on stderr); "
        "2 bad usage (an unknown option or a missing argument).",
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help="show the program's version and exit"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(f"kla_model.cli.{module}").add(commands)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The command named in ``argv``, if it comes first and is one (else ``None``: all)."""
    return argv[0] if argv and argv[0] in COMMANDS else None


def _version() -> str:
    from importlib import metadata  # noqa: PLC0415 (only for --version: it costs a start-up)

    try:
        return metadata.version("kla_model")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


class _Version(argparse.Action):
    """``--version``: looks the version up only when asked (``importlib.metadata`` is slow
    to import, and every other run of ``kla`` would pay for it)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        print(f"{parser.prog} {_version()}")  # on standard output, as argparse's own does
        parser.exit()


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kla`` with ``argv`` (default: the process's arguments); returns the exit code."""
    return _run(_arguments(sys.argv[1:] if argv is None else argv))


def entry() -> NoReturn:
    """The ``kla`` console script: :func:`main` on the process's arguments, and exit.

    Two costs that a short command pays for nothing are left out, some 15 % of what
    ``kla score`` takes as a whole process.  The cyclic garbage collector is off while the
    command starts: it would walk again and again over what start-up builds (modules,
    classes, the parser), none of it garbage; that is then frozen out of the collections the
    command's own work triggers.  And once the output is flushed the process ends at once,
    without the interpreter's teardown, which frees every object one at a time just before
    the memory is gone anyway (a service excepted: :data:`_ORDERLY_EXIT`).
    """
    gc.disable()
    try:
        args = _arguments(sys.argv[1:])
    finally:
        gc.freeze()
        gc.enable()
    code = _run(args)
    if args.command in _ORDERLY_EXIT:
        raise SystemExit(code)
    _exit_now(code)


#: The commands that end through the interpreter's teardown all the same: a service has run
#: long enough for its teardown not to matter, and holds connections (a workspace store's)
#: better closed than dropped.
_ORDERLY_EXIT = frozenset({"serve"})


def _exit_now(code: int) -> NoReturn:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # a closed pipe: the interpreter's exit reports it, as it always has
        raise SystemExit(code) from None
    os._exit(code)


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    argv = list(argv)
    return build_parser(_command(argv)).parse_args(argv)


def _run(args: argparse.Namespace) -> int:
    """Run the command ``args`` name; its exit code."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RoundNotHeldWarning)
        try:
            code: int = args.run(args)
        except KlaError as error:
            print(terminal_safe(f"kla: {error}"), file=sys.stderr)
            return 1
        except BrokenPipeError:  # `kla score ... | head` closed the pipe: not an error
            return 0
        finally:
            for warning in caught:
                print(terminal_safe(f"kla: note: {warning.message}"), file=sys.stderr)
    return code
