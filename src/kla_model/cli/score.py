"""``kla score FILE``: the score card of a submission."""

from __future__ import annotations

import argparse
from typing import Any

from kla_model.cli._common import (
    add_format_option,
    add_ruleset_option,
    add_stage_option,
    load_inputs,
    print_encoded_json,
    print_text,
)
from kla_model.scoring.engine import score, score_json
from kla_model.views.report import card_text


def add(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "score", help="score a submission: points per group, total, tier"
    )
    parser.add_argument("file", metavar="FILE", help="a submission (YAML or JSON)")
    add_ruleset_option(parser)
    add_stage_option(parser)
    add_format_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ruleset, submission = load_inputs(args)
    if args.format == "json":
        print_encoded_json(score_json(ruleset, submission, stage=args.stage).decode("utf-8"))
    else:
        print_text(card_text(score(ruleset, submission, stage=args.stage)))
    return 0
