"""The sentence of each step of a plan, in Indonesian and English, from templates kept as data.

:data:`STEP_TEMPLATES` has, for every rule kind, the action for an item that had an answer
(``change``) and for one that had none (``new``), e.g. "raise from 86.4% to 90% (band
90–100%)".  The sentence adds what the step earns: ": +10.00 points (30.00 → 40.00)".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from kla_model.analysis.wording import join, number, quoted, render, value
from kla_model.analysis.wording import points as format_points
from kla_model.rules.model import Label, Lang

__all__ = ["STEP_TEMPLATES", "StepTemplate", "step_sentence"]


@attrs.frozen
class StepTemplate:
    """A rule kind's action: for an item that had an answer, and for one that had none."""

    change: Label
    new: Label


#: The action of a step for each rule kind.  Fields: see ``_FACTS``.
STEP_TEMPLATES: Mapping[str, StepTemplate] = {
    "boolean": StepTemplate(
        change=Label(
            id="ubah jawaban dari {before} menjadi ya", en="change the answer from {before} to yes"
        ),
        new=Label(id="jawab ya", en="answer yes"),
    ),
    "levels": StepTemplate(
        change=Label(
            id="naik dari {before} menjadi {after}", en="move up from {before} to {after}"
        ),
        new=Label(id="jawab {after}", en="answer {after}"),
    ),
    "checklist": StepTemplate(
        change=Label(id="centang {options}", en="tick {options}"),
        new=Label(id="centang {options}", en="tick {options}"),
    ),
    "bands": StepTemplate(
        change=Label(
            id="{verb} dari {before} menjadi {after} (rentang {band})",
            en="{verb} from {before} to {after} (band {band})",
        ),
        new=Label(id="laporkan {after} (rentang {band})", en="report {after} (band {band})"),
    ),
    "linear": StepTemplate(
        change=Label(
            id="{verb} dari {before} menjadi {after}", en="{verb} from {before} to {after}"
        ),
        new=Label(id="laporkan {after}", en="report {after}"),
    ),
    "reference": StepTemplate(
        change=Label(
            id="{verb} dari {before} menjadi {after} (data {year}), {position} angka nasional "
            "{reference} ({reference_year})",
            en="{verb} from {before} to {after} ({year} data), {position} the national "
            "{reference} ({reference_year})",
        ),
        new=Label(
            id="laporkan {after} (data {year}), {position} angka nasional {reference} "
            "({reference_year})",
            en="report {after} ({year} data), {position} the national {reference} "
            "({reference_year})",
        ),
    ),
}

_SENTENCE = Label(
    id="{ref}: {action}: +{gain} poin ({from_points} → {to_points}).",
    en="{ref}: {action}: +{gain} points ({from_points} → {to_points}).",
)
_NO = Label(id="tidak", en="no")
_VERB = {True: Label(id="naikkan", en="raise"), False: Label(id="turunkan", en="lower")}
_POSITION = {
    "equal": Label(id="sama dengan", en="equal to"),
    "lower_is_better": Label(id="di bawah", en="below"),
    "higher_is_better": Label(id="di atas", en="above"),
}


@attrs.frozen
class _Facts:
    """What a step's sentence reads: the answers before and after, and the move's detail."""

    before: Any
    after: Any
    detail: Mapping[str, Any]


def _boolean(facts: _Facts, lang: Lang) -> dict[str, Any]:
    return {"before": _NO.text(lang)}


def _levels(facts: _Facts, lang: Lang) -> dict[str, Any]:
    before = facts.detail["from"]
    return {
        "before": "" if before is None else quoted(before["label"], lang),
        "after": quoted(facts.detail["to"]["label"], lang),
    }


def _checklist(facts: _Facts, lang: Lang) -> dict[str, Any]:
    return {"options": join([quoted(o["label"], lang) for o in facts.detail["tick"]], lang)}


def _values(facts: _Facts, lang: Lang) -> dict[str, Any]:
    unit = facts.detail["unit"]
    after = facts.after["value"]
    before = None if facts.before is None else facts.before["value"]
    return {
        "before": "" if before is None else value(before, unit, lang),
        "after": value(after, unit, lang),
        "verb": _VERB[before is None or after > before].text(lang),
        "year": facts.after.get("data_year"),
    }


def _bands(facts: _Facts, lang: Lang) -> dict[str, Any]:
    band, unit = facts.detail["band"], facts.detail["unit"]
    return _values(facts, lang) | {
        "band": f"{number(band['min'], lang)}–{value(band['max'], unit, lang)}"
    }


def _reference(facts: _Facts, lang: Lang) -> dict[str, Any]:
    detail = facts.detail
    side = "equal" if detail["comparison"] == "equal" else detail["direction"]
    return _values(facts, lang) | {
        "position": _POSITION[side].text(lang),
        "reference": value(detail["reference_value"], detail["unit"], lang),
        "reference_year": detail["reference_year"],
    }


_FACTS: Mapping[str, Callable[[_Facts, Lang], dict[str, Any]]] = {
    "boolean": _boolean,
    "levels": _levels,
    "checklist": _checklist,
    "bands": _bands,
    "linear": _values,
    "reference": _reference,
}


def step_sentence(
    kind: str,
    *,
    answers: tuple[Any, Any],
    points: tuple[float, float],
    detail: Mapping[str, Any],
    lang: Lang,
    ref: str,
) -> str:
    """The sentence of a step of rule kind ``kind``.

    ``answers`` are the item's answer before (``None`` if it had none) and after, as
    submission data; ``points`` what it earned before and earns after; ``detail`` the
    move's facts; ``ref`` the item's id and label.
    """
    before, after = answers
    facts = _FACTS[kind](_Facts(before, after, detail), lang)
    template = STEP_TEMPLATES[kind]
    action = render(template.new if before is None else template.change, lang, facts)
    return render(
        _SENTENCE,
        lang,
        {
            "ref": ref,
            "action": action,
            "gain": format_points(points[1] - points[0], lang),
            "from_points": format_points(points[0], lang),
            "to_points": format_points(points[1], lang),
        },
    )
