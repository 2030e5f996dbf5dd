"""``kla explain FILE``: why a submission scores what it does, in sentences."""

from __future__ import annotations

import argparse
from typing import Any

from kla_model.analysis.explain import explain
from kla_model.analysis.sensitivity import sensitivity
from kla_model.cli._common import (
    add_format_option,
    add_ruleset_option,
    add_stage_option,
    load_inputs,
    print_json,
    print_text,
)
from kla_model.scoring.engine import score


def add(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "explain", help="explain a score: a sentence per group, indicator and item"
    )
    parser.add_argument("file", metavar="FILE", help="a submission (YAML or JSON)")
    add_ruleset_option(parser)
    add_stage_option(parser)
    parser.add_argument(
        "--lang", choices=("id", "en"), default="id", help="Indonesian (default) or English"
    )
    parser.add_argument(
        "--sensitivity",
        action="store_true",
        help="add the margins to the thresholds and the weights that would move the tier",
    )
    add_format_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ruleset, submission = load_inputs(args)
    card = score(ruleset, submission, stage=args.stage)
    explanation = explain(card, args.lang)
    margins = sensitivity(card) if args.sensitivity else None
    if args.format == "json":
        data = explanation.to_dict()
        if margins is not None:
            data["sensitivity"] = margins.to_dict()
        print_json(data)
        return 0
    print_text(str(explanation))
    if margins is not None:
        print_text("")
        print_text("\n".join(margins.sentences(args.lang)))
    return 0
