"""The bilingual sentences that sum up a plan: the way to the target, or why there is none."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kla_model._base.text import format_exact
from kla_model.analysis.goal import Held
from kla_model.analysis.wording import join, number, points
from kla_model.rules.model import Label, Lang
from kla_model.rules.tiers import Tier
from kla_model.scoring.results import ScoreCard
from kla_model.submissions.evidence import STAGE_LABELS

__all__ = [
    "CONDITION_SHORT",
    "FIXED",
    "HELD_FIXED",
    "POINT_FACTS",
    "REACHED",
    "SCOPE",
    "SHORT",
    "SHORT_STRICT",
    "THRESHOLD",
    "UNREACHABLE",
    "both",
    "changes_label",
    "fixed_sentences",
    "headline",
    "held_sentences",
    "provenance",
    "tier_label",
]


REACHED = Label(
    id="Dari total {total}, {tier}, menuju {target} yang memerlukan {threshold}: "
    "{changes} dengan biaya {cost}, +{gain} poin, sehingga total menjadi "
    "{new_total}, {new_tier}.",
    en="From a total of {total}, {tier}, to {target}, which needs {threshold}: "
    "{changes} at a cost of {cost}, +{gain} points, giving a total of {new_total}, "
    "{new_tier}.",
)
UNREACHABLE = Label(
    id="Dari total {total}, {tier}, {target} yang memerlukan {threshold} tidak dapat dicapai.",
    en="From a total of {total}, {tier}, {target}, which needs {threshold}, cannot be reached.",
)
#: A tier's threshold in words: ``≥`` is "at least", ``>`` is "more than".
THRESHOLD = {
    True: Label(id="total sekurang-kurangnya {min}", en="a total of at least {min}"),
    False: Label(id="total lebih dari {min}", en="a total of more than {min}"),
}
HELD_FIXED = Label(
    id="Ditetapkan tetap (fixed), sehingga rencana ini tidak mengubahnya: {ids}.",
    en="Held fixed, so this plan leaves them unchanged: {ids}.",
)
SHORT = Label(
    id="Dengan semua perubahan yang diizinkan, total paling tinggi {best}, "
    "{short} poin di bawah {min}.",
    en="With every change allowed the total is at most {best}, {short} points below {min}.",
)
SHORT_STRICT = Label(
    id="Dengan semua perubahan yang diizinkan, total paling tinggi {best}, "
    "padahal harus lebih dari {min}.",
    en="With every change allowed the total is at most {best}, and it must be more than {min}.",
)
CONDITION_SHORT = Label(
    id="{tier} mensyaratkan {scope} {id} mendapat sekurang-kurangnya {min} poin; "
    "paling tinggi {best} (kurang {short}).",
    en="{tier} requires {scope} {id} to score at least {min} points; "
    "it can reach at most {best} ({short} short).",
)
SCOPE = {
    "indicator": Label(id="indikator", en="indicator"),
    "group": Label(id="kelompok", en="group"),
}
FIXED = Label(
    id="Tanpa butir yang ditetapkan tidak berubah, peringkat ini dapat dicapai.",
    en="Without the ids fixed as unchangeable, the tier could be reached.",
)


_NEEDS_EVIDENCE = Label(
    id="Pada tahap {stage}, {count} butir hanya dihitung dengan data dukung yang diterima, "
    "sehingga rencana ini membiarkannya: {ids}.",
    en="At the {stage} stage, {count} items count only with accepted evidence, so the plan "
    "leaves them as they are: {ids}.",
)
_WITHHELD = Label(
    id="Bila data dukungnya diterima, jawaban yang sudah ada menambah kembali {points} poin.",
    en="With their evidence accepted, the answers already given would bring back {points} points.",
)
_CORRECTED = Label(
    id="Nilai yang dikoreksi verifikator tetap berlaku: {ids}.",
    en="The values the verifiers corrected stand: {ids}.",
)


def held_sentences(card: ScoreCard, held: Held) -> list[Label]:
    stage = STAGE_LABELS.get(card.stage, Label(id=card.stage, en=card.stage))
    stage_name = Label(id=stage.id.lower(), en=stage.en.lower())
    sentences = []
    if held.needs_evidence:
        facts = {"stage": stage_name, "count": str(len(held.needs_evidence))}
        ids = Label(
            id=join(list(held.needs_evidence), "id"), en=join(list(held.needs_evidence), "en")
        )
        sentences.append(both(_NEEDS_EVIDENCE, facts | {"ids": ids}))
    if held.withheld > 0:
        sentences.append(both(_WITHHELD, {"points": held.withheld}))
    if held.corrected:
        ids = Label(id=join(list(held.corrected), "id"), en=join(list(held.corrected), "en"))
        sentences.append(both(_CORRECTED, {"ids": ids}))
    return sentences


#: The facts that are a district's points (two decimals, 809,50); ``min``, a threshold or a
#: must-pass minimum, is written as the ruleset writes it (30,333, never rounded); other
#: numbers (costs) with at most two decimals.
POINT_FACTS = frozenset({"total", "new_total", "gain", "best", "short", "points"})


def _shown(key: str, value: float, lang: Lang) -> str:
    if key in POINT_FACTS:
        return points(value, lang)
    return format_exact(value, lang) if key == "min" else number(value, lang)


def both(template: Label, facts: Mapping[str, Any]) -> Label:
    """``template`` in both languages; facts that are numbers are formatted per language."""

    def filled(lang: Lang) -> str:
        shown = {
            key: _shown(key, value, lang) if isinstance(value, float) else value
            for key, value in facts.items()
        }
        shown |= {key: value.text(lang) for key, value in facts.items() if isinstance(value, Label)}
        return template.text(lang).format_map(shown)

    return Label(id=filled("id"), en=filled("en"))


def changes_label(count: int) -> Label:
    return Label(id=f"{count} perubahan", en=f"{count} change{'' if count == 1 else 's'}")


def tier_label(tier: Tier | None, card: ScoreCard) -> Label:
    """``tier Nindya`` (``peringkat Nindya``), or the scale's label for no tier."""
    if tier is None:
        return card.none_label
    return Label(id=f"peringkat {tier.label.id}", en=f"tier {tier.label.en}")


def provenance(card: ScoreCard) -> Label:
    """The sentence naming the ruleset, its version and its status, in both languages."""
    return Label(id=card.ruleset.provenance("id"), en=card.ruleset.provenance("en"))


def fixed_sentences(fixed: Sequence[str]) -> list[Label]:
    """What the cost file (or ``fixed=``) held fixed, if anything."""
    if not fixed:
        return []
    ids = Label(id=join(list(fixed), "id"), en=join(list(fixed), "en"))
    return [both(HELD_FIXED, {"ids": ids})]


def headline(card: ScoreCard, target: Tier) -> dict[str, Any]:
    return {
        "target": target.label,
        "threshold": both(THRESHOLD[target.min_inclusive], {"min": float(target.min)}),
        "total": card.total,
        "tier": tier_label(card.tier, card),
    }
