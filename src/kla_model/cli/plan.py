"""``kla plan FILE``: the cheapest changes that take a submission to the next (or a given) tier."""

from __future__ import annotations

import argparse
from typing import Any

from kla_model.analysis.costs import load_costs
from kla_model.analysis.plan import plan
from kla_model.cli._common import (
    add_format_option,
    add_ruleset_option,
    add_stage_option,
    load_inputs,
    print_json,
    print_text,
)


def add(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "plan", help="the least to improve to reach the next tier, step by step"
    )
    parser.add_argument("file", metavar="FILE", help="a submission (YAML or JSON)")
    add_ruleset_option(parser)
    parser.add_argument(
        "--target", metavar="TIER", help="the tier to reach (default: the next one up)"
    )
    add_stage_option(parser, "the stage to plan from")
    parser.add_argument(
        "--cost",
        metavar="FILE",
        help="a cost file (YAML or JSON): default, indicators, items, fixed",
    )
    parser.add_argument(
        "--fixed",
        metavar="ID",
        action="append",
        default=[],
        help="an indicator or item that cannot change (repeat, or separate ids by commas)",
    )
    parser.add_argument(
        "--lang",
        choices=("id", "en"),
        help="show one language only (default: Indonesian and English)",
    )
    add_format_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ruleset, submission = load_inputs(args)
    costs = None if args.cost is None else load_costs(args.cost, ruleset)
    fixed = [part.strip() for entry in args.fixed for part in entry.split(",") if part.strip()]
    result = plan(
        ruleset, submission, target=args.target, cost=costs, fixed=fixed, stage=args.stage
    )
    if args.format == "json":
        print_json(result.to_dict())
    else:
        print_text("\n".join(result.lines(args.lang)))
    return 0
