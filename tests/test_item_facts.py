"""One item's sentence from its trace alone: the facts of each rule kind and outcome."""

from __future__ import annotations

from typing import Any

import pytest

from kla_model import KlaError, Label
from kla_model.analysis.item_facts import item_sentence
from kla_model.scoring.results import ItemScore

LEVEL = {"id": "perda", "label": {"id": "Perda", "en": "Regional regulation"}, "points": 32}


def _item(
    kind: str, outcome: str, points: float, data: Any, matched: dict[str, Any], **extra: Any
) -> ItemScore:
    label = Label(id="Bentuk regulasi", en="Form of the regulation")
    return ItemScore("K.1.2", label, points, 32.0, kind, outcome, data, matched, **extra)


def test_a_corrected_level_names_the_stage_the_declared_answer_and_the_reason() -> None:
    matched = {
        "level": "perkada",
        "index": 1,
        "points": 16.0,
        "label": {"id": "Perbup/Perwal", "en": "Head-of-region regulation"},
        "next": LEVEL,
    }
    correction = {
        "declared": "perda",
        "stage": "administrative",
        "verifier": "Tim",
        "reason": "belum sah",
    }
    item = _item("levels", "corrected", 16.0, "perkada", matched, correction=correction)
    assert item_sentence(item, "en") == (
        "K.1.2 Form of the regulation: level 'Head-of-region regulation', 16.00 of 32 points; "
        "'Regional regulation' would give 32 points. Corrected at the administrative verification "
        "stage from the declared 'perda': belum sah."
    )
    assert item_sentence(item, "id", ref="K.1").startswith(
        "K.1: tingkat 'Perbup/Perwal', 16,00 dari 32"
    )


def test_an_unverified_answer_says_what_it_would_give() -> None:
    matched = {"value": True}
    item = _item("boolean", "unverified", 0.0, True, matched)
    assert item_sentence(item, "en") == (
        "K.1.2 Form of the regulation: answered yes, which would give 32.00 of 32 points, but its "
        "required evidence has not been accepted by this stage: 0.00 points."
    )


@pytest.mark.parametrize(
    ("declared", "shown"),
    [
        (True, "yes"),
        (["a", "b"], "'a' and 'b'"),
        ({"value": 96.8, "data_year": 2024}, "96.8"),
        (None, "-"),
    ],
)
def test_the_declared_answer_in_words(declared: Any, shown: str) -> None:
    correction = {"declared": declared, "stage": "later-stage", "verifier": "Tim", "reason": ""}
    item = _item("boolean", "corrected", 0.0, False, {"value": False}, correction=correction)
    # An unknown stage is named by its id; an empty reason by a dash.
    assert item_sentence(item, "en").endswith(
        f"at the later-stage stage from the declared {shown}: -."
    )


def test_a_trace_without_the_facts_explaining_needs() -> None:
    item = _item("levels", "scored", 16.0, "perkada", {"level": "perkada", "index": 1})
    with pytest.raises(
        KlaError, match=r"explain: item K\.1\.2: expected the trace to hold 'label'"
    ):
        item_sentence(item, "en")
