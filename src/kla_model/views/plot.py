"""Pictures of scores, with matplotlib (an optional extra: ``pip install 'kla_model[plot]'``).

Each function returns a matplotlib ``Figure`` built without ``pyplot`` (no global figure
state, any backend), or draws into the ``Axes`` it is given.  Labels are Indonesian with
English beside them.  Save a figure with ``figure.savefig("card.png")``; in a notebook it is
shown when it is the cell's value.
"""

from __future__ import annotations

import functools
import io
import textwrap
from typing import TYPE_CHECKING, Any

from kla_model._base.text import format_number, format_points
from kla_model.analysis.plan_result import Plan
from kla_model.errors import MissingExtraError, PlanError, Problem
from kla_model.rules.points import decimal_sum
from kla_model.scoring.results import IndicatorScore, ScoreCard
from kla_model.submissions.evidence import STAGE_LABELS
from kla_model.tables.summary import BatchSummary

if TYPE_CHECKING:
    from kla_model.tables.batch import Batch

__all__ = ["plot_batch", "plot_card", "plot_plan"]

_POINTS = "#3a7d44"
_MAXIMUM = "#e4e4e4"
_THRESHOLD = "#b5452b"
_PLANNED = "#a3d39c"


@functools.cache
def _figure_class() -> Any:
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415 (an optional dependency)
    except ImportError:
        raise MissingExtraError(
            "plotting needs matplotlib, an optional extra: pip install 'kla_model[plot]'"
        ) from None

    class NotebookFigure(Figure):
        """A figure a notebook shows as a picture, even when pyplot was never imported."""

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

    return NotebookFigure


def _figure(**options: Any) -> Any:
    return _figure_class()(**options)


def _n(amount: float) -> str:
    """A maximum on a picture: labels are Indonesian first, so a decimal comma (30,5)."""
    return format_number(amount, "id")


def _p(points: float) -> str:
    """A district's points on a picture: two decimals and a decimal comma (26,25), as in
    every table."""
    return format_points(points, "id")


def _short(name: str) -> str:
    """A group label for an axis: "Klaster III" of "Klaster III: Kesehatan ...", wrapped."""
    return textwrap.fill(name.split(":", 1)[0], 24)


def _title(text: str, width: int) -> str:
    """A panel title wrapped so that a long district name stays inside its panel."""
    return textwrap.fill(text, width)


def plot_card(card: ScoreCard, axes: Any = None) -> Any:
    """A score card: each group's points as a bar against its maximum, then the total
    against the tier thresholds (a dashed line per tier, labelled ``≥`` or ``>``), with a
    legend, the stage and the ruleset."""
    if axes is None:
        figure = _figure(figsize=(10, 5), layout="constrained")
        groups_axes, total_axes = figure.subplots(1, 2, width_ratios=(3, 1.2))
    else:
        figure = axes.figure
        groups_axes, total_axes = axes, None
    names = [_short(group.label.id) for group in card.groups]
    positions = range(len(names))
    groups_axes.barh(positions, [g.max for g in card.groups], color=_MAXIMUM, label="Maks / Max")
    groups_axes.barh(
        positions, [g.points for g in card.groups], color=_POINTS, label="Poin / Points"
    )
    for position, group in zip(positions, card.groups, strict=True):
        shown = f" {_p(group.points)} / {_n(group.max)}"
        groups_axes.text(group.max, position, shown, va="center")
    groups_axes.set_yticks(list(positions), names)
    groups_axes.invert_yaxis()
    groups_axes.set_xlabel("Poin / Points")
    groups_axes.set_xlim(0, max(g.max for g in card.groups) * 1.3)
    region = card.region
    stage = STAGE_LABELS[card.stage]
    title = f"{region.name} · {card.year} · {stage.id} / {stage.en} · {card.tier_label.id}"
    groups_axes.set_title(_title(title, 70), loc="left")
    groups_axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2, fontsize=8)
    ruleset = card.ruleset
    figure.text(
        0.01,
        0.005,
        f"{ruleset.id} {ruleset.version} ({ruleset.status})",
        fontsize=7,
        color="#555555",
    )
    if total_axes is not None:
        _total(total_axes, card)
    return figure


