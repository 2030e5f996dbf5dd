"""``kla stages FILE``: the score at every stage of the evaluation, and why it changed."""

from __future__ import annotations

import argparse
import shutil
from typing import Any

from kla_model.cli._common import (
    add_format_option,
    add_ruleset_option,
    load_inputs,
    print_json,
    print_text,
)
from kla_model.scoring.stages import score_stages
from kla_model.views.report import stages_text

#: How many item changes per stage the text table shows; the JSON has them all.
MAIN_CAUSES = 5


def add(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "stages", help="score a submission at every stage: total, tier, change and its causes"
    )
    parser.add_argument("file", metavar="FILE", help="a submission (YAML or JSON)")
    add_ruleset_option(parser)
    parser.add_argument(
        "--causes",
        type=int,
        default=MAIN_CAUSES,
        metavar="N",
        help=f"item changes shown per stage in text output (default: {MAIN_CAUSES})",
    )
    parser.add_argument(
        "--lang",
        choices=("id", "en"),
        default="id",
        help="language of the text output: id Indonesian (default), en English",
    )
    add_format_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ruleset, submission = load_inputs(args)
    history = score_stages(ruleset, submission)
    if args.format == "json":
        print_json(history.to_dict())
    else:
        width = shutil.get_terminal_size((100, 24)).columns
        print_text(stages_text(history, max(args.causes, 0), args.lang, width))
    return 0
