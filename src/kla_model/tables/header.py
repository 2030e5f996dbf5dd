"""The wide table's columns: the fixed ones every table starts with, the answer columns a
ruleset gives a table, and the problems of a header (see :mod:`kla_model.tables.table` for the
format)."""

from __future__ import annotations

from kla_model._base.capped import MAX_PROBLEMS
from kla_model._base.json_schema import shown
from kla_model.errors import Problem
from kla_model.rules.ruleset import RuleSet

__all__ = ["DATA_YEAR", "FIXED_COLUMNS", "answer_columns", "header_problems"]

#: The columns every table starts with, in this order.
FIXED_COLUMNS = ("region_code", "region_name", "region_kind", "province", "year")
#: The suffix of the column holding a number's data year.
DATA_YEAR = ".data_year"


def answer_columns(ruleset: RuleSet) -> list[str]:
    """The answer columns a table for ``ruleset`` may have, in ruleset order."""
    names = []
    for indicator in ruleset.indicators.values():
        for item in indicator.items:
            name = indicator.id if len(indicator.items) == 1 else item.id
            names.append(name)
            if item.rule.measured:
                names.append(name + DATA_YEAR)
    return names


def header_problems(columns: tuple[str, ...], source: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, name in enumerate(columns):
        if name in seen and len(problems) < MAX_PROBLEMS:
            problems.append(
                Problem(f"{source}: header, column {index + 1}", f"duplicate column {shown(name)}")
            )
        seen.add(name)
    missing = [name for name in FIXED_COLUMNS if name not in seen]
    if missing:
        problems.append(
            Problem(
                f"{source}: header",
                f"expected the columns {', '.join(FIXED_COLUMNS)}; missing {', '.join(missing)}",
            )
        )
    return problems