def _total(axes: Any, card: ScoreCard) -> None:
    axes.bar([0], [card.max_score], color=_MAXIMUM, width=0.6)
    axes.bar([0], [card.total], color=_POINTS, width=0.6)
    for entry in card.eligibility:
        tier = entry.tier
        axes.axhline(tier.min, color=_THRESHOLD, linestyle="--", linewidth=1)
        name = tier.label.id if len(tier.label.id) <= 12 else tier.id.upper()
        axes.text(0.35, tier.min, f"{name} {tier.threshold_in('id')}", va="bottom", fontsize=8)
    axes.set_xticks([0], [f"Total {_p(card.total)}"])
    axes.set_ylim(0, card.max_score)
    axes.set_xlim(-0.4, 2.4)
    axes.set_title("Peringkat / Tier")


def plot_batch(batch: BatchSummary | Batch, axes: Any = None) -> Any:
    """Districts per tier for each round: a histogram of tiers, lowest on the left."""
    summary = batch if isinstance(batch, BatchSummary) else batch.summary()
    if axes is None:
        figure = _figure(figsize=(8, 4), layout="constrained")
        axes = figure.subplots()
    else:
        figure = axes.figure
    tiers = [summary.none_label.id, *(tier.label.id for tier in reversed(summary.tiers))]
    rounds = summary.rounds
    width = 0.8 / max(len(rounds), 1)
    for index, summary_round in enumerate(rounds):
        counts = [summary_round.no_tier, *(count for _, count in reversed(summary_round.counts))]
        offsets = [
            position + (index - (len(rounds) - 1) / 2) * width for position in range(len(tiers))
        ]
        bars = axes.bar(offsets, counts, width=width, label=str(summary_round.year))
        axes.bar_label(bars, fontsize=8)
    axes.set_xticks(range(len(tiers)), tiers, rotation=20, ha="right")
    axes.set_ylabel("Daerah / Districts")
    axes.yaxis.get_major_locator().set_params(integer=True)
    years = ", ".join(str(summary_round.year) for summary_round in rounds)
    axes.set_title(f"Daerah per peringkat / Districts per tier · {years}")
    if len(rounds) > 1:
        axes.legend(title="Tahun / Round")
    return figure


def _starting_point(scored: Plan | ScoreCard) -> str:
    ruleset = scored.ruleset
    return (
        f"{scored.region.name}, {scored.year}, stage {scored.stage}, total {scored.total:g}, "
        f"{ruleset.id} {ruleset.version}"
    )


def _check_card(plan: Plan, card: ScoreCard) -> None:
    """The card must be the one the plan starts from: its points are the "now" bars."""
    starts = (plan.region, plan.year, plan.stage, plan.ruleset, plan.total)
    if starts != (card.region, card.year, card.stage, card.ruleset, card.total):
        message = (
            f"expected the card the plan starts from ({_starting_point(plan)}); "
            f"found {_starting_point(card)}"
        )
        raise PlanError("plot_plan", [Problem("card", message)])


def _planned(indicator: IndicatorScore, after: dict[str, float]) -> float:
    """An indicator's points with the plan's items at their new points, summed as the
    engine sums them."""
    return decimal_sum(after.get(item.id, item.points) for item in indicator.items)


def _indicator_name(indicator: IndicatorScore) -> str:
    return textwrap.fill(textwrap.shorten(f"{indicator.id} {indicator.label.id}", 44), 26)


