"""``kla validate FILE``: check a submission on its own and against a ruleset."""

from __future__ import annotations

import argparse
from typing import Any

from kla_model.cli._common import (
    add_format_option,
    add_ruleset_option,
    load_inputs,
    print_json,
    print_text,
)
from kla_model.submissions.conformance import raise_for_problems


def add(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "validate", help="check a submission without scoring it"
    )
    parser.add_argument("file", metavar="FILE", help="a submission (YAML or JSON)")
    add_ruleset_option(parser)
    add_format_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ruleset, submission = load_inputs(args)
    raise_for_problems(ruleset, submission)
    answered = sum(1 for indicator_id in ruleset.indicators if indicator_id in submission.answers)
    total = len(ruleset.indicators)
    if args.format == "json":
        print_json({"file": args.file, "valid": True, "answered": answered, "indicators": total})
    else:
        answered_text = (
            f"{answered} dari {total} indikator dijawab / {answered} of {total} indicators answered"
        )
        print_text(f"{args.file}: sah / valid ({answered_text})")
    return 0
