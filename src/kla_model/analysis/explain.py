"""Why a score card says what it says: sentences in Indonesian or English from its trace.

Every item's sentence says what was read, which level, band or reference it matched, what
that gave out of the maximum, and what was missing, for example::

    I.1 % of children with a birth certificate: 86.4% is in the band 75–90%, 30.00 of 40
    points; 90% or more would give 40.

The sentences come from templates kept as data (:mod:`kla_model.analysis.explain_templates`),
one for every (rule kind, trace outcome) pair, in both languages, filled in with facts read
from the trace (:mod:`kla_model.analysis.item_facts`): the trace carries the labels and the
next better level or band, so no ruleset is needed. This module adds the sentences about
indicators, groups and the card as a whole.
"""

from __future__ import annotations

from typing import Any

import attrs

from kla_model._base.untrusted import terminal_safe
from kla_model.analysis.explain_templates import (
    FORMS,
    FULL,
    ITEM_TEMPLATES,
    MISSING,
    READINGS,
    SHORTS,
    ItemTemplate,
)
from kla_model.analysis.item_facts import item_sentence
from kla_model.analysis.wording import checked_lang, join, number, points, render
from kla_model.rules.model import Label, Lang
from kla_model.scoring.results import GroupScore, IndicatorScore, RuleSetRef, ScoreCard
from kla_model.submissions.evidence import STAGE_LABELS

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
    "item_sentence",
]


_INDICATOR = Label(
    id="{ref}: {points} dari {max} poin ({count} butir){status}.",
    en="{ref}: {points} of {max} points ({count} items){status}.",
)
_INDICATOR_SHORT = Label(
    id="; {open} poin belum diperoleh, pada {where}",
    en="; {open} points not yet earned, in {where}",
)
_UNANSWERED = Label(
    id="{ref}: belum dijawab, 0,00 dari {max} poin.",
    en="{ref}: not answered, 0.00 of {max} points.",
)
_GROUP = Label(
    id="{ref}: {points} dari {max} poin{status}.", en="{ref}: {points} of {max} points{status}."
)
_GROUP_SHORT = Label(id="; {open} poin belum diperoleh", en="; {open} points not yet earned")


def _indicator_sentence(indicator: IndicatorScore, lang: Lang) -> str:
    ref = f"{indicator.id} {indicator.label.text(lang)}"
    if len(indicator.items) == 1:
        return item_sentence(indicator.items[0], lang, ref)
    facts: dict[str, Any] = {
        "ref": ref,
        "points": points(indicator.points, lang),
        "max": number(indicator.max, lang),
        "count": len(indicator.items),
    }
    if not indicator.answered:
        return render(_UNANSWERED, lang, facts)
    open_items = [item.id for item in indicator.items if item.points < item.max]
    status = render(FULL, lang, facts)
    if open_items:
        gap = {
            "open": points(indicator.max - indicator.points, lang),
            "where": join(open_items, lang),
        }
        status = render(_INDICATOR_SHORT, lang, gap)
    return render(_INDICATOR, lang, facts | {"status": status})


def _group_sentence(group: GroupScore, lang: Lang) -> str:
    facts = {
        "ref": group.label.text(lang),
        "points": points(group.points, lang),
        "max": number(group.max, lang),
        "open": points(group.max - group.points, lang),
    }
    status = FULL if group.points >= group.max else _GROUP_SHORT
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
        id="; {next_tier} memerlukan total {threshold}: perlu tambahan sekurang-kurangnya "
        "{short} poin",
        en="; {next_tier} needs a total {threshold}: it takes at least {short} more points",
    ),
    False: Label(
        id="; {next_tier} memerlukan total {threshold}: perlu tambahan lebih dari {short} poin",
        en="; {next_tier} needs a total {threshold}: it takes more than {short} more points",
    ),
}
_BLOCKED = Label(
    id="; {next_tier} memerlukan total {threshold}: totalnya sudah cukup, tetapi syaratnya "
    "belum terpenuhi",
    en="; {next_tier} needs a total {threshold}: the total is enough, but its conditions "
    "are not met",
)
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
        tier = render(_THRESHOLD, lang, {"tier": tier, "threshold": card.tier.threshold_in(lang)})
    following = render(_TOP, lang, {})
    if card.next_tier is not None:
        upcoming = {
            "next_tier": card.next_tier.label.text(lang),
            "threshold": card.next_tier.threshold_in(lang),
            "short": points(card.points_to_next_tier or 0.0, lang),
        }
        template = _NEXT[card.next_tier.min_inclusive]
        if card.next_tier_blocked_by:
            template = _BLOCKED
        following = render(template, lang, upcoming)
    stage = STAGE_LABELS.get(card.stage)
    facts: dict[str, Any] = {
        "region": card.region.name,
        "year": card.year,
        "stage": card.stage if stage is None else stage.text(lang).lower(),
        "total": points(card.total, lang),
        "max": number(card.max_score, lang),
        "tier": tier,
        "next": following,
    }
    sentences = [card.ruleset.provenance(lang), render(_SUMMARY, lang, facts)]
    for entry in card.eligibility:
        for failed in entry.failed:
            condition = failed.condition
            facts = {
                "tier": entry.tier.label.text(lang),
                "scope": _SCOPE[condition.scope].text(lang),
                "id": condition.id,
                "min": number(condition.min_points, lang),
                "points": points(failed.points, lang),
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
    """A score card in sentences: the card as a whole, then per group, indicator and item.

    The first sentence of ``summary`` names the ruleset, its version and its status, so the
    points are never read as more official than they are.
    """

    lang: Lang
    summary: tuple[str, ...]
    groups: tuple[GroupReason, ...]
    ruleset: RuleSetRef

    def __repr__(self) -> str:
        count = sum(len(group.indicators) for group in self.groups)
        return (
            f"<Explanation {self.lang} · {self.ruleset.id} {self.ruleset.version} "
            f"({self.ruleset.status}) · {len(self.groups)} groups, {count} indicators: "
            f"{self.summary[1] if len(self.summary) > 1 else ''}>"
        )

    def lines(self) -> list[str]:
        """The sentences, indented by level; a one-item indicator's item is not repeated."""
        lines = list(self.summary)
        for group in self.groups:
            lines += ["", group.text]
            for indicator in group.indicators:
                lines.append(f"  {indicator.text}")
                if len(indicator.items) > 1:
                    lines += [f"    {item.text}" for item in indicator.items]
        return [terminal_safe(line) for line in lines]

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def to_dict(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset.to_dict(),
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
    return Explanation(chosen, _summary(card, chosen), groups, card.ruleset)
