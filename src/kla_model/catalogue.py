"""An indicator catalogue: a ruleset written out as Markdown, for documentation.

The documentation site builds its indicator page from the bundled ruleset with
:func:`catalogue_markdown`, so the page always says what the ruleset says.
"""

from __future__ import annotations

from kla_model.model import Item
from kla_model.point_rules import (
    BandsRule,
    BooleanRule,
    ChecklistRule,
    LevelsRule,
    LinearRule,
    ReferenceRule,
)
from kla_model.ruleset import RuleSet

__all__ = ["catalogue_markdown", "rule_summary"]


def _cell(text: str, marks: tuple[str, ...] = ("\\", "|", "[", "]", "*", "_", "`")) -> str:
    """Text safe inside a Markdown table cell: no column breaks, links or emphasis."""
    for special in marks:
        text = text.replace(special, "\\" + special)
    return text.replace("\n", " ")


def rule_summary(item: Item) -> str:
    """How an item's answer becomes points, in one line (English)."""
    rule = item.rule
    if isinstance(rule, BooleanRule):
        return f"yes: {rule.points:g}, no: 0"
    if isinstance(rule, LevelsRule):
        return "levels: " + ", ".join(f"`{level.id}` {level.points:g}" for level in rule.levels)
    if isinstance(rule, ChecklistRule):
        options = ", ".join(f"`{option.id}` {option.points:g}" for option in rule.options)
        cap = "" if rule.cap is None else f" (capped at {rule.cap:g})"
        return f"checklist: {options}{cap}"
    if isinstance(rule, BandsRule):
        unit = " %" if rule.unit == "percent" else ""
        bands = ", ".join(f"{band.interval}{unit} {band.points:g}" for band in rule.bands)
        return f"bands: {bands}"
    if isinstance(rule, LinearRule):
        return (
            f"linear from {rule.start.value:g} ({rule.start.points:g} points) "
            f"to {rule.end.value:g} ({rule.end.points:g} points)"
        )
    if isinstance(rule, ReferenceRule):
        direction = "lower" if rule.direction == "lower_is_better" else "higher"
        return (
            f"against series `{rule.series.id}` ({direction} is better): better "
            f"{rule.better:g}, equal {rule.equal:g}, worse {rule.worse:g}"
        )
    return rule.kind


def catalogue_markdown(ruleset: RuleSet) -> str:
    """The ruleset as Markdown: its provenance, then one table of items per indicator."""
    lines = [
        f"# Katalog indikator / Indicator catalogue: `{ruleset.id}` {ruleset.version}",
        "",
        f"**{_cell(ruleset.label.id)}**  ",
        f"*{_cell(ruleset.label.en)}*",
        "",
        f"Status: **{ruleset.status}** · maximum score {ruleset.max_score:g} · "
        f"{len(ruleset.indicators)} indicators · {len(ruleset.items)} scored items.",
        "",
        f"> {_cell(ruleset.source)}",
        "",
        "| Group | Indonesian | English | Max |",
        "|---|---|---|---:|",
    ]
    lines += [
        f"| `{g.id}` | {_cell(g.label.id)} | {_cell(g.label.en)} | {g.max:g} |"
        for g in ruleset.groups
    ]
    for group in ruleset.groups:
        lines += ["", f"## {_cell(group.label.id)} / {_cell(group.label.en)} ({group.max:g})"]
        for indicator in group.indicators:
            number = "" if indicator.number is None else f"{indicator.number}. "
            lines += [
                "",
                f"### {number}{indicator.id}: {_cell(indicator.label.id)}",
                "",
                f"*{_cell(indicator.label.en)}* · type `{indicator.type}` · "
                f"max {indicator.max:g}",
                "",
                "| Item | Indonesian / English | Max | Points |",
                "|---|---|---:|---|",
            ]
            lines += [
                f"| `{item.id}` | {_cell(item.label.id)} / {_cell(item.label.en)} | "
                f"{item.max:g} | {_cell(rule_summary(item), ('|', '[', ']'))} |"
                for item in indicator.items
            ]
            lines += ["", f"Source: {_cell(indicator.source)}"]
    lines += ["", "## Tiers / Peringkat", "", "| Tier | Label | Threshold |", "|---|---|---|"]
    lines += [
        f"| `{t.id}` | {_cell(t.label.id)} / {_cell(t.label.en)} | total {t.threshold} |"
        for t in ruleset.tiers.tiers
    ]
    none = ruleset.tiers.none_label
    lines += ["", f"Below the first threshold: {_cell(none.id)} / {_cell(none.en)}."]
    if ruleset.references:
        lines += ["", "## Reference series / Deret acuan"]
        for series in ruleset.references:
            values = ", ".join(f"{p.year}: {p.value:g}" for p in series.points)
            lines += [
                "",
                f"**`{series.id}`**: {_cell(series.label.id)} / {_cell(series.label.en)} "
                f"({series.unit}). {values}. Source: {_cell(series.source)}",
            ]
    return "\n".join(lines) + "\n"
