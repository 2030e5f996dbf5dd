"""What the ``kla`` commands share: loading inputs and printing in text or JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

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


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
