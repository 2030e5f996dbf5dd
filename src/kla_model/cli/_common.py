"""What the ``kla`` commands share: loading inputs and printing in text or JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kla_model.ruleset import RuleSet, load_ruleset
from kla_model.submission import Submission, load_submission

DEFAULT_RULESET = "perpres-25-2021"


def add_ruleset_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ruleset",
        default=DEFAULT_RULESET,
        metavar="NAME|PATH",
        help=f"a bundled ruleset name or a rule file (default: {DEFAULT_RULESET})",
    )


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def load_inputs(args: argparse.Namespace) -> tuple[RuleSet, Submission]:
    """The ruleset named by ``--ruleset`` and the submission in ``FILE``."""
    return load_ruleset(args.ruleset), load_submission(args.file)


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
