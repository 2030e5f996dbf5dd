"""Plain-text rendering of cards and tables."""

from __future__ import annotations

import attrs

import kla_model as kla
from kla_model import ScoreCard
from kla_model.views.report import card_text, format_points, table


def test_table_aligns_columns() -> None:
    text = table(["a", "points"], [["long name", "1.00"], ["b", "10.50"]], right=(1,))
    assert text.splitlines() == [
        "a          points",
        "---------  ------",
        "long name    1.00",
        "b           10.50",
    ]


def test_points_are_shown_with_two_decimals() -> None:
    assert format_points(763.25) == "763,25"  # Indonesian first: a decimal comma
    assert format_points(763.25, "en") == "763.25"
    assert format_points(600.0100000000001, "en") == "600.01"


def test_card_text_lists_unanswered_indicators(example_card: ScoreCard) -> None:
    groups = list(example_card.groups)
    first = groups[0]
    unanswered = first.indicators[0]._replace(answered=False)
    groups[0] = first._replace(indicators=(unanswered, *first.indicators[1:]))
    text = card_text(attrs.evolve(example_card, groups=tuple(groups)))
    assert "Indikator belum dijawab / Unanswered indicators: K.1" in text.splitlines()


def test_reprs_are_one_short_line() -> None:
    """Issue 13: print(card) dumped 31,000 characters and a plan's repr 4,200."""
    rules = kla.load_ruleset("perpres-25-2021")
    submission = kla.load_submission("examples/kota-tangerang-2025.yaml")
    card = kla.score(rules, submission)
    table = kla.score_table(rules, kla.load_table("examples/districts-2025.csv"))
    shown = [
        rules,
        submission,
        card,
        kla.plan(rules, submission),
        kla.explain(card),
        kla.score_stages(rules, submission),
        table,
        table.summary(),
        kla.sensitivity(card),
        card.ruleset,
    ]
    for value in shown:
        assert len(repr(value)) <= 300 and "\n" not in repr(value), type(value).__name__
    assert repr(card) == (
        "<ScoreCard Kota Tangerang 2025 final: 710.75/1000 nindya · perpres-25-2021 2025.1 "
        "(provisional)>"
    )
    assert str(card) == card_text(card)
