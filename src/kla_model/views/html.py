"""Small HTML renderers for notebooks: score cards, totals, batch summaries, stage histories
and plans.

Jupyter shows an object through its ``_repr_html_``; the classes ask the registry in
:mod:`kla_model._base.display`, where this module registers its functions when imported (the
data classes live in lower layers and never import a view). The functions build plain HTML
tables with inline styles (no scripts, no external CSS, every text escaped), Indonesian first
with English beside it. Each view is a composition of the same few parts (:func:`table`,
:func:`bar`, :func:`heading`), so a new one, such as a plan or a stage history, is a short
function.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from kla_model._base.display import register_html
from kla_model._base.text import format_number, format_points, format_signed
from kla_model.analysis.plan_result import Plan, Step
from kla_model.rules.model import Label
from kla_model.scoring.results import ScoreCard
from kla_model.scoring.stages import StageChange, StageHistory
from kla_model.scoring.totals import ScoreTotals
from kla_model.submissions.evidence import STAGE_LABELS
from kla_model.tables.batch import Batch
from kla_model.tables.summary import BatchSummary
from kla_model.tables.table import RowError
from kla_model.views.report import next_tier_words

__all__ = [
    "bar",
    "batch_html",
    "card_html",
    "heading",
    "label",
    "plan_html",
    "stages_html",
    "summary_html",
    "table",
    "totals_html",
]


def _signed(points: float) -> str:
    return format_signed(points)


def _n(amount: float) -> str:
    """A maximum or a cost: the views are Indonesian first, so a decimal comma."""
    return format_number(amount, "id")


#: How many bad rows a batch view lists before summarising the rest.
SHOWN_ERRORS = 20
_CELL = "padding:2px 8px;border-bottom:1px solid #ddd"
_RIGHT = f"{_CELL};text-align:right"


def label(text: Label) -> str:
    """A bilingual label: Indonesian, with English beside it in grey."""
    if text.id == text.en:
        return escape(text.id)
    return f'{escape(text.id)} <span style="color:#666">/ {escape(text.en)}</span>'


def bar(points: float, maximum: float, width: int = 120) -> str:
    """A horizontal bar: ``points`` out of ``maximum``, as a share of ``width`` pixels."""
    share = 0.0 if maximum <= 0 else min(max(points / maximum, 0.0), 1.0)
    filled = round(share * width)
    return (
        f'<div title="{share:.0%}" style="width:{width}px;height:10px;background:#eee">'
        f'<div style="width:{filled}px;height:10px;background:#3a7d44"></div></div>'
    )


def table(header: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[int] = ()) -> str:
    """An HTML table; cells are HTML already (escape text with :func:`html.escape`).
    An empty ``header`` leaves the head row out."""

    def cells(tag: str, row: Sequence[str]) -> str:
        return "".join(
            f'<{tag} style="{_RIGHT if i in right else _CELL}">{cell}</{tag}>'
            for i, cell in enumerate(row)
        )

    head = f"<thead><tr>{cells('th', header)}</tr></thead>" if header else ""
    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return f'<table style="border-collapse:collapse">{head}<tbody>{body}</tbody></table>'


def heading(text: str, detail: str = "") -> str:
    """A title line, with an optional grey detail line below it."""
    below = f'<div style="color:#666">{detail}</div>' if detail else ""
    return f'<div style="margin:4px 0"><strong>{text}</strong>{below}</div>'


def _tier_line(card: ScoreCard | ScoreTotals) -> str:
    tier = f"<strong>{label(card.tier_label)}</strong>"
    total = f"{format_points(card.total)} / {_n(card.max_score)}"
    return f"<div>Total {total} · Peringkat / Tier: {tier}</div>"


def _next_tier(card: ScoreCard) -> str:
    words = next_tier_words(card)
    if card.next_tier is None or words is None:
        return "<div>Peringkat tertinggi tercapai / Top tier reached</div>"
    head = f"Menuju {escape(card.next_tier.label.id)} (total {card.next_tier.threshold_in('id')})"
    return f"<div>{head}: {escape(words[0])} / {escape(words[1])}</div>"


def card_html(card: ScoreCard) -> str:
    """A score card: the groups as bars against their maxima, the total, the tier, the trace."""
    region, ruleset = card.region, card.ruleset
    title = f"{escape(region.name)} · {card.year}"
    detail = (
        f"{escape(region.kind)}, {escape(region.province)} · tahap / stage "
        f"{label(STAGE_LABELS[card.stage])}"
        f" · {escape(ruleset.id)} {escape(ruleset.version)} ({escape(ruleset.status)})"
    )
    rows = [
        [label(g.label), format_points(g.points), _n(g.max), bar(g.points, g.max)]
        for g in card.groups
    ]
    groups = table(["Kelompok / Group", "Poin / Points", "Maks / Max", ""], rows, right=(1, 2))
    indicators = [
        [escape(i.id), label(i.label), format_points(i.points), _n(i.max), bar(i.points, i.max)]
        for group in card.groups
        for i in group.indicators
    ]
    trace = table(["Id", "Indikator / Indicator", "Poin", "Maks", ""], indicators, right=(2, 3))
    missing = ""
    if card.missing:
        missing = (
            "<div>Indikator belum dijawab / Unanswered indicators: "
            f"{escape(', '.join(card.missing))}</div>"
        )
    return (
        "<div>"
        + heading(title, detail)
        + groups
        + _tier_line(card)
        + _next_tier(card)
        + missing
        + f"<details><summary>Indikator / Indicators</summary>{trace}</details>"
        + "</div>"
    )


def totals_html(totals: ScoreTotals) -> str:
    """A district's totals: group points (no maxima or trace are kept), total and tier."""
    region = totals.region
    rows = [[escape(gid), format_points(points)] for gid, points in totals.groups.items()]
    return (
        "<div>"
        + heading(f"{escape(region.name)} · {totals.year}", label(STAGE_LABELS[totals.stage]))
        + table(["Kelompok / Group", "Poin / Points"], rows, right=(1,))
        + _tier_line(totals)
        + "</div>"
    )


