"""Score totals: a score card without its trace, for scoring many districts at once.

A :class:`ScoreTotals` holds what a batch table shows per district (points per group, the
total and the tier) and nothing per item, so millions of them cost little.  It is what
:func:`kla_model.score_many` yields with ``trace=False``, and ``ScoreTotals.of(card)`` turns a
full card into the same value, which is how the two paths are proven equal.
"""

from __future__ import annotations

from typing import Any

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model._base.display import html_view
from kla_model.rules.model import Label, Region
from kla_model.rules.tiers import Tier
from kla_model.scoring.results import RuleSetRef, ScoreCard

__all__ = ["ScoreTotals"]


@attrs.frozen
class ScoreTotals:
    """One district's group points, total and tier, without the per-item trace."""

    __repr__ = attrs_repr

    ruleset: RuleSetRef
    region: Region
    year: int
    stage: str
    total: float
    max_score: float
    tier: Tier | None
    #: The group ids in ruleset order, shared by every result of one ruleset.
    group_ids: tuple[str, ...]
    #: The points of each group, in the order of ``group_ids``.
    group_points: tuple[float, ...]
    none_label: Label

    @classmethod
    def of(cls, card: ScoreCard) -> ScoreTotals:
        """The totals of a full score card."""
        return cls(
            ruleset=card.ruleset,
            region=card.region,
            year=card.year,
            stage=card.stage,
            total=card.total,
            max_score=card.max_score,
            tier=card.tier,
            group_ids=tuple(group.id for group in card.groups),
            group_points=tuple(group.points for group in card.groups),
            none_label=card.none_label,
        )

    @property
    def groups(self) -> dict[str, float]:
        """Points per group id, in ruleset order."""
        return dict(zip(self.group_ids, self.group_points, strict=True))

    @property
    def tier_label(self) -> Label:
        """The tier's label, or the scale's label for no tier."""
        return self.none_label if self.tier is None else self.tier.label

    def _repr_html_(self) -> str:
        """The totals as HTML, for notebooks."""
        return html_view(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe data: one line of a JSON Lines results file."""
        return {
            "region": self.region.to_dict(),
            "year": self.year,
            "stage": self.stage,
            "groups": self.groups,
            "total": self.total,
            "max_score": self.max_score,
            "tier": None if self.tier is None else self.tier.id,
            "ruleset": self.ruleset.to_dict(),
        }
