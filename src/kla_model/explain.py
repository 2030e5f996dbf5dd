"""Why a score card says what it says: sentences in Indonesian or English from its trace.

Every item's sentence says what was read, which level, band or reference it matched, what
that gave out of the maximum, and what was missing, for example::

    I.1 % of children with a birth certificate: 86.4% is in the band 75–90%, 30 of 40
    points; 90% or more would give 40.

The sentences come from templates kept as data: :data:`ITEM_TEMPLATES` has one for every
(rule kind, trace outcome) pair, in both languages, filled in with facts read from the trace
(the trace carries the labels and the next better level or band, so no ruleset is needed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from kla_model._wording import checked_lang, join, number, quoted, render, value
from kla_model.errors import KlaError
from kla_model.evidence import STAGE_LABELS
from kla_model.model import Label, Lang
from kla_model.results import GroupScore, IndicatorScore, ItemScore, ScoreCard

__all__ = [
    "FORMS",
    "ITEM_TEMPLATES",
    "MISSING",
    "READINGS",
    "SHORTS",
    "Explanation",
    "GroupReason",
    "IndicatorReason",
    "ItemReason",
    "ItemTemplate",
    "explain",
]


@attrs.frozen
class ItemTemplate:
    """The sentence for one (rule kind, outcome), and the clause saying what is missing.

    ``short`` fills ``{status}`` when the item earned less than its maximum; at the
    maximum ``{status}`` says so instead.
    """

    text: Label
    short: Label | None = None


_FULL = Label(id=", nilai maksimum", en=", the maximum")

#: What was read and matched, per rule kind: the start of every sentence about an answer.
#: Fields: ``{ref}`` the item's id and label, ``{points}`` and ``{max}``, and the facts of
#: the rule kind (see ``_FACTS``).
READINGS: Mapping[str, Label] = {
    "boolean": Label(id="dijawab {answer}", en="answered {answer}"),
    "levels": Label(id="tingkat {level}", en="level {level}"),
    "checklist": Label(
        id="{ticked} dari {options} pilihan dicentang{capped}",
        en="{ticked} of {options} options ticked{capped}",
    ),
    "bands": Label(id="{value} berada pada rentang {band}", en="{value} is in the band {band}"),
    "linear": Label(
        id="{value} pada skala dari {start} ({start_points} poin) sampai {end} ({end_points} poin)",
        en="{value} on the scale from {start} ({start_points} points) to {end} "
        "({end_points} points)",
    ),
    "reference": Label(
        id="{value} (data {year}) {comparison} angka nasional {reference} "
        "({reference_year}; {direction})",
        en="{value} ({year} data) is {comparison} the national {reference} "
        "({reference_year}; {direction})",
    ),
}

#: What would give more, per rule kind, for an item short of its maximum.
SHORTS: Mapping[str, Label] = {
    "boolean": Label(id="; jawaban ya akan memberi {max}", en="; yes would give {max}"),
    "levels": Label(
        id="; {next} akan memberi {next_points}", en="; {next} would give {next_points}"
    ),
    "checklist": Label(
        id="; mencentang juga {unticked} akan memberi {max}",
        en="; ticking {unticked} as well would give {max}",
    ),
    "bands": Label(
        id="; {reach} akan memberi {next_points}", en="; {reach} would give {next_points}"
    ),
    "linear": Label(id="; {full_value} akan memberi {max}", en="; {full_value} would give {max}"),
    "reference": Label(
        id="; {better_side} {reference} akan memberi {better_points}",
        en="; {better_side} {reference} would give {better_points}",
    ),
}

#: The sentence for an item with no answer, per rule kind (the trace holds no match).
MISSING: Mapping[str, Label] = {
    "boolean": Label(
        id="{ref}: belum dijawab, 0 dari {max} poin; jawaban ya akan memberi {max}.",
        en="{ref}: no answer, 0 of {max} points; yes would give {max}.",
    ),
    "levels": Label(
        id="{ref}: belum ada tingkat yang dipilih, 0 dari {max} poin; "
        "tingkat tertinggi akan memberi {max}.",
        en="{ref}: no level chosen, 0 of {max} points; the highest level would give {max}.",
    ),
    "checklist": Label(
        id="{ref}: belum dijawab, 0 dari {max} poin; "
        "mencentang pilihannya akan memberi hingga {max}.",
        en="{ref}: no answer, 0 of {max} points; ticking its options would give up to {max}.",
    ),
    "bands": Label(
        id="{ref}: belum ada nilai yang dilaporkan, 0 dari {max} poin; "
        "nilai pada rentang terbaik akan memberi {max}.",
        en="{ref}: no value reported, 0 of {max} points; "
        "a value in the best band would give {max}.",
    ),
    "linear": Label(
        id="{ref}: belum ada nilai yang dilaporkan, 0 dari {max} poin; "
        "nilai pada ujung skala yang berpoin penuh akan memberi {max}.",
        en="{ref}: no value reported, 0 of {max} points; "
        "a value at the full-points end of the scale would give {max}.",
    ),
    "reference": Label(
        id="{ref}: belum ada nilai yang dilaporkan, 0 dari {max} poin; "
        "nilai yang lebih baik dari angka nasional akan memberi {max}.",
        en="{ref}: no value reported, 0 of {max} points; "
        "a value better than the national figure would give {max}.",
    ),
}

#: The sentence of each trace outcome that carries a match; ``<read>`` is the kind's reading.
#: ``corrected``: a verifier replaced the declared value (fields ``{stage}``, ``{declared}``,
#: ``{reason}``); ``unverified``: the answer would give ``{would}`` but its required
#: evidence was not accepted by the stage.
FORMS: Mapping[str, ItemTemplate] = {
    "scored": ItemTemplate(
        Label(
            id="{ref}: <read>, {points} dari {max} poin{status}.",
            en="{ref}: <read>, {points} of {max} points{status}.",
        ),
        Label(id="<short>", en="<short>"),
    ),
    "corrected": ItemTemplate(
        Label(
            id="{ref}: <read>, {points} dari {max} poin{status}. Dikoreksi pada tahap {stage} "
            "dari nilai yang dinyatakan {declared}: {reason}.",
            en="{ref}: <read>, {points} of {max} points{status}. Corrected at the {stage} stage "
            "from the declared {declared}: {reason}.",
        ),
        Label(id="<short>", en="<short>"),
    ),
    "unverified": ItemTemplate(
        Label(
            id="{ref}: <read>, yang akan memberi {would} dari {max} poin, tetapi data dukung "
            "yang disyaratkan belum diterima pada tahap ini: 0 poin.",
            en="{ref}: <read>, which would give {would} of {max} points, but its required "
            "evidence has not been accepted by this stage: 0 points.",
        )
    ),
}


def _composed(form: Label, kind: str) -> Label:
    def fill(lang: Lang) -> str:
        text = form.text(lang).replace("<read>", READINGS[kind].text(lang))
        return text.replace("<short>", SHORTS[kind].text(lang))

    return Label(id=fill("id"), en=fill("en"))


def _templates() -> dict[tuple[str, str], ItemTemplate]:
    found = {(kind, "missing"): ItemTemplate(text) for kind, text in MISSING.items()}
    for outcome, form in FORMS.items():
        for kind in READINGS:
            short = None if form.short is None else _composed(form.short, kind)
            found[(kind, outcome)] = ItemTemplate(_composed(form.text, kind), short)
    return found


#: The sentence of every (rule kind, trace outcome), made from the tables above.
ITEM_TEMPLATES: Mapping[tuple[str, str], ItemTemplate] = _templates()

_YES_NO = {True: Label(id="ya", en="yes"), False: Label(id="tidak", en="no")}
_CAPPED = Label(
    id=" ({uncapped} poin dicentang, dibatasi {cap})",
    en=" ({uncapped} points ticked, capped at {cap})",
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
        "reference_year": matched["reference_year"],
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
    if isinstance(data, list):
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


def _outcome_facts(item: ItemScore, lang: Lang) -> dict[str, Any]:
    """The facts a verification outcome adds: the correction, or the points withheld."""
    if item.outcome == "corrected" and item.correction is not None:
        correction = item.correction
        stage = STAGE_LABELS.get(correction["stage"])
        return {
            "stage": correction["stage"] if stage is None else stage.text(lang).lower(),
            "declared": _answer_text(correction["declared"], item.matched.get("unit"), lang),
            "reason": correction.get("reason") or "-",
        }
    if item.outcome == "unverified":
        return {"would": number(_WOULD[item.kind](item), lang)}
    return {}


def item_sentence(item: ItemScore, lang: Lang, ref: str | None = None) -> str:
    """The sentence explaining ``item``; ``ref`` replaces its ``id label`` lead."""
    template = ITEM_TEMPLATES[(item.kind, item.outcome)]
    facts: dict[str, Any] = {
        "ref": ref or f"{item.id} {item.label.text(lang)}",
        "points": number(item.points, lang),
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
        status = render(_FULL if at_max else template.short, lang, facts)
    return render(template.text, lang, facts | {"status": status})


_INDICATOR = Label(
    id="{ref}: {points} dari {max} poin dari {count} butir{status}.",
    en="{ref}: {points} of {max} points from {count} items{status}.",
)
_INDICATOR_SHORT = Label(
    id="; {open} poin masih terbuka pada {where}", en="; {open} points still open in {where}"
)
_UNANSWERED = Label(
    id="{ref}: belum dijawab, 0 dari {max} poin.", en="{ref}: not answered, 0 of {max} points."
)
_GROUP = Label(
    id="{ref}: {points} dari {max} poin{status}.", en="{ref}: {points} of {max} points{status}."
)
_GROUP_SHORT = Label(id="; {open} poin masih terbuka", en="; {open} points still open")


def _indicator_sentence(indicator: IndicatorScore, lang: Lang) -> str:
    ref = f"{indicator.id} {indicator.label.text(lang)}"
    if len(indicator.items) == 1:
        return item_sentence(indicator.items[0], lang, ref)
    facts: dict[str, Any] = {
        "ref": ref,
        "points": number(indicator.points, lang),
        "max": number(indicator.max, lang),
        "count": len(indicator.items),
    }
    if not indicator.answered:
        return render(_UNANSWERED, lang, facts)
    open_items = [item.id for item in indicator.items if item.points < item.max]
    status = render(_FULL, lang, facts)
    if open_items:
        gap = {
            "open": number(indicator.max - indicator.points, lang),
            "where": join(open_items, lang),
        }
        status = render(_INDICATOR_SHORT, lang, gap)
    return render(_INDICATOR, lang, facts | {"status": status})


def _group_sentence(group: GroupScore, lang: Lang) -> str:
    facts = {
        "ref": group.label.text(lang),
        "points": number(group.points, lang),
        "max": number(group.max, lang),
        "open": number(group.max - group.points, lang),
    }
    status = _FULL if group.points >= group.max else _GROUP_SHORT
    return render(_GROUP, lang, facts | {"status": render(status, lang, facts)})


_SUMMARY = Label(
    id="{region}, tahun evaluasi {year}, {stage}: {total} dari {max} poin, {tier}{next}.",
    en="{region}, evaluation round {year}, {stage}: {total} of {max} points, {tier}{next}.",
)
_THRESHOLD = Label(
    id="peringkat {tier}, dengan ambang total {threshold}",
    en="tier {tier}, whose threshold is a total {threshold}",
)
_NEXT = {
    True: Label(
        id="; {next_tier} memerlukan total {threshold}: perlu tambahan {short} poin",
        en="; {next_tier} needs a total {threshold}: it takes {short} more points",
    ),
    False: Label(
        id="; {next_tier} memerlukan total {threshold}: perlu tambahan lebih dari {short} poin",
        en="; {next_tier} needs a total {threshold}: it takes more than {short} more points",
    ),
}
_TOP = Label(id="; itu peringkat tertinggi", en="; that is the top tier")
_CONDITION = Label(
    id="{tier} juga mensyaratkan {scope} {id} mendapat sekurang-kurangnya {min} poin; "
    "saat ini {points}.",
    en="{tier} also requires {scope} {id} to score at least {min} points; it scores {points}.",
)
_SCOPE = {
    "indicator": Label(id="indikator", en="indicator"),
    "group": Label(id="kelompok", en="group"),
}
_MISSING = Label(id="Indikator belum dijawab: {ids}.", en="Indicators not answered: {ids}.")


def _summary(card: ScoreCard, lang: Lang) -> tuple[str, ...]:
    tier = card.tier_label.text(lang)
    if card.tier is not None:
        tier = render(_THRESHOLD, lang, {"tier": tier, "threshold": card.tier.threshold})
    following = render(_TOP, lang, {})
    if card.next_tier is not None:
        upcoming = {
            "next_tier": card.next_tier.label.text(lang),
            "threshold": card.next_tier.threshold,
            "short": number(card.points_to_next_tier or 0.0, lang),
        }
        following = render(_NEXT[card.next_tier.min_inclusive], lang, upcoming)
    stage = STAGE_LABELS.get(card.stage)
    facts: dict[str, Any] = {
        "region": card.region.name,
        "year": card.year,
        "stage": card.stage if stage is None else stage.text(lang).lower(),
        "total": number(card.total, lang),
        "max": number(card.max_score, lang),
        "tier": tier,
        "next": following,
    }
    sentences = [render(_SUMMARY, lang, facts)]
    for entry in card.eligibility:
        for failed in entry.failed:
            condition = failed.condition
            facts = {
                "tier": entry.tier.label.text(lang),
                "scope": _SCOPE[condition.scope].text(lang),
                "id": condition.id,
                "min": number(condition.min_points, lang),
                "points": number(failed.points, lang),
            }
            sentences.append(render(_CONDITION, lang, facts))
    if card.missing:
        sentences.append(render(_MISSING, lang, {"ids": join(list(card.missing), lang)}))
    return tuple(sentences)


@attrs.frozen
class ItemReason:
    """The sentence about one item."""

    id: str
    kind: str
    outcome: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "outcome": self.outcome, "text": self.text}


@attrs.frozen
class IndicatorReason:
    """The sentence about one indicator, and those about its items."""

    id: str
    text: str
    items: tuple[ItemReason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "items": [item.to_dict() for item in self.items]}


@attrs.frozen
class GroupReason:
    """The sentence about one group, and those about its indicators."""

    id: str
    text: str
    indicators: tuple[IndicatorReason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "indicators": [indicator.to_dict() for indicator in self.indicators],
        }


@attrs.frozen
class Explanation:
    """A score card in sentences: the card as a whole, then per group, indicator and item."""

    lang: Lang
    summary: tuple[str, ...]
    groups: tuple[GroupReason, ...]

    def lines(self) -> list[str]:
        """The sentences, indented by level; a one-item indicator's item is not repeated."""
        lines = list(self.summary)
        for group in self.groups:
            lines += ["", group.text]
            for indicator in group.indicators:
                lines.append(f"  {indicator.text}")
                if len(indicator.items) > 1:
                    lines += [f"    {item.text}" for item in indicator.items]
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "summary": list(self.summary),
            "groups": [group.to_dict() for group in self.groups],
        }


def _indicator_reason(indicator: IndicatorScore, lang: Lang) -> IndicatorReason:
    items = tuple(
        ItemReason(item.id, item.kind, item.outcome, item_sentence(item, lang))
        for item in indicator.items
    )
    return IndicatorReason(indicator.id, _indicator_sentence(indicator, lang), items)


def explain(card: ScoreCard, lang: str = "id") -> Explanation:
    """Sentences in ``lang`` (``id`` Indonesian, ``en`` English) explaining ``card``."""
    chosen = checked_lang(lang)
    groups = tuple(
        GroupReason(
            group.id,
            _group_sentence(group, chosen),
            tuple(_indicator_reason(indicator, chosen) for indicator in group.indicators),
        )
        for group in card.groups
    )
    return Explanation(chosen, _summary(card, chosen), groups)
