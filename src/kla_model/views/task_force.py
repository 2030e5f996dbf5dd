"""The task force's view as text, CSV and HTML: what each agency (OPD) owns and must do.

- :func:`task_force_text`: a table of the agencies for a terminal, then each agency's part;
- :func:`task_force_csv`: one row per item of the ruleset, under its lead agency (or none),
  for a spreadsheet: its ``points`` column adds up to the district's total;
- :func:`task_force_html`: one printable document, an overview page and then a page per
  agency that the coordinating office can hand to each agency head; or (``pages=False``) the
  overview alone, for notebooks.

Indonesian comes first with English beside it; ``lang="id"`` or ``"en"`` keeps one language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any

from kla_model._base.display import register_html
from kla_model._base.text import format_number, format_points, format_signed
from kla_model._base.text import table as text_table
from kla_model._base.untrusted import html_text, safe_href, spreadsheet_safe, terminal_safe
from kla_model.analysis.task_force import AgencyTasks, OwnedItem, TaskForce
from kla_model.analysis.wording import checked_lang
from kla_model.rules.model import Label, Lang
from kla_model.rules.points import decimal_sum
from kla_model.submissions.evidence import STAGE_LABELS, Evidence
from kla_model.views.html import bar, table

__all__ = ["CSV_COLUMNS", "task_force_csv", "task_force_html", "task_force_text"]

#: How each status of an assignment file is shown.
STATUS_LABELS = {
    "template": Label(id="templat, untuk disesuaikan", en="template, to adapt"),
    "illustrative": Label(
        id="ilustratif, bukan keputusan daerah", en="illustrative, not a decision"
    ),
    "adopted": Label(id="ditetapkan daerah", en="adopted by the district"),
}
GAP_LABELS = {
    "missing": Label(id="belum ada", en="missing"),
    "rejected": Label(id="ditolak", en="rejected"),
}
_W = {
    "agency": Label(id="OPD", en="Agency"),
    "points": Label(id="Poin", en="Points"),
    "max": Label(id="Maks", en="Max"),
    "lost": Label(id="Hilang saat verifikasi", en="Lost at verification"),
    "lost_short": Label(id="Hilang", en="Lost"),
    "at_risk": Label(id="Berisiko (data dukung)", en="At risk (evidence)"),
    "at_risk_short": Label(id="Berisiko", en="At risk"),
    "points_at_risk": Label(id="poin berisiko", en="points at risk"),
    "after_short": Label(id="Setelah", en="After"),
    "cost": Label(id="biaya", en="cost"),
    "plan": Label(id="Rencana", en="Plan"),
    "steps": Label(id="Langkah", en="Steps"),
    "steps_count": Label(id="langkah", en="steps"),
    "indicators": Label(id="Indikator", en="Indicators"),
    "todo": Label(id="Yang harus dilakukan", en="What to do"),
    "evidence": Label(id="Data dukung yang harus dilengkapi", en="Evidence to supply"),
    "corrections": Label(id="Koreksi verifikator", en="Verifiers' corrections"),
    "supports": Label(id="Mendukung OPD lain", en="Supporting other agencies"),
    "unassigned": Label(id="Butir tanpa OPD penanggung jawab", en="Items without a lead agency"),
    "nothing": Label(id="Tidak ada tugas terbuka", en="Nothing open"),
    "to_earn": Label(
        id="Tidak ada langkah dalam rencana ini; {points} poin masih dapat diraih",
        en="No step in this plan; {points} points still to earn",
    ),
    "stage": Label(id="Tahap", en="Stage"),
    "tier": Label(id="Peringkat", en="Tier"),
    "deadline": Label(id="Batas waktu", en="Deadline"),
    "no_calendar": Label(
        id="jadwal tahapan putaran ini tidak tercatat", en="the round's calendar is not recorded"
    ),
    "assignment": Label(id="Pembagian tugas", en="Assignment"),
    "ruleset": Label(id="Aturan", en="Ruleset"),
    "coordinator": Label(id="Koordinator", en="Coordinator"),
    "item": Label(id="Butir", en="Item"),
    "kinds": Label(id="Jenis diterima", en="Kinds accepted"),
    "rejected": Label(id="Data dukung ditolak", en="Rejected evidence"),
    "status": Label(id="Status", en="Status"),
    "declared": Label(id="Dinyatakan", en="Declared"),
    "corrected": Label(id="Dikoreksi", en="Corrected"),
    "reason": Label(id="Alasan", en="Reason"),
    "no_plan": Label(id="Peringkat tertinggi: tidak ada rencana", en="Top tier: no plan"),
    "unreachable": Label(id="tidak dapat dicapai", en="cannot be reached"),
    "short_by": Label(id="kurang", en="short by"),
    "provisional": Label(
        id="Angka sementara: bobot resmi tidak dipublikasikan",
        en="Provisional numbers: the official weights are not public",
    ),
}


def _langs(lang: str | None) -> tuple[Lang, ...]:
    return ("id", "en") if lang is None else (checked_lang(lang),)


def _say(text: Label, langs: Sequence[Lang]) -> str:
    """A label in the chosen languages: ``Indonesian / English`` or one of them."""
    shown = list(dict.fromkeys(text.text(code) for code in langs))
    return " / ".join(shown)


def _signed(points: float, langs: Sequence[Lang] = ("id",)) -> str:
    return format_signed(points, langs[0])


def _n(amount: float, langs: Sequence[Lang]) -> str:
    """A maximum, a cost or a value in the first language shown (tables align on it)."""
    return format_number(amount, langs[0])


def _nothing_open(tasks: AgencyTasks) -> Label | None:
    """What to say of an agency with no step, gap or correction: nothing is open only if it
    has every point of its items; else the points it could still earn (a plan that reaches
    its target elsewhere gives it no step, but its items are not done)."""
    if tasks.steps or tasks.gaps or tasks.corrections:
        return None
    open_points = decimal_sum(item.max - item.points for item in tasks.items)
    if open_points <= 0:
        return _W["nothing"]
    template = _W["to_earn"]
    return Label(
        id=template.id.format(points=format_points(open_points, "id")),
        en=template.en.format(points=format_points(open_points, "en")),
    )


def _reason(reason: str | Label, langs: Sequence[Lang]) -> str:
    """A verifier's reason: in the languages shown if written in both, else as written."""
    return _say(reason, langs) if isinstance(reason, Label) else reason


