"""Notebook views: score cards, totals, summaries and batches as escaped HTML."""

from __future__ import annotations

import html.parser
from html import escape
from typing import Any

import attrs
from hypothesis import HealthCheck, event, given, settings

import kla_model as kla
from kla_model.views import html as views
from plan_strategies import plans
from profiles import examples

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
    assert text.startswith(
        "Kota Tangerang · 2025 kota, Banten · tahap / stage Penilaian mandiri / Self-assessment"
    )
    assert "Penguatan Kelembagaan / Institutional strengthening 146,75 164" in text
    assert "Total 763,25 / 1000 · Peringkat / Tier: Nindya / Nindya (third tier)" in text
    assert (
        "Menuju Utama (total > 800): lebih dari 36,75 poin lagi / more than 36.75 more points"
        in text
    )
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
    assert "Menuju Pratama (total ≥ 500): sekurang-kurangnya 500,00 poin lagi" in text
    assert "Unanswered indicators: K.1, K.2, K.3, I.1" in text


def test_totals_show_group_points() -> None:
    text = _text(BATCH.results[0]._repr_html_())
    assert text.startswith("Kota Tangerang · 2025 Penilaian mandiri / Self-assessment")
    assert "kelembagaan 146,75" in text
    assert "Total 763,25 / 1000" in text


def test_a_summary_shows_the_tier_table_and_the_top() -> None:
    text = _text(BATCH.summary()._repr_html_())
    assert "Ringkasan / Summary perpres-25-2021 2025.1 (provisional)" in text
    assert "2025 0 3 2 1 2 8 0 8" in text
    assert "1 Kota Semarang Jawa Tengah 877,25 Utama / Utama (fourth tier)" in text


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
    assert "Penilaian mandiri / Self-assessment 763,25 Nindya / Nindya (third tier)" in text
    assert "Verifikasi administrasi / Administrative verification 723,25" in text
    assert (
        "Verifikasi final / Final verification 710,75 Nindya / Nindya (third tier) -17,50" in text
    )
    assert "Penilaian mandiri → Verifikasi administrasi: -40,00" in text
    assert "K.1.4 -15,00" in text
    assert history._repr_html_().count("<details>") == sum(
        1 for change in history.changes if change.items
    )


# --- plans -----------------------------------------------------------------------------------

SUBMISSION = kla.load_submission("examples/kota-tangerang-2025.yaml")
TO_UTAMA = kla.plan(RULES, SUBMISSION)  # from the final verification, the latest stage
OUT_OF_REACH = kla.plan(RULES, SUBMISSION, target="kla", fixed=["II.1"])


def test_a_plan_shows_target_reachability_cost_points_and_tiers() -> None:
    text = _text(TO_UTAMA._repr_html_())
    assert text.startswith(
        "Rencana / Plan: Kota Tangerang · 2025 tahap / stage Verifikasi final / Final "
        "verification · perpres-25-2021 2025.1 (provisional)"
    )
    assert "Sasaran / Target Utama / Utama (fourth tier) (total > 800)" in text
    assert "Dapat dicapai / Reachable ya / yes" in text
    assert "Biaya / Cost 4 (4 perubahan / changes)" in text
    assert "Poin / Points 710,75 → 809,50 (+98,75)" in text
    assert "Peringkat / Tier Nindya / Nindya (third tier) → Utama / Utama (fourth tier)" in text
    assert "tidak / no" not in text


