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

from kla_model.errors import MissingExtraError
from kla_model.results import ScoreCard
from kla_model.summary import BatchSummary

if TYPE_CHECKING:
    from kla_model.batch import Batch

__all__ = ["plot_batch", "plot_card"]

_POINTS = "#3a7d44"
_MAXIMUM = "#e4e4e4"
_THRESHOLD = "#b5452b"


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


def _short(name: str) -> str:
    """A group label for an axis: "Klaster III" of "Klaster III: Kesehatan ...", wrapped."""
    return textwrap.fill(name.split(":", 1)[0], 24)


def plot_card(card: ScoreCard, axes: Any = None) -> Any:
    """A score card: each group's points as a bar against its maximum, then the total
    against the tier thresholds (a dashed line per tier, labelled)."""
    if axes is None:
        figure = _figure(figsize=(10, 4.5), layout="constrained")
        groups_axes, total_axes = figure.subplots(1, 2, width_ratios=(3, 1.2))
    else:
        figure = axes.figure
        groups_axes, total_axes = axes, None
    names = [_short(group.label.id) for group in card.groups]
    positions = range(len(names))
    groups_axes.barh(positions, [g.max for g in card.groups], color=_MAXIMUM, label="Maks / Max")
    groups_axes.barh(positions, [g.points for g in card.groups], color=_POINTS, label="Poin")
    for position, group in zip(positions, card.groups, strict=True):
        groups_axes.text(group.max, position, f" {group.points:g} / {group.max:g}", va="center")
    groups_axes.set_yticks(list(positions), names)
    groups_axes.invert_yaxis()
    groups_axes.set_xlabel("Poin / Points")
    groups_axes.set_xlim(0, max(g.max for g in card.groups) * 1.3)
    region = card.region
    groups_axes.set_title(f"{region.name} · {card.year} · {card.tier_label.id}", loc="left")
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
        axes.text(0.35, tier.min, f"{name} {tier.threshold}", va="bottom", fontsize=8)
    axes.set_xticks([0], [f"Total {card.total:g}"])
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
