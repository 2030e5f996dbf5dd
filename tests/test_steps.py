"""The sentence of each step of a plan, for every rule kind, in both languages."""

from __future__ import annotations

import re

import pytest

import kla_model as kla
from kla_model.analysis.moves import item_moves
from kla_model.analysis.steps import STEP_TEMPLATES, step_sentence
from kla_model.rules.point_rules import RULE_KINDS
from kla_model.submissions.submission import Measurement, answer_to_data

FIELD = re.compile(r"{(\w+)}")


@pytest.mark.parametrize("kind", RULE_KINDS)
def test_every_rule_kind_has_both_actions_in_both_languages(kind: str) -> None:
    template = STEP_TEMPLATES[kind]
    for action in (template.change, template.new):
        assert action.id != action.en
        assert set(FIELD.findall(action.id)) == set(FIELD.findall(action.en))


def _sentences(item_id: str, answer: object, points: float, pick: int = -1) -> tuple[str, str]:
    ruleset = kla.load_ruleset("perpres-25-2021")
    item = ruleset.items[item_id]
    move = item_moves(item, answer, points, 2025)[pick]  # type: ignore[arg-type]
    before = None if answer is None else answer_to_data(answer)  # type: ignore[arg-type]
    texts = tuple(
        step_sentence(
            item.rule.kind,
            answers=(before, answer_to_data(move.answer)),
            points=(points, move.points),
            detail=move.detail,
            lang=lang,
            ref=f"{item.id} {item.label.text(lang)}",
        )
        for lang in ("id", "en")
    )
    return texts[0], texts[1]


def test_levels_change() -> None:
    assert _sentences("K.1.2", "perkada", 16.0) == (
        "K.1.2 Bentuk regulasi KLA: naik dari 'Peraturan Bupati/Wali Kota (Perbup/Perwal)' "
        "menjadi 'Peraturan Daerah (Perda)': +16,00 poin (16,00 → 32,00).",
        "K.1.2 Form of the KLA regulation: move up from 'Head-of-region regulation "
        "(Perbup/Perwal)' to 'Regional regulation (Perda)': +16.00 points (16.00 → 32.00).",
    )


def test_checklist_ticks() -> None:
    assert _sentences("K.1.4", ("forum-anak",), 10.0) == (
        "K.1.4 Pandangan anak dipertimbangkan dalam penyusunan regulasi: centang 'Konsultasi "
        "publik melibatkan anak' dan 'Masukan anak tercatat dalam naskah akademik/berita acara': "
        "+10,00 poin (10,00 → 20,00).",
        "K.1.4 Children's views were taken into account in drafting the regulation: tick 'A "
        "public consultation included children' and 'Children's input is recorded in the "
        "academic paper or minutes': +10.00 points (10.00 → 20.00).",
    )


def test_bands_new() -> None:
    assert _sentences("I.1.1", None, 0.0) == (
        "I.1.1 Persentase anak yang memiliki akta kelahiran: laporkan 90% (rentang 90–100%): "
        "+40,00 poin (0,00 → 40,00).",
        "I.1.1 % of children with a birth certificate: report 90% (band 90–100%): "
        "+40.00 points (0.00 → 40.00).",
    )


def test_reference_new() -> None:
    assert _sentences("III.2.1", None, 0.0) == (
        "III.2.1 Prevalensi stunting balita: laporkan 19,79% (data 2024), di bawah angka "
        "nasional 19,8% (2024): +35,00 poin (0,00 → 35,00).",
        "III.2.1 Under-5 stunting prevalence: report 19.79% (2024 data), below the national "
        "19.8% (2024): +35.00 points (0.00 → 35.00).",
    )


def test_boolean_change_and_new() -> None:
    assert _sentences("K.3.3", False, 0.0)[1] == (
        "K.3.3 Universities take part (studies, assistance): change the answer from no to yes: "
        "+4.00 points (0.00 → 4.00)."
    )
    assert _sentences("K.3.3", None, 0.0)[0] == (
        "K.3.3 Perguruan tinggi terlibat (kajian, pendampingan): jawab ya: +4,00 poin (0,00 → 4,00)."
    )


def test_bands_raise_to_the_next_band() -> None:
    assert _sentences("IV.1.1", Measurement(73.5, 2023), 22.5, pick=0)[1] == (
        "IV.1.1 % holistic-integrative early-childhood services: raise from 73.5% to 75% "
        "(band 75–90%): +11.25 points (22.50 → 33.75)."
    )


def test_a_band_below_is_reached_by_lowering() -> None:
    text = step_sentence(
        "bands",
        answers=({"value": 40.0}, {"value": 9.99}),
        points=(0.0, 10.0),
        detail={"unit": "percent", "band": {"min": 0, "max": 10}},
        lang="id",
        ref="X.1",
    )
    assert (
        text == "X.1: turunkan dari 40% menjadi 9,99% (rentang 0–10%): +10,00 poin (0,00 → 10,00)."
    )
