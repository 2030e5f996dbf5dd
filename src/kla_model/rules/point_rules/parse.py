"""Building a point rule from its mapping in a rule file, chosen by its explicit ``kind:``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kla_model.rules.model import Label
from kla_model.rules.point_rules.bands import Band, BandsRule
from kla_model.rules.point_rules.base import PointRule
from kla_model.rules.point_rules.boolean import BooleanRule
from kla_model.rules.point_rules.checklist import ChecklistRule
from kla_model.rules.point_rules.kinds import RULE_KINDS
from kla_model.rules.point_rules.levels import LevelsRule, Option
from kla_model.rules.point_rules.linear import Anchor, LinearRule
from kla_model.rules.point_rules.reference import ReferenceRule
from kla_model.rules.references import ReferenceSeries

__all__ = ["RULE_KINDS", "rule_from_mapping"]


def _options(data: list[dict[str, Any]]) -> tuple[Option, ...]:
    return tuple(Option(o["id"], Label.from_dict(o["label"]), float(o["points"])) for o in data)


def rule_from_mapping(
    data: dict[str, Any], item_max: float, series: Mapping[str, ReferenceSeries]
) -> PointRule:
    """Build a rule from its schema-valid mapping; ``KeyError`` names an unknown series."""
    kind = data["kind"]
    if kind == "boolean":
        return BooleanRule(points=item_max)
    if kind == "levels":
        return LevelsRule(_options(data["levels"]))
    if kind == "checklist":
        cap = data.get("cap")
        return ChecklistRule(_options(data["options"]), None if cap is None else float(cap))
    if kind == "bands":
        bands = tuple(
            Band(
                **{
                    **band,
                    "min": float(band["min"]),
                    "max": float(band["max"]),
                    "points": float(band["points"]),
                }
            )
            for band in data["bands"]
        )
        return BandsRule(data["unit"], bands)
    if kind == "linear":
        start, end = (
            Anchor(float(data[e]["value"]), float(data[e]["points"])) for e in ("from", "to")
        )
        return LinearRule(data["unit"], start, end)
    points = data["points"]
    return ReferenceRule(
        unit=data["unit"],
        series=series[data["series"]],
        direction=data["direction"],
        better=float(points["better"]),
        equal=float(points["equal"]),
        worse=float(points["worse"]),
    )