def _short(tasks: AgencyTasks, langs: Sequence[Lang]) -> str:
    return _say(tasks.name, langs) if tasks.agency is None else tasks.agency.short


def _plan_line(force: TaskForce, langs: Sequence[Lang]) -> str:
    plan = force.plan
    if plan is None:
        return _say(_W["no_plan"], langs)
    target = f"{_say(plan.target.label, langs)} ({plan.target.threshold_in(langs[0])})"
    if not plan.reachable:
        short = f"{_say(_W['short_by'], langs)} {format_points(plan.short_by, langs[0])}"
        return f"{_say(_W['plan'], langs)}: {target} {_say(_W['unreachable'], langs)} ({short})"
    after = f"{format_points(plan.total, langs[0])} → {format_points(plan.new_total, langs[0])}"
    steps = f"{len(plan.steps)} {_say(_W['steps'], langs).lower()}"
    cost = f"{_say(_W['cost'], langs)} {_n(plan.cost, langs)}"
    return f"{_say(_W['plan'], langs)}: {target}, {after} ({steps}, {cost})"


def _head_lines(force: TaskForce, langs: Sequence[Lang]) -> list[str]:
    region, ruleset = force.region, force.ruleset
    assignment = f"{_say(_W['assignment'], langs)}: {_say(STATUS_LABELS[force.status], langs)}"
    if force.coordinator is not None:
        assignment += f" · {_say(_W['coordinator'], langs)}: {force.coordinator.short}"
    return [
        f"{region.name} ({region.kind}, {region.province}) · {force.year}"
        f" · {_say(_W['stage'], langs)}: {_say(STAGE_LABELS[force.stage], langs)}",
        f"{_say(_W['ruleset'], langs)}: {ruleset.id} {ruleset.version} ({ruleset.status})",
        assignment,
        f"Total {format_points(force.total, langs[0])} / {_n(force.max_score, langs)} · "
        f"{_say(_W['tier'], langs)}: {_say(force.tier_label, langs)}",
        _plan_line(force, langs),
    ]


def _overview_row(tasks: AgencyTasks, langs: Sequence[Lang]) -> list[str]:
    return [
        _short(tasks, langs),
        format_points(tasks.points, langs[0]),
        _n(tasks.max, langs),
        format_points(tasks.lost, langs[0]),
        format_points(tasks.at_risk, langs[0]),
        _signed(tasks.gain, langs),
        format_points(tasks.points_after, langs[0]),
        str(len(tasks.steps)),
    ]


