"""The indicator catalogue: the bundled ruleset as Markdown, for the documentation site."""

from __future__ import annotations

import attrs

import kla_model as kla
from kla_model.views.catalogue import catalogue_markdown, rule_summary

RULES = kla.load_ruleset("perpres-25-2021")
PAGE = catalogue_markdown(RULES)


def test_every_indicator_and_item_is_listed() -> None:
    for indicator in RULES.indicators.values():
        assert f"{indicator.number}. {indicator.id}: " in PAGE
    for item_id in RULES.items:
        assert f"| `{item_id}` |" in PAGE
    assert PAGE.startswith("# Katalog indikator / Indicator catalogue: `perpres-25-2021` 2025.1")
    assert "Status: **provisional** · maximum score 1000 · 24 indicators · 53 scored items." in PAGE


def test_rule_summaries_say_how_points_come_about() -> None:
    items = RULES.items
    assert rule_summary(items["K.1.1"]) == "yes: 24, no: 0"
    assert rule_summary(items["K.1.2"]) == "levels: `none` 0, `perkada` 16, `perda` 32"
    assert rule_summary(items["IV.4.2"]).endswith("`sarana-olahraga` 5 (capped at 15)")
    assert rule_summary(items["I.1.1"]).startswith("bands: [0, 25) % 0, [25, 50) % 10")
    assert rule_summary(items["III.2.1"]) == (
        "against series `stunting` (lower is better): better 35, equal 17.5, worse 0"
    )


def test_tiers_and_reference_series_are_listed() -> None:
    assert "| `madya` | Madya / Madya (second tier) | total > 600 |" in PAGE
    assert "Below the first threshold: Belum berpredikat / No tier." in PAGE
    assert "2018: 30.8, 2019: 27.67, 2021: 24.4" in PAGE


def test_markdown_marks_in_texts_are_escaped() -> None:
    """Sources hold confidence tags like [C]; unescaped they would be read as links."""
    assert "\\[C\\]" in PAGE
    assert " [C]" not in PAGE.replace("\\[C\\]", "")
    label = kla.Label("a | b", "a_b")
    group = attrs.evolve(RULES.groups[0], label=label)
    page = catalogue_markdown(attrs.evolve(RULES, groups=(group, *RULES.groups[1:])))
    assert "| `kelembagaan` | a \\| b | a\\_b | 164 |" in page
