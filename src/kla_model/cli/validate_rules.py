"""``kla validate-rules FILE``: check a rule file (a full ruleset or an overlay) without scoring."""

from __future__ import annotations

import argparse
from typing import Any

from kla_model._base.text import format_exact
from kla_model.cli._common import add_format_option, print_json, print_text
from kla_model.rules.ruleset import RuleSet, load_ruleset
from kla_model.scoring.results import RuleSetRef


def add(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "validate-rules",
        help="check a rule file (a ruleset or an overlay that extends one) and summarise it",
    )
    parser.add_argument("file", metavar="FILE", help="a rule file (YAML or JSON)")
    add_format_option(parser)
    parser.set_defaults(run=run)


def _chain(ref: RuleSetRef | None) -> str:
    parts = []
    while ref is not None:
        parts.append(f"{ref.id} {ref.version} ({ref.status}, sha256 {ref.sha256[:12]})")
        ref = ref.extends
    return " -> ".join(parts) or "-"


def _summary(ruleset: RuleSet) -> dict[str, Any]:
    return {
        "id": ruleset.id,
        "version": ruleset.version,
        "status": ruleset.status,
        "extends": None if ruleset.extends is None else ruleset.extends.to_dict(),
        "rounds": None if ruleset.applies_to is None else ruleset.applies_to.to_dict(),
        "max_score": ruleset.max_score,
        "groups": len(ruleset.groups),
        "indicators": len(ruleset.indicators),
        "items": len(ruleset.items),
        "tiers": [tier.id for tier in ruleset.tiers.tiers],
        "sha256": ruleset.sha256,
    }


def run(args: argparse.Namespace) -> int:
    ruleset = load_ruleset(args.file)
    if args.format == "json":
        print_json({"file": args.file, "valid": True, **_summary(ruleset)})
        return 0
    lines = [
        f"{args.file}: sah / valid",
        f"  id:                      {ruleset.id}",
        f"  versi / version:         {ruleset.version}",
        f"  status:                  {ruleset.status}",
        f"  memperluas / extends:    {_chain(ruleset.extends)}",
        f"  putaran / rounds:        {ruleset.applies_to or '-'}",
        f"  skor maks / max score:   {format_exact(ruleset.max_score, 'id')}",
        f"  indikator / indicators:  {len(ruleset.indicators)} in {len(ruleset.groups)} groups, "
        f"{len(ruleset.items)} items",
        f"  peringkat / tiers:       {', '.join(t.id for t in ruleset.tiers.tiers)}",
        f"  sha256:                  {ruleset.sha256}",
    ]
    print_text("\n".join(lines))
    return 0
