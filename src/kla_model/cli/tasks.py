"""``kla tasks FILE --assign ASSIGNMENT``: the task force's view, agency by agency."""

from __future__ import annotations

import argparse
from typing import Any

from kla_model._base.suggest import did_you_mean
from kla_model.analysis.costs import load_costs
from kla_model.analysis.task_force import TaskForce, task_force
from kla_model.cli._common import (
    add_ruleset_option,
    add_stage_option,
    load_inputs,
    print_json,
    print_text,
)
from kla_model.errors import AssignmentError, Problem
from kla_model.submissions.assignment import load_assignment
from kla_model.views.task_force import task_force_csv, task_force_html, task_force_text


def add(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "tasks", help="what each agency (OPD) of the task force owns and must do"
    )
    parser.add_argument("file", metavar="FILE", help="a submission (YAML or JSON)")
    parser.add_argument(
        "--assign",
        required=True,
        metavar="ASSIGNMENT",
        help="the task force's assignment file (YAML or JSON): agencies and what each owns",
    )
    add_ruleset_option(parser)
    parser.add_argument(
        "--target", metavar="TIER", help="the tier to plan for (default: the next one up)"
    )
    add_stage_option(parser, "the stage in force")
    parser.add_argument(
        "--cost", metavar="FILE", help="a cost file for the plan (YAML or JSON), as for kla plan"
    )
    parser.add_argument(
        "--lang",
        choices=("id", "en"),
        help="text and HTML in one language only (default: Indonesian and English)",
    )
    parser.add_argument(
        "--agency",
        metavar="ID",
        help="with --format html: the page of this agency alone, to hand to its head",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "csv", "html"),
        default="text",
        help="text for a terminal, csv for a spreadsheet (a row per item), html for printing "
        "(a page per agency), or json",
    )
    parser.set_defaults(run=run)


def _agency(result: TaskForce, agency: str | None) -> str | None:
    """``agency`` if the assignment has it, else an error naming the agencies it has."""
    known = [tasks.id for tasks in result.agencies if tasks.id is not None]
    if agency is None or agency in known:
        return agency
    hint = did_you_mean(agency, known)
    message = f"unknown agency {agency!r}{hint}; expected one of {', '.join(known)}"
    raise AssignmentError("--agency", [Problem("--agency", message)])


def run(args: argparse.Namespace) -> int:
    ruleset, submission = load_inputs(args)
    assignment = load_assignment(args.assign, ruleset)
    costs = None if args.cost is None else load_costs(args.cost, ruleset)
    result = task_force(
        ruleset, submission, assignment, target=args.target, cost=costs, stage=args.stage
    )
    if args.format == "json":
        print_json(result.to_dict())
    elif args.format == "csv":
        print(task_force_csv(result), end="")  # data: cells as written, formulas neutralised
    elif args.format == "html":
        page = task_force_html(result, args.lang, agency=_agency(result, args.agency))
        print_text(page, end="")
    else:
        print_text(task_force_text(result, args.lang))
    return 0
