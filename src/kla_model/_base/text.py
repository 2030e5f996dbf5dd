"""Plain-text building blocks shared by every text view: points as people read them, and
aligned tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["format_points", "table"]


def format_points(points: float) -> str:
    """Points as shown to people: two decimals, as the published totals are."""
    return f"{points:.2f}"


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
