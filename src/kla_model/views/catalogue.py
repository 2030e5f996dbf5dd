"""An indicator catalogue: a ruleset written out as Markdown, for documentation.

The documentation site builds its indicator page from the bundled ruleset with
:func:`catalogue_markdown`, so the page always says what the ruleset says.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from kla_model._base.text import format_exact
from kla_model.rules.model import Item
from kla_model.rules.point_rules import (
    BandsRule,
    BooleanRule,
    ChecklistRule,
    LevelsRule,
    LinearRule,
    ReferenceRule,
)
from kla_model.rules.ruleset import RuleSet

__all__ = ["catalogue_markdown", "rule_summary"]


def _n(amount: float) -> str:
    """A number of the catalogue (English): as the rule file writes it."""
    return format_exact(amount, "en")


def _cell(text: str, marks: tuple[str, ...] = ("\\", "|", "[", "]", "*", "_", "`")) -> str:
    """Text safe inside a Markdown table cell: no column breaks, links or emphasis, and no
    HTML (Markdown passes raw HTML through to the page, so ``<script>`` in a label of an
    overlay would run on the site): ``&``, ``<`` and ``>`` are written as entities."""
    text = html.escape(text, quote=False)
    for special in marks:
        text = text.replace(special, "\\" + special)
    return text.replace("\n", " ")


def _boolean(rule: BooleanRule) -> str:
    return f"yes: {_n(rule.points)}, no: 0"


def _levels(rule: LevelsRule) -> str:
    return "levels: " + ", ".join(f"`{level.id}` {_n(level.points)}" for level in rule.levels)


def _checklist(rule: ChecklistRule) -> str:
    options = ", ".join(f"`{option.id}` {_n(option.points)}" for option in rule.options)
    cap = "" if rule.cap is None else f" (capped at {_n(rule.cap)})"
    return f"checklist: {options}{cap}"


def _bands(rule: BandsRule) -> str:
    unit = " %" if rule.unit == "percent" else ""
    return "bands: " + ", ".join(f"{band.interval}{unit} {_n(band.points)}" for band in rule.bands)


def _linear(rule: LinearRule) -> str:
    start, end = rule.start, rule.end
    return (
        f"linear from {_n(start.value)} ({_n(start.points)} points) "
        f"to {_n(end.value)} ({_n(end.points)} points)"
    )


def _reference(rule: ReferenceRule) -> str:
    direction = "lower" if rule.direction == "lower_is_better" else "higher"
    return (
        f"against series `{rule.series.id}` ({direction} is better): better "
        f"{_n(rule.better)}, equal {_n(rule.equal)}, worse {_n(rule.worse)}"
    )


_SUMMARIES: dict[type[Any], Callable[[Any], str]] = {
    BooleanRule: _boolean,
    LevelsRule: _levels,
    ChecklistRule: _checklist,
    BandsRule: _bands,
    LinearRule: _linear,
    ReferenceRule: _reference,
}


def rule_summary(item: Item) -> str:
    """How an item's answer becomes points, in one line (English)."""
    summary = _SUMMARIES.get(type(item.rule))
    return item.rule.kind if summary is None else summary(item.rule)


def catalogue_markdown(ruleset: RuleSet) -> str:
    """The ruleset as Markdown: its provenance, then one table of items per indicator."""
    lines = [
        f"# Katalog indikator / Indicator catalogue: `{ruleset.id}` {_cell(ruleset.version)}",
        "",
        f"**{_cell(ruleset.label.id)}**  ",
        f"*{_cell(ruleset.label.en)}*",
        "",
        f"Status: **{_cell(ruleset.status)}** · maximum score {_n(ruleset.max_score)} · "
        f"{len(ruleset.indicators)} indicators · {len(ruleset.items)} scored items.",
        "",
        f"> {_cell(ruleset.source)}",
        "",
        "| Group | Indonesian | English | Max |",
        "|---|---|---|---:|",
    ]
    lines += [
        f"| `{g.id}` | {_cell(g.label.id)} | {_cell(g.label.en)} | {_n(g.max)} |"
        for g in ruleset.groups
    ]
    for group in ruleset.groups:
        lines += ["", f"## {_cell(group.label.id)} / {_cell(group.label.en)} ({_n(group.max)})"]
        for indicator in group.indicators:
            number = "" if indicator.number is None else f"{indicator.number}. "
            lines += [
                "",
                f"### {number}{indicator.id}: {_cell(indicator.label.id)}",
                "",
                f"*{_cell(indicator.label.en)}* · type `{indicator.type}` · "
                f"max {_n(indicator.max)}",
                "",
                "| Item | Indonesian / English | Max | Points |",
                "|---|---|---:|---|",
            ]
            lines += [
                f"| `{item.id}` | {_cell(item.label.id)} / {_cell(item.label.en)} | "
                f"{_n(item.max)} | {_cell(rule_summary(item), ('|', '[', ']'))} |"
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
            values = ", ".join(f"{p.year}: {_n(p.value)}" for p in series.points)
            lines += [
                "",
                f"**`{series.id}`**: {_cell(series.label.id)} / {_cell(series.label.en)} "
                f"({_cell(series.unit)}). {values}. Source: {_cell(series.source)}",
            ]
    return "\n".join(lines) + "\n"
