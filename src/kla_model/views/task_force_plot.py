"""A picture of the task force: each agency's points now, after the plan, and its maximum.

Drawn with matplotlib (the optional ``plot`` extra), imported only when a picture is asked
for, like the other plots (:mod:`kla_model.plot`).
"""

from __future__ import annotations

from typing import Any

from kla_model.analysis.task_force import TaskForce
from kla_model.views.plot import _MAXIMUM, _PLANNED, _POINTS, _figure, _n, _p

__all__ = ["plot_task_force"]


def plot_task_force(force: TaskForce, axes: Any = None) -> Any:
    """Each agency of ``force`` (and the unassigned items, if any) as a bar: its points now,
    after its steps of the plan, and the maximum of the items it leads."""
    buckets = force.buckets
    if axes is None:
        figure = _figure(figsize=(10, 1.2 + 0.38 * len(buckets)), layout="constrained")
        axes = figure.subplots()
    else:
        figure = axes.figure
    names = [tasks.name.id if tasks.agency is None else tasks.agency.short for tasks in buckets]
    positions = range(len(buckets))
    axes.barh(positions, [t.max for t in buckets], color=_MAXIMUM, label="Maks / Max")
    axes.barh(positions, [t.points_after for t in buckets], color=_PLANNED, label="Rencana / Plan")
    axes.barh(positions, [t.points for t in buckets], color=_POINTS, label="Sekarang / Now")
    for position, tasks in zip(positions, buckets, strict=True):
        text = f" {_p(tasks.points)}"
        if tasks.gain:
            text += f" → {_p(tasks.points_after)}"
        axes.text(tasks.max, position, f"{text} / {_n(tasks.max)}", va="center", fontsize=8)
    axes.set_yticks(list(positions), names)
    axes.invert_yaxis()
    axes.set_xlabel("Poin / Points")
    axes.set_xlim(0, max((t.max for t in buckets), default=1.0) * 1.35 or 1.0)
    region = force.region
    axes.set_title(f"{region.name} · {force.year}: poin per OPD / points per agency", loc="left")
    axes.legend(loc="lower right", fontsize=8)
    return figure
