"""One item's sentence: the facts each rule kind reads from the trace, put in its template.

The trace carries what a sentence needs (labels, the next better level or band, anchors,
reference points), so an item is explained from its score card alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kla_model.analysis.explain_templates import FULL, ITEM_TEMPLATES
from kla_model.analysis.wording import join, number, points, quoted, render, value
from kla_model.errors import KlaError
from kla_model.rules.model import Label, Lang
from kla_model.scoring.results import ItemScore
from kla_model.submissions.evidence import STAGE_LABELS

__all__ = ["item_sentence"]


_YES_NO = {True: Label(id="ya", en="yes"), False: Label(id="tidak", en="no")}
_CAPPED = Label(
    id=" (pilihan yang dicentang bernilai {uncapped} poin, dibatasi {cap})",
    en=" (the ticked options are worth {uncapped} points, capped at {cap})",
)
_COMPARISON = {
    ("lower_is_better", "better"): Label(id="di bawah", en="below"),
    ("lower_is_better", "worse"): Label(id="di atas", en="above"),
    ("higher_is_better", "better"): Label(id="di atas", en="above"),
    ("higher_is_better", "worse"): Label(id="di bawah", en="below"),
}
_EQUAL = Label(id="sama dengan", en="equal to")
_DIRECTION = {
    "lower_is_better": Label(id="semakin rendah semakin baik", en="lower is better"),
    "higher_is_better": Label(id="semakin tinggi semakin baik", en="higher is better"),
}
#: How to name a band to reach: (direction, the last band that way, its end inclusive).
_REACH_ONWARD = {
    (True, True): Label(id="{min} atau lebih", en="{min} or more"),
    (True, False): Label(id="lebih dari {min}", en="more than {min}"),
    (False, True): Label(id="{max} atau kurang", en="{max} or less"),
    (False, False): Label(id="kurang dari {max}", en="less than {max}"),
}
_FROM = {
    True: Label(id="dari {min}", en="from {min}"),
    False: Label(id="di atas {min}", en="above {min}"),
}
_TO = {
    True: Label(id="sampai {max}", en="to {max}"),
    False: Label(id="sampai kurang dari {max}", en="to under {max}"),
}
_A_VALUE = Label(id="nilai {lower} {upper}", en="a value {lower} {upper}")


def _measured(item: ItemScore) -> tuple[float, int | None]:
    data = item.input
    return float(data["value"]), data.get("data_year")


def _boolean_facts(item: ItemScore, lang: Lang) -> dict[str, Any]:
    return {"answer": _YES_NO[item.input is True].text(lang)}


def _levels_facts(item: ItemScore, lang: Lang) -> dict[str, Any]:
    upgrade = item.matched.get("next")
    facts = {"level": quoted(item.matched["label"], lang)}
    if upgrade is not None:
        facts |= {
            "next": quoted(upgrade["label"], lang),
            "next_points": number(upgrade["points"], lang),
        }
    return facts


def _checklist_facts(item: ItemScore, lang: Lang) -> dict[str, Any]:
    matched = item.matched
    ticked, unticked = matched["ticked"], matched["unticked_options"]
    capped = ""
    if matched["cap"] is not None and matched["uncapped"] > matched["cap"]:
        numbers = {
            "uncapped": number(matched["uncapped"], lang),
            "cap": number(matched["cap"], lang),
        }
        capped = render(_CAPPED, lang, numbers)
    return {
        "ticked": len(ticked),
        "options": len(ticked) + len(unticked),
        "capped": capped,
        "unticked": join([quoted(option["label"], lang) for option in unticked], lang),
    }


def _reach(band: Mapping[str, Any], unit: str, lang: Lang) -> str:
    ends = {"min": value(band["min"], unit, lang), "max": value(band["max"], unit, lang)}
    if band["onward"]:
        inclusive = band["min_inclusive"] if band["above"] else band["max_inclusive"]
        return render(_REACH_ONWARD[(band["above"], inclusive)], lang, ends)
    lower = render(_FROM[band["min_inclusive"]], lang, ends)
    upper = render(_TO[band["max_inclusive"]], lang, ends)
    return render(_A_VALUE, lang, {"lower": lower, "upper": upper})


def _bands_facts(item: ItemScore, lang: Lang) -> dict[str, Any]:
    matched, unit = item.matched, item.matched["unit"]
    bounds = matched["bounds"]
    facts = {
        "value": value(_measured(item)[0], unit, lang),
        "band": f"{number(bounds['min'], lang)}–{value(bounds['max'], unit, lang)}",
    }
    upgrade = matched["next"]
    if upgrade is not None:
        facts |= {
            "reach": _reach(upgrade, unit, lang),
            "next_points": number(upgrade["points"], lang),
        }
    return facts


def _linear_facts(item: ItemScore, lang: Lang) -> dict[str, Any]:
    matched, unit = item.matched, item.matched["unit"]
    start, end = matched["from"], matched["to"]
    full = end if end["points"] >= start["points"] else start
    return {
        "value": value(_measured(item)[0], unit, lang),
        "start": value(start["value"], unit, lang),
        "start_points": number(start["points"], lang),
        "end": value(end["value"], unit, lang),
        "end_points": number(end["points"], lang),
        "full_value": value(full["value"], unit, lang),
    }


_CARRIED = Label(
    id="{used}, karena belum ada angka nasional {year} yang tercatat",
    en="{used}, as no national figure for {year} is recorded",
)


def _reference_year(used: int, year: int | None, lang: Lang) -> str:
    """The year of the reference figure compared with, saying so when it is not the value's
    own data year (a year without a published figure takes the latest before it)."""
    if year is None or year == used:
        return str(used)
    return render(_CARRIED, lang, {"used": used, "year": year})


def _reference_facts(item: ItemScore, lang: Lang) -> dict[str, Any]:
    matched, unit = item.matched, item.matched["unit"]
    amount, year = _measured(item)
    direction, comparison = matched["direction"], matched["comparison"]
    said = _EQUAL if comparison == "equal" else _COMPARISON[(direction, comparison)]
    return {
        "value": value(amount, unit, lang),
        "year": year,
        "comparison": said.text(lang),
        "reference": value(matched["reference_value"], unit, lang),
        "reference_year": _reference_year(matched["reference_year"], year, lang),
        "direction": _DIRECTION[direction].text(lang),
        "better_side": _COMPARISON[(direction, "better")].text(lang),
        "better_points": number(matched["points"]["better"], lang),
    }


#: The facts each rule kind reads from a trace (for outcomes that carry a match).
_FACTS: Mapping[str, Callable[[ItemScore, Lang], dict[str, Any]]] = {
    "boolean": _boolean_facts,
    "levels": _levels_facts,
    "checklist": _checklist_facts,
    "bands": _bands_facts,
    "linear": _linear_facts,
    "reference": _reference_facts,
}


def _answer_text(data: Any, unit: str | None, lang: Lang) -> str:
    """An answer as submitted (plain data), in words."""
    if isinstance(data, bool):
        return _YES_NO[data].text(lang)
    if isinstance(data, str):
        return f"'{data}'"
    if isinstance(data, list | tuple):
        return join([f"'{entry}'" for entry in data], lang)
    if isinstance(data, dict) and "value" in data:
        return value(float(data["value"]), unit or "number", lang)
    return "-"


def _would_linear(item: ItemScore) -> float:
    start, end, share = item.matched["from"], item.matched["to"], item.matched["share"]
    points = start["points"] + share * (end["points"] - start["points"])
    return float(min(max(points, min(start["points"], end["points"])), item.max))


def _would_checklist(item: ItemScore) -> float:
    cap, uncapped = item.matched["cap"], item.matched["uncapped"]
    return float(uncapped if cap is None else min(uncapped, cap))


#: The points an answer would earn by its rule alone, read from the trace, per rule kind.
_WOULD: Mapping[str, Callable[[ItemScore], float]] = {
    "boolean": lambda item: item.max if item.input is True else 0.0,
    "levels": lambda item: float(item.matched["points"]),
    "checklist": _would_checklist,
    "bands": lambda item: float(item.matched["points"]),
    "linear": _would_linear,
    "reference": lambda item: float(item.matched["points"][item.matched["comparison"]]),
}


def _reason(reason: Any, lang: Lang) -> str:
    """A verifier's reason in ``lang``: written in both languages, or as written."""
    if isinstance(reason, Mapping):
        return str(reason.get(lang) or reason.get("id") or "-")
    return str(reason or "-")