def _total_row(force: TaskForce, langs: Sequence[Lang]) -> list[str]:
    buckets = force.buckets
    gain = decimal_sum(tasks.gain for tasks in buckets)
    return [
        "Total",
        format_points(force.total, langs[0]),
        _n(force.max_score, langs),
        format_points(force.declared_total - force.total, langs[0]),
        format_points(decimal_sum(tasks.at_risk for tasks in buckets), langs[0]),
        _signed(gain, langs),
        format_points(force.total + gain, langs[0]),
        str(sum(len(tasks.steps) for tasks in buckets)),
    ]


def _overview_header(langs: Sequence[Lang]) -> list[str]:
    keys = (
        "agency",
        "points",
        "max",
        "lost_short",
        "at_risk_short",
        "plan",
        "after_short",
        "steps",
    )
    return [_say(_W[key], langs) for key in keys]


def task_force_text(force: TaskForce, lang: str | None = None) -> str:
    """The agencies' points, losses, risks and plan steps as a table, then each one's part."""
    langs = _langs(lang)
    rows = [_overview_row(tasks, langs) for tasks in force.buckets]
    rows.append(_total_row(force, langs))
    lines = [*_head_lines(force, langs), ""]
    lines.append(text_table(_overview_header(langs), rows, right=range(1, 8)))
    if force.unassigned.items:
        unassigned = ", ".join(
            f"{item.item} ({format_points(item.points, langs[0])} / {_n(item.max, langs)})"
            for item in force.unassigned.items
        )
        lines += ["", f"{_say(_W['unassigned'], langs)}: {unassigned}"]
    for tasks in force.buckets:
        lines += ["", *_agency_lines(force, tasks, langs)]
    return terminal_safe("\n".join(lines))


def _indicator_lines(
    tasks: AgencyTasks, head: str, langs: Sequence[Lang], width: int = 100
) -> list[str]:
    """``K.1 [K.1.4] 0,00/20, K.3 23,00/32, ...`` wrapped between indicators, not inside one."""
    lines = [head]
    for share in tasks.indicators:
        items = "" if share.whole else f" [{', '.join(share.items)}]"
        part = f"{share.id}{items} {format_points(share.points, langs[0])}/{_n(share.max, langs)}"
        if len(lines[-1]) + len(part) + 2 > width and lines[-1] != head:
            lines[-1] += ","
            lines.append("    " + part)
        else:
            lines[-1] += ("" if lines[-1] == head else ", ") + part
    return lines


def _supports(force: TaskForce, tasks: AgencyTasks) -> str:
    """The items the agency supports, each with its lead: ``K.1.1 (Bag. Hukum)``."""
    leads = {
        item.item: bucket.agency.short
        for bucket in force.agencies
        if bucket.agency is not None
        for item in bucket.items
    }
    return ", ".join(f"{item} ({leads[item]})" for item in tasks.supports)


def _agency_lines(force: TaskForce, tasks: AgencyTasks, langs: Sequence[Lang]) -> list[str]:
    title = _say(tasks.name, langs) if tasks.agency is None else str(tasks.name)
    lines = [title, "-" * min(len(title), 100)]
    if tasks.items:
        lines += _indicator_lines(tasks, f"  {_say(_W['indicators'], langs)}: ", langs)
    if tasks.steps:
        lines.append(f"  {_say(_W['todo'], langs)}:")
    for number, step in enumerate(tasks.steps, start=1):
        for index, code in enumerate(langs):
            lead = f"{number:>2}. " if index == 0 else "    "
            lines.append(f"  {lead}{step.sentence.text(code)}")
    if tasks.gaps:
        lines.append(f"  {_say(_W['evidence'], langs)}:")
    for gap in tasks.gaps:
        lines.append(
            f"    - {gap.item} {_say(GAP_LABELS[gap.status], langs)}: "
            f"{format_points(gap.points, langs[0])} {_say(_W['points_at_risk'], langs)}; "
            f"{_say(_W['kinds'], langs).lower()}: {', '.join(gap.kinds)}"
        )
    if tasks.corrections:
        lines.append(f"  {_say(_W['corrections'], langs)}:")
    for correction in tasks.corrections:
        lines.append(
            f"    - {correction.item} {_value(correction.declared, langs[0])} → "
            f"{_value(correction.corrected, langs[0])} "
            f"({_say(STAGE_LABELS[correction.stage], langs)}, "
            f"{correction.verifier}: {_reason(correction.reason, langs)})"
        )
    if tasks.supports:
        lines.append(f"  {_say(_W['supports'], langs)}: {_supports(force, tasks)}")
    nothing = _nothing_open(tasks)
    if nothing is not None:
        lines.append(f"  {_say(nothing, langs)}")
    return lines