def summary_html(summary: BatchSummary, top: int = 10) -> str:
    """A batch summary: districts per tier for each round, then the top of the ranking."""
    ruleset = summary.ruleset
    count = len(summary.tiers) + 3
    parts = [
        heading(
            "Ringkasan / Summary",
            f"{escape(ruleset.id)} {escape(ruleset.version)} ({escape(ruleset.status)})",
        ),
        table(
            [escape(cell) for cell in summary.tier_header()],
            summary.tier_rows(),
            right=range(1, count + 1),
        ),
    ]
    if summary.errors:
        parts.append(f"<div>Baris tidak dapat dinilai / Rows not scored: {summary.errors}</div>")
    leaders = summary.top(top)
    if leaders:
        rows = [
            [
                str(entry.rank),
                escape(entry.region.name),
                escape(entry.region.province),
                format_points(entry.total),
                label(summary.none_label if entry.tier is None else entry.tier.label),
            ]
            for entry in leaders
        ]
        parts.append(heading(f"Peringkat teratas / Top {len(leaders)}, {leaders[0].year}"))
        header = ["#", "Daerah / District", "Provinsi / Province", "Total", "Peringkat / Tier"]
        parts.append(table(header, rows, right=(0, 3)))
    return "<div>" + "".join(parts) + "</div>"


def batch_html(summary: BatchSummary, errors: Sequence[RowError]) -> str:
    """A scored table: its summary, then the rows that could not be scored."""
    if not errors:
        return summary_html(summary)
    rows = [
        [str(error.row), escape(error.column or ""), escape(error.message)]
        for error in errors[:SHOWN_ERRORS]
    ]
    more = len(errors) - SHOWN_ERRORS
    rest = f"<div>... dan {more} lagi / and {more} more</div>" if more > 0 else ""
    return (
        "<div>"
        + summary_html(summary)
        + heading("Kesalahan / Errors")
        + table(["Baris / Row", "Kolom / Column", "Masalah / Problem"], rows, right=(0,))
        + rest
        + "</div>"
    )


def _change_rows(change: StageChange, count: int) -> list[list[str]]:
    rows = []
    for item in change.main(count):
        causes = "<br>".join(label(cause.text) for cause in item.causes)
        rows.append([escape(item.item), _signed(item.delta), causes])
    return rows


