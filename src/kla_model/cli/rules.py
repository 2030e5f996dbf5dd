"""``kla rules``: the bundled rulesets and the evaluation rounds each applies to."""

from __future__ import annotations

import argparse
from typing import Any

from kla_model._base.text import format_exact
from kla_model.cli._common import add_format_option, print_json, print_text
from kla_model.rules.rounds import round_record
from kla_model.rules.ruleset import bundled_rulesets, load_ruleset, ruleset_for
from kla_model.views.report import table


def add(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "rules", help="list the bundled rulesets and the rounds they apply to"
    )
    parser.add_argument(
        "--round",
        type=int,
        metavar="YEAR",
        help="show only the ruleset in force for this evaluation round (a year in which no "
        "round is known to have been held is still answered, with a note on stderr)",
    )
    add_format_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.round is None:
        rulesets = [load_ruleset(name) for name in bundled_rulesets()]
    else:
        rulesets = [ruleset_for(args.round)]
    if args.format == "json":
        print_json(
            [
                {
                    "id": rs.id,
                    "version": rs.version,
                    "status": rs.status,
                    "rounds": None if rs.applies_to is None else rs.applies_to.to_dict(),
                    "max_score": rs.max_score,
                    "label": rs.label.to_dict(),
                    "sha256": rs.sha256,
                }
                | _round_data(args.round)
                for rs in rulesets
            ]
        )
        return 0
    rows = [
        [
            rs.id,
            rs.version,
            rs.status,
            str(rs.applies_to or "-"),
            format_exact(rs.max_score, "en"),
            rs.label.en,
        ]
        for rs in rulesets
    ]
    print_text(table(["id", "version", "status", "rounds", "max", "label"], rows))
    return 0


def _round_data(year: int | None) -> dict[str, Any]:
    """For ``--round``: what the record of rounds says about the year (``null``: nothing)."""
    if year is None:
        return {}
    entry = round_record(year)
    return {"round": None if entry is None else entry.to_dict()}