def _value(answer: Any, lang: Lang | None = None) -> str:
    """An answer as shown beside a correction: a measurement's value (``96,8`` in
    Indonesian; as data, ``96.8``, without ``lang``), a level id, the ticks."""
    if isinstance(answer, dict) and "value" in answer:
        amount = answer["value"]
        return f"{amount:g}" if lang is None else format_number(amount, lang)
    if isinstance(answer, (list, tuple)):
        return "[" + ", ".join(str(part) for part in answer) + "]"
    return str(answer)


#: The CSV's columns: one row per item of the ruleset.
CSV_COLUMNS = (
    "agency",
    "agency_short",
    "indicator",
    "item",
    "label_id",
    "label_en",
    "points",
    "max",
    "self_assessment",
    "lost",
    "evidence",
    "at_risk",
    "plan_points_after",
    "plan_cost",
    "plan_step_id",
    "plan_step_en",
    "correction",
    "support",
)


def _csv_rows(force: TaskForce) -> Iterable[list[str]]:
    for tasks in force.buckets:
        gaps = {gap.item: gap for gap in tasks.gaps}
        steps = {step.item: step for step in tasks.steps}
        corrections = {correction.item: correction for correction in tasks.corrections}
        for item in tasks.items:
            gap, step = gaps.get(item.item), steps.get(item.item)
            correction = corrections.get(item.item)
            yield [
                *map(spreadsheet_safe, _csv_texts(tasks, item)),
                f"{item.points:g}",
                f"{item.max:g}",
                f"{item.declared:g}",
                f"{item.lost:g}",
                "" if gap is None else gap.status,
                "" if gap is None else f"{gap.points:g}",
                "" if step is None else f"{step.points_after:g}",
                "" if step is None else f"{step.cost:g}",
                spreadsheet_safe("" if step is None else step.sentence.id),
                spreadsheet_safe("" if step is None else step.sentence.en),
                spreadsheet_safe(
                    ""
                    if correction is None
                    else f"{_value(correction.declared)} -> {_value(correction.corrected)}"
                ),
                spreadsheet_safe(" ".join(item.support)),
            ]


def _csv_texts(tasks: AgencyTasks, item: OwnedItem) -> list[str]:
    """The text cells that lead an item's CSV row: who leads it, and what it is."""
    short = tasks.agency.short if tasks.agency else ""
    return [tasks.id or "", short, item.indicator, item.item, item.label.id, item.label.en]