def test_a_plan_lists_every_step_with_its_sentence_in_both_languages() -> None:
    markup = TO_UTAMA._repr_html_()
    text = _text(markup)
    assert [step.item for step in TO_UTAMA.steps] == ["II.1.1", "II.3.1", "IV.1.1", "IV.2.1"]
    assert "# Butir / Item Poin / Points Biaya / Cost Langkah / Step" in text
    for number, step in enumerate(TO_UTAMA.steps, start=1):
        points = f"{step.points_before:.2f} → {step.points_after:.2f}".replace(".", ",")
        assert f"{number} {step.item} {points} 1 {step.sentence.id} / {step.sentence.en}" in text
    assert (
        "1 II.1.1 0,00 → 52,00 1 II.1 Persentase perkawinan anak: turunkan dari 7,35% menjadi "
        "6,91% (data 2023), di bawah angka nasional 6,92% (2023): +52,00 poin (0,00 → 52,00). / II.1 % "
        "child marriage (before 18): lower from 7.35% to 6.91% (2023 data), below the national "
        "6.92% (2023): +52.00 points (0.00 → 52.00)." in text
    )
    # The plan's own sentences, escaped ("> 800"), Indonesian first.
    assert "menuju Utama yang memerlukan total lebih dari 800: 4 perubahan" in markup
    assert "Nilai yang dikoreksi verifikator tetap berlaku: I.1.1." in text


def test_an_unreachable_plan_says_so_and_how_far_short() -> None:
    assert not OUT_OF_REACH.reachable
    text = _text(OUT_OF_REACH._repr_html_())
    assert "Sasaran / Target Kabupaten/Kota Layak Anak / Child-Friendly District (total > 900)" in (
        text
    )
    assert "Dapat dicapai / Reachable tidak / no · kurang 32,00 poin / 32.00 points short" in text
    assert "Biaya / Cost –" in text
    assert "Poin / Points 710,75 → paling tinggi / at most 868,00" in text
    assert (
        "Kabupaten/Kota Layak Anak yang memerlukan total lebih dari 900 tidak dapat dicapai."
        in text
    )
    assert "Without the ids fixed as unchangeable, the tier could be reached." in text
    assert "Butir / Item" not in text  # no steps, so no table of them


def test_a_plan_from_no_tier_names_the_rulesets_none_label_and_escapes_its_text() -> None:
    rules = kla.load_ruleset("desa-kelurahan")
    region = kla.Region("1", "Desa <Contoh> & Co", "desa", "Banten")
    plan = kla.plan(rules, kla.Submission(region, 2025, {}))
    markup = plan._repr_html_()
    text = _text(markup)
    assert "Rencana / Plan: Desa <Contoh> & Co · 2025" in text
    assert "Desa &lt;Contoh&gt; &amp; Co" in markup
    assert "<Contoh>" not in markup
    assert "Peringkat / Tier Belum berkategori / No tier → Dekela Berkembang / Developing" in text
    first = plan.steps[0]
    assert "answer 'Village regulation (Perdes)'" in first.sentence.en
    assert escape(first.sentence.en) in markup  # quotes as &#x27;
    assert f"1 D.K.1.1 0,00 → 10,00 1 {first.sentence.id} / {first.sentence.en}" in text


def test_a_table_without_a_header_has_no_head_row() -> None:
    assert "<thead>" not in views.table((), [["a", "b"]])
    assert "<th " in views.table(["x", "y"], [["a", "b"]])


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_any_plan_renders_well_formed_with_its_steps_in_order(case: tuple[kla.Plan, Any]) -> None:
    """Every plan, reachable or not, is balanced HTML naming its target, saying whether it
    is reachable, and listing its steps' item ids and sentences in plan order."""
    plan, _ = case
    event(f"reachable: {plan.reachable}, steps: {min(len(plan.steps), 2)}")
    markup = plan._repr_html_()
    text = _text(markup)
    assert f"Sasaran / Target {plan.target.label.id}" in text
    wording = "ya / yes" if plan.reachable else "tidak / no"
    assert f"Dapat dicapai / Reachable {wording}" in text
    positions = [text.index(f"{n} {step.item} ") for n, step in enumerate(plan.steps, start=1)]
    assert positions == sorted(positions)
    for step in plan.steps:
        assert escape(step.sentence.id) in markup
        assert escape(step.sentence.en) in markup
    assert ("Butir / Item" in text) == bool(plan.steps)
