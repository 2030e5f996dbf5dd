"""Plain-text views of score cards, stages and evidence reports, Indonesian first with
English beside it.  Every view returns text with nothing a terminal would act on
(:func:`~kla_model._base.untrusted.terminal_safe`): names come from submissions."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from kla_model._base.display import register_text
from kla_model._base.text import format_number, format_points, format_signed, table
from kla_model._base.untrusted import terminal_safe
from kla_model.rules.model import Lang
from kla_model.scoring.results import ScoreCard
from kla_model.submissions.evidence import STAGE_LABELS

if TYPE_CHECKING:  # annotations only: `kla score` shows a card without importing these
    from kla_model.scoring.stages import ItemChange, StageChange, StageHistory
    from kla_model.submissions.completeness import EvidenceReport

__all__ = [
    "card_text",
    "evidence_text",
    "format_points",
    "next_tier_words",
    "stages_text",
    "table",
]


def next_tier_words(card: ScoreCard) -> tuple[str, str] | None:
    """The way to the next tier, (Indonesian, English), read as its threshold says:
    "at least" for ``≥``, "more than" for ``>``; when the total is enough but a must-pass
    condition fails, that.  ``None`` at the top tier."""
    tier = card.next_tier
    if tier is None:
        return None
    gap = card.points_to_next_tier or 0.0
    if card.next_tier_blocked_by and not gap:
        return "total sudah cukup, syaratnya belum", "the total is enough, its conditions are not"
    short_id, short_en = format_points(gap, "id"), format_points(gap, "en")
    if tier.min_inclusive:
        return f"sekurang-kurangnya {short_id} poin lagi", f"at least {short_en} more points"
    return f"lebih dari {short_id} poin lagi", f"more than {short_en} more points"


def _next_tier_line(card: ScoreCard) -> str:
    words = next_tier_words(card)
    if card.next_tier is None or words is None:
        return "Peringkat tertinggi tercapai / Top tier reached"
    head = f"Menuju {card.next_tier.label.id} (total {card.next_tier.threshold_in('id')})"
    return f"{head}: {words[0]} / {words[1]}"


def card_text(card: ScoreCard) -> str:
    """A score card as a table of the groups, the total, the tier and the way to the next."""
    region = card.region
    ruleset = card.ruleset
    lines = [
        f"{region.name} ({region.kind}, {region.province}) · tahun evaluasi / round {card.year}"
        f" · tahap / stage: {STAGE_LABELS[card.stage]}",
        f"Aturan / Ruleset: {ruleset.id} {ruleset.version} ({ruleset.status})",
    ]
    parent = ruleset.extends
    while parent is not None:
        lines.append(f"  memperluas / extends: {parent.id} {parent.version} ({parent.status})")
        parent = parent.extends
    lines.append("")
    rows = []
    for group in card.groups:
        rows.append([group.label.id, format_points(group.points), format_number(group.max, "id")])
        rows.append([f"  {group.label.en}", "", ""])
    rows.append(["Total", format_points(card.total), format_number(card.max_score, "id")])
    lines.append(table(["Kelompok / Group", "Poin / Points", "Maks / Max"], rows, right=(1, 2)))
    lines += ["", f"Peringkat / Tier: {card.tier_label}", _next_tier_line(card)]
    for entry in card.eligibility:
        for failed in entry.failed:
            condition = failed.condition
            found = f"{condition.scope} {condition.id} {format_points(failed.points)}"
            lines.append(
                f"Syarat {entry.tier.label.id} belum terpenuhi / {entry.tier.label.en} condition "
                f"not met: {found} < {format_number(condition.min_points, 'id')}"
            )
    if card.missing:
        lines.append(f"Indikator belum dijawab / Unanswered indicators: {', '.join(card.missing)}")
    lines += _outcome_lines(card)
    return terminal_safe("\n".join(lines))


def _outcome_lines(card: ScoreCard) -> list[str]:
    unverified = [item.id for _, _, item in card.trace() if item.outcome == "unverified"]
    corrected = [item.id for _, _, item in card.trace() if item.correction is not None]
    lines = []
    if unverified:
        lines.append(
            "Butir tanpa data dukung yang diterima / Items without accepted evidence: "
            + ", ".join(unverified)
        )
    if corrected:
        lines.append(f"Nilai dikoreksi / Corrected values: {', '.join(corrected)}")
    return lines


#: Words of the stages view, per language.
_STAGES_WORDS: dict[str, dict[str, str]] = {
    "id": {
        "round": "tahun evaluasi",
        "stage": "Tahap",
        "tier": "Peringkat",
        "change": "Perubahan",
        "more": "... {n} perubahan lain (--causes N)",
    },
    "en": {
        "round": "evaluation round",
        "stage": "Stage",
        "tier": "Tier",
        "change": "Change",
        "more": "... {n} more changes (--causes N)",
    },
}


def _cause_groups(change: StageChange, count: int, lang: Lang) -> list[list[ItemChange]]:
    """The ``count`` item changes that moved the total most, those with the same causes
    together (one rejected decree lowers several items), the largest group first."""
    groups: dict[str, list[ItemChange]] = {}
    for item in change.main(count):
        key = "\n".join(cause.text.text(lang) for cause in item.causes)
        groups.setdefault(key, []).append(item)
    return sorted(groups.values(), key=lambda items: -abs(sum(i.delta for i in items)))


def _cause_lines(change: StageChange, count: int, lang: Lang, width: int) -> list[str]:
    before, after = STAGE_LABELS[change.before.stage], STAGE_LABELS[change.after.stage]
    lines = [f"{before.text(lang)} → {after.text(lang)}: {format_signed(change.delta, lang)}"]
    for items in _cause_groups(change, count, lang):
        delta = format_signed(sum(item.delta for item in items), lang).rjust(8)
        if len(items) == 1:
            which = items[0].item
        else:
            which = " · ".join(f"{i.item} {format_signed(i.delta, lang)}" for i in items)
        lines.append(f"  {delta}  {which}")
        for cause in items[0].causes:
            lines += textwrap.wrap(
                cause.text.text(lang),
                width=max(width, 40),
                initial_indent=" " * 12,
                subsequent_indent=" " * 14,
            )
    if len(change.items) > count:
        more = len(change.items) - count
        lines.append("  " + _STAGES_WORDS[lang]["more"].format(n=more))
    return lines


def stages_text(history: StageHistory, count: int = 5, lang: str = "id", width: int = 100) -> str:
    """The total and tier at every stage and the change from the stage before, then the
    main causes of each change (the ``count`` items that moved most, those with the same
    cause together), in one language, wrapped to ``width`` columns."""
    code: Lang = "en" if lang == "en" else "id"
    words = _STAGES_WORDS[code]
    first = history.cards[0]
    region = first.region
    lines = [
        f"{region.name} ({region.kind}, {region.province}) · {words['round']} {first.year}",
        *textwrap.wrap(first.ruleset.provenance(code), width=max(width, 40)),
        "",
    ]
    changes: list[StageChange | None] = [None, *history.changes]
    rows = [
        [
            STAGE_LABELS[card.stage].text(code),
            format_points(card.total, code),
            card.tier_label.text(code),
            "" if change is None else format_signed(change.delta, code),
        ]
        for card, change in zip(history.cards, changes, strict=True)
    ]
    header = [words["stage"], "Total", words["tier"], words["change"]]
    lines.append(table(header, rows, right=(1, 3)))
    for change in history.changes:
        if change.items and count > 0:
            lines += ["", *_cause_lines(change, count, code, width)]
    return terminal_safe("\n".join(lines))


def evidence_text(report: EvidenceReport) -> str:
    """The items lacking the evidence they require, largest points at risk first."""
    region = report.region
    lines = [
        f"{region.name} ({region.kind}, {region.province}) · tahun evaluasi / round {report.year}"
        f" · tahap / stage: {STAGE_LABELS[report.stage]}",
    ]
    if report.ruleset is not None:
        ruleset = report.ruleset
        lines.append(f"Aturan / Ruleset: {ruleset.id} {ruleset.version} ({ruleset.status})")
    lines.append("")
    if report.complete:
        lines.append(
            f"Data dukung lengkap: {report.required} butir yang memerlukannya semuanya "
            f"didukung / Evidence complete: all {report.required} items that need it have it"
        )
        return terminal_safe("\n".join(lines))
    status = {"missing": "belum ada / missing", "rejected": "ditolak / rejected"}
    rows = [
        [gap.item, format_points(gap.points), status[gap.status], ", ".join(gap.kinds)]
        for gap in report.gaps
    ]
    header = [
        "Butir / Item",
        "Poin berisiko / At risk",
        "Status",
        "Jenis diterima / Kinds accepted",
    ]
    lines.append(table(header, rows, right=(1,)))
    lines += [
        "",
        f"{len(report.gaps)} dari {report.required} butir kurang data dukung; "
        f"{format_points(report.points_at_risk, 'id')} poin berisiko / "
        f"{len(report.gaps)} of {report.required} items lack evidence; "
        f"{format_points(report.points_at_risk, 'en')} points at risk",
    ]
    return terminal_safe("\n".join(lines))


register_text(ScoreCard, card_text)
