"""What the ``kla`` commands share: loading inputs and printing in text or JSON.

Everything a command prints for a person goes through :func:`print_text`, which removes what
a terminal would act on from the names it echoes (escape sequences, control characters,
bidirectional overrides: :func:`~kla_model._base.untrusted.terminal_safe`); JSON keeps every
value, with those characters written as ``\\u`` escapes (:func:`print_json`).
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any, TextIO

from kla_model._base.untrusted import terminal_safe
from kla_model.rules.ruleset import RuleSet, load_ruleset, ruleset_for
from kla_model.submissions.evidence import STAGES
from kla_model.submissions.submission import Submission, load_submission


def add_ruleset_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ruleset",
        default=None,
        metavar="NAME|PATH",
        help="a bundled ruleset name or a rule file "
        "(default: the bundled ruleset in force for the submission's round)",
    )


def add_stage_option(parser: argparse.ArgumentParser, what: str = "the evaluation stage") -> None:
    parser.add_argument(
        "--stage",
        choices=STAGES,
        help=f"{what} (default: the latest stage the submission has reached)",
    )


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def load_inputs(args: argparse.Namespace) -> tuple[RuleSet, Submission]:
    """The submission in ``FILE`` and the ruleset named by ``--ruleset`` or in force for it."""
    submission = load_submission(args.file)
    if args.ruleset is None:
        return ruleset_for(submission.year), submission
    return load_ruleset(args.ruleset), submission


# What JSON may hold raw (json.dumps escapes only C0 controls) but a terminal acts on: C1
# controls (0x9b is a CSI on its own) and the bidirectional controls.  Compiled by ``re`` on
# first use: text output never needs it.
_UNSAFE_IN_JSON = r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f]"


def print_json(data: Any) -> None:
    """``data`` as JSON: the same values, with nothing a terminal would act on left raw."""
    print_encoded_json(json.dumps(data, ensure_ascii=False, indent=2))


def print_encoded_json(text: str) -> None:
    """JSON already written (a card's, by its writer), with nothing a terminal would act on
    left raw: such characters are written as ``\\u`` escapes, the same value to a reader."""
    print(re.sub(_UNSAFE_IN_JSON, lambda found: f"\\u{ord(found.group()):04x}", text))


def print_text(text: str, file: TextIO | None = None, end: str = "\n") -> None:
    """``text`` for a person: what a terminal would act on removed from the names it echoes."""
    print(terminal_safe(text), file=file, end=end)
