"""``kla evidence FILE``: the items that still lack the evidence they require."""

from __future__ import annotations

import argparse
from typing import Any

from kla_model.cli._common import (
    add_format_option,
    add_ruleset_option,
    add_stage_option,
    load_inputs,
    print_json,
    print_text,
)
from kla_model.submissions.completeness import evidence_report
from kla_model.views.report import evidence_text


def add(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "evidence", help="list the items lacking the evidence they require, by points at risk"
    )
    parser.add_argument("file", metavar="FILE", help="a submission (YAML or JSON)")
    add_ruleset_option(parser)
    add_stage_option(parser, "the stage whose decisions count")
    add_format_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ruleset, submission = load_inputs(args)
    report = evidence_report(ruleset, submission, stage=args.stage)
    if args.format == "json":
        print_json(report.to_dict())
    else:
        print_text(evidence_text(report))
    return 0
