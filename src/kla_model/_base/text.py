"""Plain-text building blocks shared by every view: numbers as people read them, and
aligned tables.

This module is the one place that writes a number for a person, in every output (text,
HTML, plots, sentences): Indonesian writes a decimal comma (710,75), English a decimal
point (710.75).  Views that show both languages side by side (the score card, the evidence
report) put the Indonesian first, so their tables use the comma; each half of a bilingual
sentence uses its own language's separator.

Two kinds of amount, two rules (docs/decisions.md, "One way to print a number"):

- points a district has, gains, losses, totals and gaps (:func:`format_points`,
  :func:`format_signed`): always two decimals, as the published totals are, so that 809,50
  never stands beside 809,5 and the page's 89,00 is the command's 89,00;
- everything else (the ruleset's own constants: maxima, thresholds, the points a rule
  awards; reported values, costs, percentages) with :func:`format_number`: as written,
  at most two decimals, and thresholds with :func:`format_threshold` (``total > 30,3``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

__all__ = [
    "DECIMAL_SEPARATOR",
    "format_exact",
    "format_number",
    "format_points",
    "format_signed",
    "format_threshold",
    "table",
]

#: The decimal separator of each language ``kla_model`` writes.
DECIMAL_SEPARATOR = {"id": ",", "en": "."}


def _localised(text: str, lang: Literal["id", "en"]) -> str:
    return text.replace(".", DECIMAL_SEPARATOR[lang])


def format_number(amount: float, lang: Literal["id", "en"], places: int | None = None) -> str:
    """``amount`` as a person reads it in ``lang``.

    ``places=None`` (sentences): at most two decimals, trailing zeros dropped (26,25, 30,
    86,4); an amount too small for two decimals keeps two significant digits (0,00016), so
    that something is never shown as nothing.  ``places=2`` (tables): exactly two decimals,
    as the published totals are, so that columns align.
    """
    if places is not None:
        return _localised(f"{float(amount):.{places}f}", lang)
    text = f"{float(amount):.2f}".rstrip("0").rstrip(".")
    if amount and text in {"0", "-0"}:
        text = f"{float(amount):.2g}"
    if text == "-0":
        text = "0"
    return _localised(text, lang)


def format_points(points: float, lang: Literal["id", "en"] = "id") -> str:
    """Points a district has (or gains, or lacks): two decimals, as the published totals
    are, in tables and sentences alike."""
    return format_number(points, lang, places=2)


def format_signed(points: float, lang: Literal["id", "en"] = "id") -> str:
    """A change in points with its sign, two decimals: ``+5,00``, ``-17,50``."""
    return ("+" if points >= 0 else "-") + format_points(abs(points), lang)


def format_exact(amount: float, lang: Literal["id", "en"]) -> str:
    """A constant of a ruleset as its file writes it (up to six significant digits), never
    rounded to two decimals: ``30,333`` (``30.333``), ``1000``.  For catalogues, summaries
    of a rule file and thresholds."""
    return _localised(f"{float(amount):g}", lang)


def format_threshold(minimum: float, inclusive: bool, lang: Literal["id", "en"]) -> str:
    """A tier's threshold: ``≥ 500`` or ``> 30,3`` (``> 30.3`` in English), as the ruleset
    writes it (:func:`format_exact`): a boundary shown as 30,33 when it is 30,333 would
    mislead."""
    return f"{'≥' if inclusive else '>'} {format_exact(minimum, lang)}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A plain-text table; columns whose index is in ``right`` are right-aligned."""
    rows = [list(row) for row in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]

    def line(cells: Sequence[str]) -> str:
        shown = [
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=False))
        ]
        return "  ".join(shown).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])
