"""Plain-text building blocks shared by every text view: numbers as people read them, and
aligned tables.

Numbers go through :func:`format_number`, the one place that knows each language's decimal
separator: Indonesian writes a decimal comma (710,75), English a decimal point (710.75).
Views that show both languages side by side (the score card, the evidence report) put the
Indonesian first, so their tables use the comma; each half of a bilingual sentence uses its
own language's separator.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

__all__ = ["DECIMAL_SEPARATOR", "format_number", "format_points", "format_signed", "table"]

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
    """Points in a table column: two decimals, as the published totals are."""
    return format_number(points, lang, places=2)


def format_signed(points: float, lang: Literal["id", "en"] = "id") -> str:
    """A change in points with its sign, two decimals: ``+5,00``, ``-17,50``."""
    return ("+" if points >= 0 else "-") + format_points(abs(points), lang)


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