def plot_plan(plan: Plan, card: ScoreCard, axes: Any = None) -> Any:
    """A plan: each indicator it changes, its points now and after the plan against its
    maximum; then the total now and after the plan against the target tier's threshold.

    ``card`` is the card the plan starts from (``score(ruleset, submission, stage=...)`` at
    the plan's stage); a different card raises :class:`PlanError`.  Only the indicators the
    plan changes are drawn (:func:`plot_card` draws them all); an unreachable plan changes
    none, and its total panel shows the most every allowed change would give.
    """
    _check_card(plan, card)
    if axes is None:
        # One row per indicator the plan changes: the figure grows with the plan, so that
        # the labels of a long plan (14 indicators to reach KLA) do not overprint.
        rows = len({step.indicator for step in plan.steps})
        figure = _figure(figsize=(10, max(4.5, 1.6 + 0.55 * rows)), layout="constrained")
        steps_axes, total_axes = figure.subplots(1, 2, width_ratios=(3, 1.2))
    else:
        figure = axes.figure
        steps_axes, total_axes = axes, None
    _steps(steps_axes, plan, card)
    if total_axes is not None:
        _plan_total(total_axes, plan, card)
    return figure


def _steps(axes: Any, plan: Plan, card: ScoreCard) -> None:
    target = plan.target.label
    title = f"{card.region.name} · {card.year}: {card.tier_label.id} → {target.id}"
    axes.set_title(_title(title, 60), loc="left")
    if not plan.steps:
        text = (
            f"Tidak ada langkah: {target.id} tidak dapat dicapai\n"
            f"No steps: {target.en} cannot be reached"
        )
        axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes)
        axes.set_xticks([])
        axes.set_yticks([])
        return
    touched = {step.indicator for step in plan.steps}
    after = {step.item: step.points_after for step in plan.steps}
    indicators = [ind for ind in card.indicators.values() if ind.id in touched]
    now = [indicator.points for indicator in indicators]
    planned = [_planned(indicator, after) for indicator in indicators]
    positions = range(len(indicators))
    axes.barh(positions, [i.max for i in indicators], color=_MAXIMUM, label="Maks / Max")
    axes.barh(positions, planned, color=_PLANNED, label="Rencana / Plan")
    axes.barh(positions, now, color=_POINTS, label="Sekarang / Now")
    for position, indicator, before, later in zip(positions, indicators, now, planned, strict=True):
        axes.text(
            indicator.max,
            position,
            f" {_p(before)} → {_p(later)} / {_n(indicator.max)}",
            va="center",
        )
    axes.set_yticks(list(positions), [_indicator_name(indicator) for indicator in indicators])
    axes.tick_params(axis="y", labelsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("Poin / Points")
    axes.set_xlim(0, max(indicator.max for indicator in indicators) * 1.4)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=3, fontsize=8)


def _plan_total(axes: Any, plan: Plan, card: ScoreCard) -> None:
    axes.bar([0, 1], [card.max_score] * 2, color=_MAXIMUM, width=0.6)
    bars = axes.bar([0, 1], [plan.total, plan.new_total], color=[_POINTS, _PLANNED], width=0.6)
    # The totals inside their bars, the threshold's label beside the bars: they never meet,
    # however close the planned total comes to the threshold.
    totals = [_p(plan.total), _p(plan.new_total)]
    axes.bar_label(bars, labels=totals, fontsize=8, label_type="center", color="white")
    target = plan.target
    axes.axhline(target.min, color=_THRESHOLD, linestyle="--", linewidth=1)
    name = target.label.id if len(target.label.id) <= 12 else target.id.upper()
    axes.text(1.4, target.min, f"{name}\n{target.threshold_in('id')}", va="center", fontsize=8)
    later = "Rencana\nPlan" if plan.reachable else "Paling tinggi\nAt most"
    axes.set_xticks([0, 1], ["Sekarang\nNow", later])
    axes.set_ylim(0, card.max_score)
    axes.set_xlim(-0.5, 2.6)
    axes.set_title("Total")
