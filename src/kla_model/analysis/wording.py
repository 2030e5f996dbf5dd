"""Small pieces of bilingual wording shared by explanations and plans.

Numbers in Indonesian sentences take a decimal comma (86,4%), as Indonesian writing does;
English ones a decimal point.  Points a district has, gains and gaps show two decimals, as
published totals do (:func:`points`); values and the ruleset's constants at most two
(:func:`number`).  Both come from :mod:`kla_model._base.text`, which every output shares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kla_model._base.text import format_number, format_points
from kla_model.errors import KlaError
from kla_model.rules.model import Label, Lang

__all__ = ["LANGS", "checked_lang", "join", "number", "points", "quoted", "render", "value"]

LANGS: tuple[Lang, ...] = ("id", "en")

_AND = Label(id="dan", en="and")


def checked_lang(lang: str) -> Lang:
    """``lang`` if it is ``id`` or ``en``; a :class:`KlaError` otherwise."""
    if lang == "id":
        return "id"
    if lang == "en":
        return "en"
    raise KlaError(f"lang: expected 'id' (Indonesian) or 'en' (English); found {lang!r}")


def number(amount: float, lang: Lang) -> str:
    """``amount`` with at most two decimals, trailing zeros dropped: 26.25, 30, 86.4
    (26,25 and 86,4 in Indonesian); see :func:`kla_model._base.text.format_number`."""
    return format_number(amount, lang)


def points(amount: float, lang: Lang) -> str:
    """Points a district has, gains or lacks: two decimals, ``809,50`` (``809.50``), as in
    every table; see :func:`kla_model._base.text.format_points`."""
    return format_points(amount, lang)


def value(amount: float, unit: str, lang: Lang) -> str:
    """A reported value with its unit: ``86.4%`` for a percentage, ``12`` for a number."""
    return number(amount, lang) + ("%" if unit == "percent" else "")


def quoted(label: Mapping[str, str] | Label, lang: Lang) -> str:
    """A level's or option's label in quotes."""
    text = label.text(lang) if isinstance(label, Label) else label[lang]
    return f"'{text}'"


def join(parts: Sequence[str], lang: Lang) -> str:
    """``a, b and c`` (``a, b dan c``)."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {_AND.text(lang)} {parts[-1]}"


def render(template: Label, lang: Lang, facts: Mapping[str, Any]) -> str:
    """``template`` in ``lang`` with ``facts`` filled in (a missing fact is a ``KeyError``)."""
    return template.text(lang).format_map(facts)