def _outcome_facts(item: ItemScore, lang: Lang) -> dict[str, Any]:
    """The facts a verification outcome adds: the correction, or the points withheld."""
    if item.outcome == "corrected" and item.correction is not None:
        correction = item.correction
        stage = STAGE_LABELS.get(correction["stage"])
        return {
            "stage": correction["stage"] if stage is None else stage.text(lang).lower(),
            "declared": _answer_text(correction["declared"], item.matched.get("unit"), lang),
            "reason": _reason(correction.get("reason"), lang),
        }
    if item.outcome == "unverified":
        return {"would": points(_WOULD[item.kind](item), lang)}
    return {}


def item_sentence(item: ItemScore, lang: Lang, ref: str | None = None) -> str:
    """The sentence explaining ``item``; ``ref`` replaces its ``id label`` lead."""
    template = ITEM_TEMPLATES[(item.kind, item.outcome)]
    facts: dict[str, Any] = {
        "ref": ref or f"{item.id} {item.label.text(lang)}",
        "points": points(item.points, lang),
        "max": number(item.max, lang),
    }
    if item.matched:
        try:
            facts |= _FACTS[item.kind](item, lang) | _outcome_facts(item, lang)
        except KeyError as missing:
            # A card made before the trace carried these facts (read back from old JSON).
            raise KlaError(
                f"explain: item {item.id}: expected the trace to hold {missing}; found only "
                f"{', '.join(sorted(item.matched))}: score the submission again to explain it"
            ) from None
    status = ""
    if template.short is not None:
        at_max = item.points >= item.max
        status = render(FULL if at_max else template.short, lang, facts)
    return render(template.text, lang, facts | {"status": status})
