"""Notebook views: score cards, totals, summaries and batches as escaped HTML."""

from __future__ import annotations

import html.parser

import attrs

import kla_model as kla
from kla_model import html as views

RULES = kla.load_ruleset("perpres-25-2021")
CARD = kla.score(
    RULES, kla.load_submission("examples/kota-tangerang-2025.yaml"), stage="self_assessment"
)
BATCH = kla.score_table(RULES, kla.load_table("examples/districts-2025.csv"))


class _Checker(html.parser.HTMLParser):
    """Collects text, and checks that every tag opened is closed in order."""

    VOID = frozenset({"br", "hr", "img"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _text(markup: str) -> str:
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    assert checker.open == []
    assert "<script" not in markup
    return " ".join(" ".join(checker.text).split())


def test_a_card_shows_groups_total_tier_and_way_on() -> None:
    text = _text(CARD._repr_html_())
    assert text.startswith("Kota Tangerang · 2025 kota, Banten · tahap / stage self_assessment")
    assert "Penguatan Kelembagaan / Institutional strengthening 146.75 164" in text
    assert "Total 763.25 / 1000 · Peringkat / Tier: Nindya / Nindya (third tier)" in text
    assert "Menuju / To Utama: 36.75 poin lagi / points more (total > 800)" in text
    assert "K.1 Tersedia Peraturan Daerah tentang KLA" in text


def test_text_from_the_input_is_escaped() -> None:
    region = kla.Region("1", "<b>Kota & Co</b>", "kota", "Banten")
    markup = attrs.evolve(CARD, region=region)._repr_html_()
    assert "&lt;b&gt;Kota &amp; Co&lt;/b&gt;" in markup
    assert "<b>Kota" not in markup


def test_missing_indicators_and_no_tier() -> None:
    empty = kla.score(RULES, kla.Submission(CARD.region, 2025, {}))
    text = _text(empty._repr_html_())
    assert "Peringkat / Tier: Belum berpredikat / No tier" in text
    assert "Menuju / To Pratama: 500.00 poin lagi" in text
    assert "Unanswered indicators: K.1, K.2, K.3, I.1" in text


def test_totals_show_group_points() -> None:
    text = _text(BATCH.results[0]._repr_html_())
    assert "kelembagaan 146.75" in text
    assert "Total 763.25 / 1000" in text


def test_a_summary_shows_the_tier_table_and_the_top() -> None:
    text = _text(BATCH.summary()._repr_html_())
    assert "Ringkasan / Summary perpres-25-2021 2025.1 (provisional)" in text
    assert "2025 0 3 2 1 2 8 0 8" in text
    assert "1 Kota Semarang Jawa Tengah 877.25 Utama / Utama (fourth tier)" in text


def test_a_batch_lists_its_errors() -> None:
    errors = tuple(kla.RowError(n, "K.1.1", f"bad {n}") for n in range(2, 30))
    text = _text(attrs.evolve(BATCH, errors=errors)._repr_html_())
    assert "Kesalahan / Errors" in text
    assert "2 K.1.1 bad 2" in text
    assert "21 K.1.1 bad 21" in text
    assert "bad 22" not in text
    assert "... dan 8 lagi / and 8 more" in text
    assert _text(BATCH._repr_html_()) == _text(BATCH.summary()._repr_html_())


def test_bars_are_clamped_to_their_width() -> None:
    assert "width:120px" in views.bar(150, 100)
    assert "width:0px;height:10px;background:#3a7d44" in views.bar(5, 0)
    assert "width:60px;height:10px;background:#3a7d44" in views.bar(50, 100)


def test_a_stage_history_shows_every_stage_and_the_causes() -> None:
    submission = kla.load_submission("examples/kota-tangerang-2025.yaml")
    history = kla.score_stages(RULES, submission)
    text = _text(history._repr_html_())
    assert text.startswith("Kota Tangerang · 2025 perpres-25-2021 2025.1 (provisional)")
    assert "Evaluasi mandiri / Self-assessment 763.25 Nindya / Nindya (third tier)" in text
    assert "Verifikasi administrasi / Administrative verification 723.25" in text
    assert (
        "Verifikasi final / Final verification 710.75 Nindya / Nindya (third tier) -17.50" in text
    )
    assert "Evaluasi mandiri → Verifikasi administrasi: -40.00" in text
    assert "K.1.4 -15.00" in text
    assert history._repr_html_().count("<details>") == sum(
        1 for change in history.changes if change.items
    )
