"""Plain-text views of score cards, stages and evidence reports, Indonesian first with
English beside it."""

from __future__ import annotations

from kla_model._base.text import format_points, table
from kla_model.scoring.results import ScoreCard
from kla_model.scoring.stages import StageChange, StageHistory
from kla_model.submissions.completeness import EvidenceReport
from kla_model.submissions.evidence import STAGE_LABELS

__all__ = ["card_text", "evidence_text", "format_points", "stages_text", "table"]


def _next_tier_line(card: ScoreCard) -> str:
    if card.next_tier is None:
        return "Peringkat tertinggi tercapai / Top tier reached"
    tier = card.next_tier
    short = format_points(card.points_to_next_tier or 0.0)
    need = f"total {tier.threshold}"
    return f"Menuju / To {tier.label.id}: {short} poin lagi / points more ({need})"


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
        rows.append([group.label.id, format_points(group.points), f"{group.max:g}"])
        rows.append([f"  {group.label.en}", "", ""])
    rows.append(["Total", format_points(card.total), f"{card.max_score:g}"])
    lines.append(table(["Kelompok / Group", "Poin / Points", "Maks / Max"], rows, right=(1, 2)))
    lines += ["", f"Peringkat / Tier: {card.tier_label}", _next_tier_line(card)]
    for entry in card.eligibility:
        for failed in entry.failed:
            condition = failed.condition
            found = f"{condition.scope} {condition.id} {format_points(failed.points)}"
            lines.append(
                f"Syarat {entry.tier.label.id} belum terpenuhi / {entry.tier.label.en} condition "
                f"not met: {found} < {condition.min_points:g}"
            )
    if card.missing:
        lines.append(f"Indikator belum dijawab / Unanswered indicators: {', '.join(card.missing)}")
    lines += _outcome_lines(card)
    return "\n".join(lines)


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


def _signed(points: float) -> str:
    return f"{points:+.2f}"


def _main_causes(change: StageChange | None, count: int) -> str:
    if change is None or not change.items:
        return ""
    shown = [f"{item.item} {_signed(item.delta)}" for item in change.main(count)]
    rest = len(change.items) - len(shown)
    return ", ".join(shown) + (f" (+{rest} lagi / more)" if rest > 0 else "")


def _cause_lines(change: StageChange, count: int) -> list[str]:
    before, after = STAGE_LABELS[change.before.stage], STAGE_LABELS[change.after.stage]
    lines = [
        f"{before.id} -> {after.id} / {before.en} -> {after.en}: {_signed(change.delta)}",
    ]
    width = max((len(item.item) for item in change.items), default=0)
    for item in change.main(count):
        head = f"  {item.item.ljust(width)}  {_signed(item.delta).rjust(7)}  "
        for cause in item.causes:
            lines.append(head + cause.text.id)
            head = " " * len(head)
            lines.append(head + cause.text.en)
    if len(change.items) > count:
        lines.append(
            f"  ... {len(change.items) - count} perubahan lain / more changes (--causes N)"
        )
    return lines


def stages_text(history: StageHistory, count: int = 5) -> str:
    """The total and tier at every stage, the change from the stage before and its main
    causes (the ``count`` items that moved most), then those causes in words."""
    first = history.cards[0]
    region, ruleset = first.region, first.ruleset
    lines = [
        f"{region.name} ({region.kind}, {region.province}) · tahun evaluasi / round {first.year}",
        f"Aturan / Ruleset: {ruleset.id} {ruleset.version} ({ruleset.status})",
        "",
    ]
    changes: list[StageChange | None] = [None, *history.changes]
    rows = [
        [
            str(STAGE_LABELS[card.stage]),
            format_points(card.total),
            str(card.tier_label),
            "" if change is None else _signed(change.delta),
            _main_causes(change, count),
        ]
        for card, change in zip(history.cards, changes, strict=True)
    ]
    header = ["Tahap / Stage", "Total", "Peringkat / Tier", "Perubahan / Change"]
    lines.append(table([*header, "Sebab utama / Main causes"], rows, right=(1, 3)))
    for change in history.changes:
        if change.items and count > 0:
            lines += ["", *_cause_lines(change, count)]
    return "\n".join(lines)


def evidence_text(report: EvidenceReport) -> str:
    """The items lacking the evidence they require, largest points at risk first."""
    region = report.region
    lines = [
        f"{region.name} ({region.kind}, {region.province}) · tahun evaluasi / round {report.year}"
        f" · tahap / stage: {STAGE_LABELS[report.stage]}",
        "",
    ]
    if report.complete:
        lines.append(
            f"Data dukung lengkap: {report.required} butir yang memerlukannya semuanya "
            f"didukung / Evidence complete: all {report.required} items that need it have it"
        )
        return "\n".join(lines)
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
        f"{format_points(report.points_at_risk)} poin berisiko / "
        f"{len(report.gaps)} of {report.required} items lack evidence; "
        f"{format_points(report.points_at_risk)} points at risk",
    ]
    return "\n".join(lines)