def stages_html(history: StageHistory, count: int = 5) -> str:
    """A stage history: total and tier at every stage, the change from the stage before,
    and for each change the ``count`` items that moved most, with their causes."""
    first = history.cards[0]
    region, ruleset = first.region, first.ruleset
    detail = f"{escape(ruleset.id)} {escape(ruleset.version)} ({escape(ruleset.status)})"
    changes: list[StageChange | None] = [None, *history.changes]
    rows = [
        [
            label(STAGE_LABELS[card.stage]),
            format_points(card.total),
            label(card.tier_label),
            "" if change is None else _signed(change.delta),
        ]
        for card, change in zip(history.cards, changes, strict=True)
    ]
    header = ["Tahap / Stage", "Total", "Peringkat / Tier", "Perubahan / Change"]
    parts = [
        heading(f"{escape(region.name)} · {first.year}", detail),
        table(header, rows, right=(1, 3)),
    ]
    for change in history.changes:
        if change.items and count > 0:
            before, after = STAGE_LABELS[change.before.stage], STAGE_LABELS[change.after.stage]
            title = f"{escape(before.id)} → {escape(after.id)}: {_signed(change.delta)}"
            causes = table(
                ["Butir / Item", "Poin / Points", "Sebab / Cause"],
                _change_rows(change, count),
                right=(1,),
            )
            parts.append(f"<details><summary>{title}</summary>{causes}</details>")
    return "<div>" + "".join(parts) + "</div>"


_YES_NO = {True: Label(id="ya", en="yes"), False: Label(id="tidak", en="no")}


def _plan_facts(plan: Plan) -> list[list[str]]:
    """The plan at a glance: target, whether reachable, cost, total and tier before and after."""
    target = f"{label(plan.target.label)} (total {escape(plan.target.threshold_in('id'))})"
    reachable = label(_YES_NO[plan.reachable])
    if not plan.reachable and plan.short_by > 0:
        short_id, short_en = format_points(plan.short_by, "id"), format_points(plan.short_by, "en")
        reachable += f" · kurang {short_id} poin / {short_en} points short"
    # Unreachable: the total and tier with every allowed change made, the best there is.
    best = "" if plan.reachable else "paling tinggi / at most "
    total = f"{format_points(plan.total)} → {best}{format_points(plan.new_total)}"
    if plan.reachable:
        total += f" ({_signed(plan.gain)})"
    tier = f"{label(plan.tier_label)} → {label(plan.new_tier_label)}"
    cost = f"{_n(plan.cost)} ({plan.changes} perubahan / changes)"
    return [
        ["Sasaran / Target", target],
        ["Dapat dicapai / Reachable", reachable],
        ["Biaya / Cost", cost if plan.reachable else "–"],
        ["Poin / Points", total],
        ["Peringkat / Tier", tier],
    ]


def _step_row(number: int, step: Step) -> list[str]:
    points = f"{format_points(step.points_before)} → {format_points(step.points_after)}"
    return [str(number), escape(step.item), points, _n(step.cost), label(step.sentence)]


def plan_html(plan: Plan) -> str:
    """A plan: the target tier, whether it is reachable, the cost and the points before and
    after, the plan's sentences, then each step with its sentence."""
    region, ruleset = plan.region, plan.ruleset
    detail = (
        f"tahap / stage {label(STAGE_LABELS[plan.stage])}"
        f" · {escape(ruleset.id)} {escape(ruleset.version)} ({escape(ruleset.status)})"
    )
    parts = [
        heading(f"Rencana / Plan: {escape(region.name)} · {plan.year}", detail),
        table((), _plan_facts(plan)),
        *(f'<div style="margin:4px 0">{label(sentence)}</div>' for sentence in plan.summary),
    ]
    if plan.steps:
        header = ["#", "Butir / Item", "Poin / Points", "Biaya / Cost", "Langkah / Step"]
        rows = [_step_row(number, step) for number, step in enumerate(plan.steps, start=1)]
        parts.append(table(header, rows, right=(0, 2, 3)))
    return "<div>" + "".join(parts) + "</div>"


register_html(ScoreCard, card_html)
register_html(ScoreTotals, totals_html)
register_html(BatchSummary, summary_html)
register_html(Batch, lambda batch: batch_html(batch.summary(), batch.errors))
register_html(StageHistory, stages_html)
register_html(Plan, plan_html)
