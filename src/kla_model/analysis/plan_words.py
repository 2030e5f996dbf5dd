"""The bilingual sentences that sum up a plan: the way to the target, or why there is none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kla_model.analysis.goal import Held
from kla_model.analysis.wording import join, number
from kla_model.rules.model import Label, Lang
from kla_model.rules.tiers import Tier
from kla_model.scoring.results import ScoreCard
from kla_model.submissions.evidence import STAGE_LABELS

__all__ = [
    "CONDITION_SHORT",
    "FIXED",
    "REACHED",
    "SCOPE",
    "SHORT",
    "SHORT_STRICT",
    "UNREACHABLE",
    "both",
    "changes_label",
    "headline",
    "held_sentences",
    "tier_label",
]


REACHED = Label(
    id="Dari total {total}, {tier}, menuju {target} yang memerlukan total "
    "{threshold}: {changes} dengan biaya {cost}, +{gain} poin, sehingga total menjadi "
    "{new_total}, {new_tier}.",
    en="From a total of {total}, {tier}, to {target}, which needs a total {threshold}: "
    "{changes} at a cost of {cost}, +{gain} points, giving a total of {new_total}, "
    "{new_tier}.",
)
UNREACHABLE = Label(
    id="Dari total {total}, {tier}, {target} yang memerlukan total {threshold} "
    "tidak dapat dicapai.",
    en="From a total of {total}, {tier}, {target}, which needs a total {threshold}, "
    "cannot be reached.",
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
    id="Bila data dukungnya diterima, jawaban yang sudah ada akan memberi kembali {points} poin.",
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


def both(template: Label, facts: Mapping[str, Any]) -> Label:
    """``template`` in both languages; facts that are numbers are formatted per language."""

    def filled(lang: Lang) -> str:
        shown = {
            key: number(value, lang) if isinstance(value, float) else value
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


def headline(card: ScoreCard, target: Tier) -> dict[str, Any]:
    return {
        "target": target.label,
        "threshold": target.threshold,
        "total": card.total,
        "tier": tier_label(card.tier, card),
    }