def task_force_csv(force: TaskForce) -> str:
    """One row per item under its lead agency (an empty ``agency`` when it has none).  Text
    that a spreadsheet would run as a formula is neutralised as ``kla batch`` does it
    (:func:`~kla_model._base.untrusted.spreadsheet_safe`); numbers are written as data."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows(force))
    return buffer.getvalue()


# ----------------------------------------------------------------------------- HTML

_PRINT_CSS = """
body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11pt;color:#222;margin:0}
.page{padding:12mm 14mm;page-break-after:always;break-after:page}
.page:last-child{page-break-after:auto;break-after:auto}
h1{font-size:16pt;margin:0 0 2mm}h2{font-size:12.5pt;margin:6mm 0 2mm}
.meta{color:#555;margin:0 0 3mm}.en{color:#666}
.banner{border:1px solid #b5452b;color:#b5452b;padding:2mm 3mm;margin:0 0 3mm}
ol li{margin:0 0 2mm}table{width:100%}th{text-align:left}
@page{size:A4;margin:10mm}
"""


def _h(text: Label, langs: Sequence[Lang]) -> str:
    """A label as HTML: Indonesian, then English in grey; or one language."""
    if len(langs) == 1 or text.id == text.en:
        return escape(text.text(langs[0]))
    return f'{escape(text.id)} <span class="en" style="color:#666">/ {escape(text.en)}</span>'


def _lines(text: Label, langs: Sequence[Lang]) -> str:
    """A sentence in Indonesian, and in English on a line of its own below it."""
    if len(langs) == 1:
        return escape(text.text(langs[0]))
    return f'{escape(text.id)}<br><span class="en" style="color:#666">{escape(text.en)}</span>'


def _w(key: str, langs: Sequence[Lang]) -> str:
    return _h(_W[key], langs)


def _facts(tasks: AgencyTasks, force: TaskForce, langs: Sequence[Lang]) -> str:
    plan = (
        f"{_signed(tasks.gain, langs)} → {format_points(tasks.points_after, langs[0])} "
        f"({len(tasks.steps)} {_w('steps_count', langs)})"
    )
    rows = [
        [_w("stage", langs), _h(STAGE_LABELS[force.stage], langs)],
        [_w("points", langs), f"{format_points(tasks.points, langs[0])} / {_n(tasks.max, langs)}"],
        [_w("lost", langs), format_points(tasks.lost, langs[0])],
        [_w("at_risk", langs), format_points(tasks.at_risk, langs[0])],
        [_w("plan", langs), plan if force.plan is not None else _w("no_plan", langs)],
        [_w("deadline", langs), f"– ({_w('no_calendar', langs)})"],
    ]
    return table((), rows)


def _indicator_table(tasks: AgencyTasks, langs: Sequence[Lang], _: TaskForce) -> str:
    rows = []
    for share in tasks.indicators:
        items = "" if share.whole else f" ({escape(', '.join(share.items))})"
        rows.append(
            [
                escape(share.id) + items,
                _h(share.label, langs),
                format_points(share.points, langs[0]),
                _n(share.max, langs),
                bar(share.points, share.max, width=90),
            ]
        )
    header = ["Id", _w("indicators", langs), _w("points", langs), _w("max", langs), ""]
    return table(header, rows, right=(2, 3))


def _steps_html(tasks: AgencyTasks, langs: Sequence[Lang], _: TaskForce) -> str:
    entries = "".join(f"<li>{_lines(step.sentence, langs)}</li>" for step in tasks.steps)
    return f"<ol>{entries}</ol>"


def _evidence_cell(piece: Evidence) -> str:
    """A rejected piece of evidence: its title, and its link if it is an http(s) one (any
    other, ``javascript:`` or ``data:``, is shown as text, never as a link)."""
    cell = html_text(piece.title)
    if piece.uri is None:
        return cell
    href = safe_href(piece.uri)
    if href is None:
        return f"{cell} ({html_text(piece.uri)})"
    return f'{cell} (<a href="{href}" rel="noopener noreferrer">{html_text(piece.uri)}</a>)'


def _gaps_table(tasks: AgencyTasks, langs: Sequence[Lang], force: TaskForce) -> str:
    pieces = {piece.id: piece for piece in force.rejected_evidence}
    rows = [
        [
            escape(gap.item),
            _h(gap.label, langs),
            _h(GAP_LABELS[gap.status], langs),
            escape(", ".join(gap.kinds)),
            format_points(gap.points, langs[0]),
            "<br>".join(_evidence_cell(pieces[i]) for i in gap.rejected if i in pieces),
        ]
        for gap in tasks.gaps
    ]
    header = [
        _w("item", langs),
        "",
        _w("status", langs),
        _w("kinds", langs),
        _w("at_risk_short", langs),
        _w("rejected", langs),
    ]
    return table(header, rows, right=(4,))


def _corrections_table(tasks: AgencyTasks, langs: Sequence[Lang], _: TaskForce) -> str:
    rows = [
        [
            escape(correction.item),
            escape(_value(correction.declared, langs[0])),
            escape(_value(correction.corrected, langs[0])),
            _h(STAGE_LABELS[correction.stage], langs),
            escape(f"{correction.verifier}: {_reason(correction.reason, langs)}"),
        ]
        for correction in tasks.corrections
    ]
    header = [
        _w("item", langs),
        _w("declared", langs),
        _w("corrected", langs),
        _w("stage", langs),
        _w("reason", langs),
    ]
    return table(header, rows)


_Render = Callable[[AgencyTasks, Sequence[Lang], TaskForce], str]


def _sections(tasks: AgencyTasks) -> list[tuple[str, bool, _Render]]:
    """The page's sections in order: its key, whether the agency has any, how to draw it."""
    return [
        ("indicators", bool(tasks.items), _indicator_table),
        ("todo", bool(tasks.steps), _steps_html),
        ("evidence", bool(tasks.gaps), _gaps_table),
        ("corrections", bool(tasks.corrections), _corrections_table),
    ]


def _banners(force: TaskForce, langs: Sequence[Lang]) -> str:
    banners = []
    if force.status != "adopted":
        banners.append(f"{_w('assignment', langs)}: {_h(STATUS_LABELS[force.status], langs)}")
    if force.ruleset.status != "official":
        banners.append(_w("provisional", langs))
    return "".join(f'<div class="banner">{text}</div>' for text in banners)


def _district_line(force: TaskForce, langs: Sequence[Lang]) -> str:
    region, ruleset = force.region, force.ruleset
    coordinator = ""
    if force.coordinator is not None:
        coordinator = f" · {_w('coordinator', langs)}: {escape(force.coordinator.short)}"
    return (
        f'<p class="meta">{escape(region.name)} ({escape(region.province)}) · {force.year}'
        f" · {escape(ruleset.id)} {escape(ruleset.version)}{coordinator}</p>"
    )


def _agency_page(force: TaskForce, tasks: AgencyTasks, langs: Sequence[Lang]) -> str:
    if tasks.agency is None:
        title = _h(tasks.name, langs)
    else:
        title = f"{escape(tasks.agency.short)}: {escape(tasks.agency.name)}"
    parts = [
        f'<section class="page" id="agency-{escape(tasks.id or "unassigned")}">',
        "<h1>Gugus Tugas KLA · " + title + "</h1>",
        _district_line(force, langs),
        _banners(force, langs),
        _facts(tasks, force, langs),
    ]
    for key, present, render in _sections(tasks):
        if present:
            parts.append(f"<h2>{_w(key, langs)}</h2>{render(tasks, langs, force)}")
    if tasks.supports:
        supports = escape(_supports(force, tasks))
        parts.append(f"<h2>{_w('supports', langs)}</h2><p>{supports}</p>")
    nothing = _nothing_open(tasks)
    if nothing is not None:
        parts.append(f"<p><strong>{_h(nothing, langs)}</strong></p>")
    parts.append("</section>")
    return "".join(parts)


def _overview(force: TaskForce, langs: Sequence[Lang]) -> str:
    rows = []
    for tasks in force.buckets:
        row = [escape(cell) for cell in _overview_row(tasks, langs)]
        rows.append([*row, bar(tasks.points, tasks.max, width=90)])
    rows.append([f"<strong>{escape(cell)}</strong>" for cell in _total_row(force, langs)] + [""])
    header = [*_overview_header(langs), ""]
    parts = [
        table(header, rows, right=range(1, 8)),
        f"<p>{escape(_plan_line(force, langs))}</p>",
    ]
    if force.unassigned.items:
        items = ", ".join(item.item for item in force.unassigned.items)
        parts.append(f"<p><strong>{_w('unassigned', langs)}</strong>: {escape(items)}</p>")
    return "".join(parts)


def task_force_html(
    force: TaskForce, lang: str | None = None, *, pages: bool = True, agency: str | None = None
) -> str:
    """A printable HTML document: an overview page, then a page per agency (and one for the
    unassigned items, if any).  With ``agency``, that agency's page alone (a ``KeyError`` if
    the assignment has no such agency).  With ``pages=False``, the overview alone, for
    notebooks."""
    langs = _langs(lang)
    if agency is not None:
        return _document(force, langs, _agency_page(force, force.agency(agency), langs))
    stage = _h(STAGE_LABELS[force.stage], langs)
    heading = (
        f"<h1>Gugus Tugas KLA · {escape(force.region.name)} · {force.year}</h1>"
        + _district_line(force, langs)
        + f'<p class="meta">{_w("stage", langs)}: {stage} · {_w("tier", langs)}: '
        + f"{_h(force.tier_label, langs)} · Total {format_points(force.total, langs[0])}"
        + f" / {_n(force.max_score, langs)}</p>"
    )
    overview = heading + _banners(force, langs) + _overview(force, langs)
    if not pages:
        return f"<div>{overview}</div>"
    body = f'<section class="page" id="overview">{overview}</section>' + "".join(
        _agency_page(force, tasks, langs) for tasks in force.buckets
    )
    return _document(force, langs, body)


def _document(force: TaskForce, langs: Sequence[Lang], body: str) -> str:
    title = escape(f"Gugus Tugas KLA · {force.region.name} · {force.year}")
    return (
        f'<!DOCTYPE html>\n<html lang="{langs[0]}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_PRINT_CSS}</style></head><body>{body}</body></html>\n"
    )


def _notebook_view(force: TaskForce) -> str:
    return task_force_html(force, pages=False)


register_html(TaskForce, _notebook_view)
