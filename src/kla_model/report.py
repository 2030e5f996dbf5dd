"""Plain-text views of score cards, Indonesian first with English beside it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kla_model.results import ScoreCard

__all__ = ["card_text", "format_points", "table"]


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


def _next_tier_line(card: ScoreCard) -> str:
    if card.next_tier is None:
        return "Peringkat tertinggi tercapai / Top tier reached"
    tier = card.next_tier
    short = format_points(card.points_to_next_tier or 0.0)
    need = f"total {tier.threshold}"
    return f"Menuju / To {tier.label.id}: {short} poin lagi / points more ({need})"


def card_text(card: ScoreCard) -> str:
    """A score card as a table of the groups, the total, the tier and the way to the next."""
    region = card.region
    ruleset = card.ruleset
    lines = [
        f"{region.name} ({region.kind}, {region.province}) · tahun evaluasi / round {card.year}"
        f" · tahap / stage: {card.stage}",
        f"Aturan / Ruleset: {ruleset.id} {ruleset.version} ({ruleset.status})",
    ]
    parent = ruleset.extends
    while parent is not None:
        lines.append(f"  memperluas / extends: {parent.id} {parent.version} ({parent.status})")
        parent = parent.extends
    lines.append("")
    rows = []
    for group in card.groups:
        rows.append([group.label.id, format_points(group.points), f"{group.max:g}"])
        rows.append([f"  {group.label.en}", "", ""])
    rows.append(["Total", format_points(card.total), f"{card.max_score:g}"])
    lines.append(table(["Kelompok / Group", "Poin / Points", "Maks / Max"], rows, right=(1, 2)))
    lines += ["", f"Peringkat / Tier: {card.tier_label}", _next_tier_line(card)]
    for entry in card.eligibility:
        for failed in entry.failed:
            condition = failed.condition
            found = f"{condition.scope} {condition.id} {format_points(failed.points)}"
            lines.append(
                f"Syarat {entry.tier.label.id} belum terpenuhi / {entry.tier.label.en} condition "
                f"not met: {found} < {condition.min_points:g}"
            )
    if card.missing:
        lines.append(f"Indikator belum dijawab / Unanswered indicators: {', '.join(card.missing)}")
    return "\n".join(lines)
