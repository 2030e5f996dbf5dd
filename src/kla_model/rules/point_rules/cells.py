"""How a table cell is read as an answer, for each way an answer is written.

The wide table format (``docs/table-format.md``) writes a yes/no as a word, a level as its
id, a checklist as its ticked ids separated by ``;`` and a number as a decimal; each rule
kind names the reader of its answers (``PointRule.read_cell``), so that the CSV reader and
the data-frame reader read cells the same way.
"""

from __future__ import annotations

import math

from kla_model.rules.point_rules.base import BadCell

__all__ = ["FALSE_WORDS", "NONE_TICKED", "TRUE_WORDS", "number_cell", "ticks_cell", "yes_no_cell"]

#: The cell words for a yes/no answer (any letter case).
TRUE_WORDS = frozenset({"true", "ya", "yes", "1"})
FALSE_WORDS = frozenset({"false", "tidak", "no", "0"})
#: A checklist cell ticks option ids separated by ``;``; this cell ticks none of them.
NONE_TICKED = "-"
_SEPARATOR = ";"


def yes_no_cell(cell: str) -> bool | BadCell:
    word = cell.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return BadCell(f"expected yes or no (true/false, ya/tidak, yes/no, 1/0); found {cell!r}")


def ticks_cell(cell: str) -> tuple[str, ...] | BadCell:
    if cell == NONE_TICKED:
        return ()
    ticks = tuple(tick.strip() for tick in cell.split(_SEPARATOR) if tick.strip())
    twice = sorted({tick for tick in ticks if ticks.count(tick) > 1})
    if twice:
        return BadCell(f"option {twice[0]!r} is listed twice")
    return ticks


def number_cell(cell: str) -> float | BadCell:
    try:
        value = float(cell)
    except ValueError:
        hint = ""
        if cell.count(",") == 1 and cell.replace(",", "", 1).isdigit():
            hint = f" (write the decimal point as '.': {cell.replace(',', '.')})"
        return BadCell(f"expected a number; found {cell!r}{hint}")
    if not math.isfinite(value):
        return BadCell(f"expected a finite number; found {cell!r}")
    return value
