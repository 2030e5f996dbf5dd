"""The sentence templates of an explained item, per rule kind and trace outcome, as data.

Four tables, in Indonesian and English:

- :data:`READINGS`: what was read and matched ("86.4% is in the band 75–90%");
- :data:`SHORTS`: what would give more ("90% or more would give 40");
- :data:`MISSING`: the sentence for an item with no answer;
- :data:`FORMS`: how a reading becomes a sentence for each trace outcome that carries a
  match (``scored``, ``corrected``, ``unverified``).

:data:`ITEM_TEMPLATES` is made from them: one template for every (rule kind, outcome).  A new
rule kind needs a reading, a clause and a missing sentence; a new outcome needs a form.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from kla_model.rules.model import Label, Lang

__all__ = ["FORMS", "FULL", "ITEM_TEMPLATES", "MISSING", "READINGS", "SHORTS", "ItemTemplate"]


@attrs.frozen
class ItemTemplate:
    """The sentence for one (rule kind, outcome), and the clause saying what is missing.

    ``short`` fills ``{status}`` when the item earned less than its maximum; at the
    maximum ``{status}`` says so instead.
    """

    text: Label
    short: Label | None = None


#: The clause for an item at its maximum.
FULL = Label(id=", nilai maksimum", en=", the maximum")

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

#: What would give more, per rule kind, for an item short of its maximum.  Indonesian states
#: the condition and its points ("bila dijawab ya: 4 poin"); English says what would give them.
SHORTS: Mapping[str, Label] = {
    "boolean": Label(id="; bila dijawab ya: {max} poin", en="; yes would give {max} points"),
    "levels": Label(
        id="; pada tingkat {next}: {next_points} poin",
        en="; {next} would give {next_points} points",
    ),
    "checklist": Label(
        id="; bila {unticked} juga dicentang: {max} poin",
        en="; ticking {unticked} as well would give {max} points",
    ),
    "bands": Label(
        id="; dengan {reach}: {next_points} poin", en="; {reach} would give {next_points} points"
    ),
    "linear": Label(
        id="; dengan {full_value}: {max} poin", en="; {full_value} would give {max} points"
    ),
    "reference": Label(
        id="; bila {better_side} {reference}: {better_points} poin",
        en="; {better_side} {reference} would give {better_points} points",
    ),
}

#: The sentence for an item with no answer, per rule kind (the trace holds no match).
MISSING: Mapping[str, Label] = {
    "boolean": Label(
        id="{ref}: belum dijawab, 0,00 dari {max} poin; bila dijawab ya: {max} poin.",
        en="{ref}: no answer, 0.00 of {max} points; yes would give {max} points.",
    ),
    "levels": Label(
        id="{ref}: belum ada tingkat yang dipilih, 0,00 dari {max} poin; "
        "pada tingkat tertinggi: {max} poin.",
        en="{ref}: no level chosen, 0.00 of {max} points; "
        "the highest level would give {max} points.",
    ),
    "checklist": Label(
        id="{ref}: belum dijawab, 0,00 dari {max} poin; "
        "bila pilihannya dicentang: sampai {max} poin.",
        en="{ref}: no answer, 0.00 of {max} points; ticking its options would give up to "
        "{max} points.",
    ),
    "bands": Label(
        id="{ref}: belum ada nilai yang dilaporkan, 0,00 dari {max} poin; "
        "dengan nilai pada rentang terbaik: {max} poin.",
        en="{ref}: no value reported, 0.00 of {max} points; "
        "a value in the best band would give {max} points.",
    ),
    "linear": Label(
        id="{ref}: belum ada nilai yang dilaporkan, 0,00 dari {max} poin; "
        "dengan nilai pada ujung skala yang berpoin penuh: {max} poin.",
        en="{ref}: no value reported, 0.00 of {max} points; "
        "a value at the full-points end of the scale would give {max} points.",
    ),
    "reference": Label(
        id="{ref}: belum ada nilai yang dilaporkan, 0,00 dari {max} poin; "
        "bila nilainya lebih baik dari angka nasional: {max} poin.",
        en="{ref}: no value reported, 0.00 of {max} points; "
        "a value better than the national figure would give {max} points.",
    ),
}

#: The sentence of each trace outcome that carries a match; ``<read>`` is the kind's reading.
#: ``corrected``: a verifier replaced the declared value (fields ``{stage}``, ``{declared}``,
#: ``{reason}``); ``unverified``: the answer would earn ``{would}`` but its required
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
            id="{ref}: <read>; data dukung yang disyaratkan belum diterima pada tahap ini, "
            "sehingga 0,00 dari {max} poin (bila diterima: {would} poin).",
            en="{ref}: <read>, which would give {would} of {max} points, but its required "
            "evidence has not been accepted by this stage: 0.00 points.",
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
