"""Bilingual wording: numbers, values, lists and the language check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kla_model import KlaError, Label
from kla_model.analysis.wording import checked_lang, join, number, quoted, render, value


@pytest.mark.parametrize(
    ("amount", "en", "id"),
    [
        (26.25, "26.25", "26,25"),
        (30.0, "30", "30"),
        (86.4, "86.4", "86,4"),
        (763.25, "763.25", "763,25"),
        (-48.75, "-48.75", "-48,75"),
        (0.0, "0", "0"),
        (-0.001, "-0.001", "-0,001"),
        (0.00015625, "0.00016", "0,00016"),
        (2.005, "2", "2"),
    ],
)
def test_number(amount: float, en: str, id: str) -> None:
    assert (number(amount, "en"), number(amount, "id")) == (en, id)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_a_non_zero_amount_never_shows_as_zero(amount: float) -> None:
    shown = number(amount, "en")
    assert (shown == "0") == (amount == 0)


def test_value_with_unit() -> None:
    assert value(86.4, "percent", "id") == "86,4%"
    assert value(12, "number", "en") == "12"


def test_join_and_quote() -> None:
    assert join(["a", "b", "c"], "en") == "a, b and c"
    assert join(["a", "b"], "id") == "a dan b"
    assert join(["a"], "id") == "a"
    assert join([], "en") == ""
    assert quoted({"id": "Perda", "en": "Regional regulation"}, "en") == "'Regional regulation'"
    assert quoted(Label(id="Perda", en="Regulation"), "id") == "'Perda'"


def test_render_needs_every_fact() -> None:
    assert render(Label(id="{x} poin", en="{x} points"), "en", {"x": "3"}) == "3 points"
    with pytest.raises(KeyError):
        render(Label(id="{x}", en="{y}"), "en", {"x": 1})


def test_checked_lang() -> None:
    assert checked_lang("id") == "id"
    assert checked_lang("en") == "en"
    with pytest.raises(
        KlaError, match=r"lang: expected 'id' \(Indonesian\) or 'en' \(English\); found 'EN'"
    ):
        checked_lang("EN")
