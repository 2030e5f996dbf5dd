"""``kla rules``: the bundled rulesets."""

from __future__ import annotations

import argparse
from typing import Any

from kla_model.cli._common import add_format_option, print_json
from kla_model.report import table
from kla_model.ruleset import bundled_rulesets, load_ruleset


def add(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("rules", help="list the bundled rulesets")
    add_format_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    rulesets = [load_ruleset(name) for name in bundled_rulesets()]
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
                for rs in rulesets
            ]
        )
        return 0
    rows = [
        [rs.id, rs.version, rs.status, str(rs.applies_to or "-"), f"{rs.max_score:g}", rs.label.en]
        for rs in rulesets
    ]
    print(table(["id", "version", "status", "rounds", "max", "label"], rows))
    return 0
