"""explain(): sentences from a score card's trace, in Indonesian and English."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model.analysis.explain import item_sentence
from kla_model.analysis.wording import LANGS, number
from kla_model.rules.model import Lang
from plan_strategies import ruleset_data, submission_data
from profiles import examples

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases" / "explain-plan"
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"
FIELD = re.compile(r"{(\w+)}")


@pytest.fixture(scope="module")
def tangerang() -> kla.ScoreCard:
    """The example district's card at its self-assessment (its answers as declared)."""
    ruleset = kla.load_ruleset("perpres-25-2021")
    return kla.score(ruleset, kla.load_submission(EXAMPLE), stage="self_assessment")


@pytest.fixture(scope="module")
def tangerang_final() -> kla.ScoreCard:
    """The example district's card after the final verification."""
    return kla.score(kla.load_ruleset("perpres-25-2021"), kla.load_submission(EXAMPLE))


def _golden() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((CASES / "cases.yaml").read_text("utf-8"))
    return loaded


def _case_card(case: dict[str, Any]) -> kla.ScoreCard:
    golden = _golden()
    ruleset = kla.load_ruleset(CASES / golden["ruleset"])
    data = {"region": golden["region"], "year": golden["year"], "answers": case["answers"]}
    for records in ("evidence", "verification"):
        if records in case:
            data[records] = case[records]
    return kla.score(ruleset, kla.Submission.from_mapping(data))


# --- golden sentences --------------------------------------------------------------------------


