"""The sentences that sum up a plan, in both languages."""

from __future__ import annotations

from pathlib import Path

import kla_model as kla
from kla_model.analysis.goal import Held
from kla_model.analysis.plan_words import both, changes_label, held_sentences, tier_label

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"


def test_both_formats_numbers_per_language() -> None:
    label = both(
        kla.Label(id="{x} poin, {t}", en="{x} points, {t}"),
        {"x": 1234.5, "t": kla.Label(id="ya", en="yes")},
    )
    assert (label.id, label.en) == ("1234,5 poin, ya", "1234.5 points, yes")


def test_changes_and_tiers() -> None:
    assert changes_label(1) == kla.Label(id="1 perubahan", en="1 change")
    assert changes_label(3).en == "3 changes"
    card = kla.score(kla.load_ruleset("perpres-25-2021"), kla.load_submission(EXAMPLE))
    assert tier_label(card.tier, card) == kla.Label(
        id="peringkat Nindya", en="tier Nindya (third tier)"
    )
    assert tier_label(None, card) == card.none_label


def test_held_sentences_name_the_stage_and_the_items() -> None:
    card = kla.score(
        kla.load_ruleset("perpres-25-2021"), kla.load_submission(EXAMPLE), stage="field"
    )
    held = Held(corrected=("I.1.1",), needs_evidence=("K.1.4", "V.4.1"), withheld=32.5)
    assert [label.en for label in held_sentences(card, held)] == [
        "At the field verification stage, 2 items count only with accepted evidence, so the plan "
        "leaves them as they are: K.1.4 and V.4.1.",
        "With their evidence accepted, the answers already given would bring back 32.50 points.",
        "The values the verifiers corrected stand: I.1.1.",
    ]
    assert held_sentences(card, Held((), (), 0.0)) == []