@pytest.mark.parametrize("case", _golden()["cases"], ids=lambda case: case["name"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_golden_sentences(case: dict[str, Any], lang: str) -> None:
    card = _case_card(case)
    assert (card.stage, card.total) == (case["stage"], case["total"])
    explanation = kla.explain(card, lang)
    expected = case["explain"][lang]
    assert list(explanation.summary) == expected["summary"]
    indicators = {i.id: i.text for g in explanation.groups for i in g.indicators}
    assert indicators == expected["indicators"]
    items = {t.id: t.text for g in explanation.groups for i in g.indicators for t in i.items}
    assert items == expected["items"]


def test_the_issue_example_sentence(tangerang: kla.ScoreCard) -> None:
    ruleset = kla.load_ruleset("perpres-25-2021")
    changed = kla.what_if(
        ruleset, kla.load_submission(EXAMPLE), {"I.1": {"value": 86.4}}, stage="self_assessment"
    )
    sentences = {
        i.id: i.text for g in kla.explain(changed.after, "en").groups for i in g.indicators
    }
    assert sentences["I.1"] == (
        "I.1 % of children with a birth certificate: 86.4% is in the band 75–90%, 30.00 of 40 "
        "points; 90% or more would give 40 points."
    )
    indonesian = {i.id: i.text for g in kla.explain(changed.after).groups for i in g.indicators}
    assert indonesian["I.1"] == (
        "I.1 Persentase anak yang memiliki akta kelahiran: 86,4% berada pada rentang 75–90%, "
        "30,00 dari 40 poin; dengan 90% atau lebih: 40 poin."
    )


def test_example_district_sentences(tangerang: kla.ScoreCard) -> None:
    explanation = kla.explain(tangerang, "en")
    assert explanation.summary == (
        "Ruleset: perpres-25-2021 version 2025.1 "
        "(provisional: reconstructed numbers, not the official ones).",
        "Kota Tangerang, evaluation round 2025, self-assessment: 763.25 of 1000 points, "
        "tier Nindya (third tier), "
        "whose threshold is a total > 700; Utama (fourth tier) needs a total > 800: it takes "
        "more than 36.75 more points.",
    )
    items = {t.id: t.text for g in explanation.groups for i in g.indicators for t in i.items}
    assert items["IV.4.2"] == (
        "IV.4.2 Cultural and creative facilities for children: 4 of 4 options ticked (the ticked "
        "options are worth 20 points, capped at 15), 15.00 of 15 points, the maximum."
    )
    assert items["II.1.1"] == (
        "II.1.1 % child marriage (before 18): 7.35% (2023 data) is above the national 6.92% "
        "(2023; lower is better), 0.00 of 52 points; below 6.92% would give 52 points."
    )
    assert items["IV.1.1"].endswith(
        "73.5% is in the band 50–75%, 22.50 of 45 points; a value from 75% to under 90% would "
        "give 33.75 points."
    )
    assert items["K.2.4"] == (
        "K.2.4 Task-force meetings per year: level '3–4 a year', 3.00 of 5 points; "
        "'More than 4 a year' would give 5 points."
    )
    groups = [g.text for g in explanation.groups]
    assert (
        groups[2]
        == "Family environment and alternative care: 75.00 of 156 points; 81.00 points not yet earned."
    )


def test_verification_outcomes_of_the_example(tangerang_final: kla.ScoreCard) -> None:
    explanation = kla.explain(tangerang_final, "en")
    assert explanation.summary[1].startswith(
        "Kota Tangerang, evaluation round 2025, final verification: 710.75 of 1000 points"
    )
    items = {t.id: t for g in explanation.groups for i in g.indicators for t in i.items}
    assert items["I.1.1"].outcome == "corrected"
    assert items["I.1.1"].text == (
        "I.1.1 % of children with a birth certificate: 89.2% is in the band 75–90%, 30.00 of 40 "
        "points; 90% or more would give 40 points. Corrected at the field verification stage "
        "from the declared 96.8%: matching against SIAK as of 30 June 2024 gives 89.2%."
    )
    assert items["V.4.1"].outcome == "unverified"
    assert items["V.4.1"].text == (
        "V.4.1 % of disabled, minority and isolated children served: 72.4% is in the band "
        "50–75%, which would give 17.50 of 35 points, but its required evidence has not been "
        "accepted by this stage: 0.00 points."
    )
    indonesian = kla.explain(tangerang_final, "id")
    k14 = next(
        t for g in indonesian.groups for i in g.indicators for t in i.items if t.id == "K.1.4"
    )
    assert k14.text == (
        "K.1.4 Pandangan anak dipertimbangkan dalam penyusunan regulasi: 2 dari 3 pilihan "
        "dicentang; data dukung yang disyaratkan belum diterima pada tahap ini, sehingga 0,00 dari "
        "20 poin (bila diterima: 15,00 poin)."
    )


def test_lines_indent_items_and_skip_repeats(tangerang: kla.ScoreCard) -> None:
    lines = kla.explain(tangerang, "id").lines()[1:]  # after the ruleset's sentence
    assert lines[0].startswith(
        "Kota Tangerang, tahun evaluasi 2025, penilaian mandiri: 763,25 dari 1000 poin"
    )
    assert lines[2] == "Penguatan Kelembagaan: 146,75 dari 164 poin; 17,25 poin belum diperoleh."
    assert lines[3].startswith("  K.1 Tersedia Peraturan Daerah tentang KLA: 91,00 dari 96 poin")
    assert lines[4].startswith("    K.1.1 Ada regulasi daerah tentang KLA: dijawab ya")
    # I.1 has one item: its sentence is the indicator's, not repeated below it.
    position = next(n for n, line in enumerate(lines) if line.startswith("  I.1 "))
    assert lines[position + 1].startswith("  I.2 ")
    assert str(kla.explain(tangerang, "id")) == "\n".join(kla.explain(tangerang, "id").lines())


def test_unknown_language() -> None:
    card = _case_card(_golden()["cases"][0])
    with pytest.raises(
        kla.KlaError,
        match=r"lang: expected 'id' \(Indonesian\) or 'en' "
        r"\(English\); found 'fr'",
    ):
        kla.explain(card, "fr")


def test_a_card_with_an_older_trace(tangerang: kla.ScoreCard) -> None:
    data = tangerang.to_dict()
    level = data["groups"][0]["indicators"][0]["items"][1]
    level["matched"] = {"level": "perda", "index": 2}  # what the trace held before
    with pytest.raises(kla.KlaError) as raised:
        kla.explain(kla.ScoreCard.from_dict(data))
    assert str(raised.value) == (
        "explain: item K.1.2: expected the trace to hold 'label'; found only index, level: "
        "score the submission again to explain it"
    )


def test_to_dict(tangerang: kla.ScoreCard) -> None:
    data = json.loads(json.dumps(kla.explain(tangerang, "en").to_dict()))
    assert data["lang"] == "en"
    assert data["groups"][0]["id"] == "kelembagaan"
    first = data["groups"][0]["indicators"][0]
    assert first["id"] == "K.1"
    assert first["items"][0] == {
        "id": "K.1.1",
        "kind": "boolean",
        "outcome": "scored",
        "text": "K.1.1 A regional regulation on KLA exists: answered yes, 24.00 of 24 points, "
        "the maximum.",
    }


# --- properties --------------------------------------------------------------------------------


@st.composite
def cards(draw: st.DrawFn) -> kla.ScoreCard:
    data = draw(ruleset_data(conditions=True))
    ruleset = kla.RuleSet.from_mapping(data)
    return kla.score(ruleset, kla.Submission.from_mapping(draw(submission_data(data))))


@settings(max_examples=examples(150), deadline=None)
@given(cards(), st.sampled_from(LANGS))
def test_every_item_of_any_card_is_explained(card: kla.ScoreCard, lang: Lang) -> None:
    """Every item of every card gets one sentence naming it and its points out of its max."""
    explanation = kla.explain(card, lang)
    explained = {t.id: t for g in explanation.groups for i in g.indicators for t in i.items}
    of = " dari " if lang == "id" else " of "
    for _, _, item in card.trace():
        reason = explained[item.id]
        assert reason.text.startswith(f"{item.id} ")
        assert reason.text.endswith(".")
        assert (reason.kind, reason.outcome) == (item.kind, item.outcome)
        maximum = number(item.max, lang)
        assert f"{of}{maximum} po" in reason.text
        assert "{" not in reason.text


@settings(max_examples=examples(150), deadline=None)
@given(cards())
def test_the_card_still_round_trips_with_the_richer_trace(card: kla.ScoreCard) -> None:
    """The trace carries what explaining needs; the card survives JSON unchanged."""
    data = json.loads(json.dumps(card.to_dict()))
    assert kla.ScoreCard.from_dict(data) == card
    # Explaining the rebuilt card gives the same sentences: the card alone is enough.
    assert kla.explain(kla.ScoreCard.from_dict(data), "en") == kla.explain(card, "en")


@settings(max_examples=examples(100), deadline=None)
@given(cards())
def test_a_full_item_says_maximum_and_a_short_one_says_what_would_give_more(
    card: kla.ScoreCard,
) -> None:
    for _, _, item in card.trace():
        text = item_sentence(item, "en")
        if item.outcome == "scored" and item.points >= item.max:
            assert text.endswith(", the maximum.")
        else:
            assert " would give " in text
