"""Every rule kind by name, and the facts of each that the layers above read.

This is the one place a kind is listed: :data:`RULE_KINDS` names them, :data:`RULE_CLASSES`
gives each one's class, whose class variables state its facts (how its answer is written,
whether it is measured or proportional, the fields and point values of its mapping) and
whose methods own its table of answers and its reading of a table cell.  Nothing outside
``rules/point_rules`` asks which kind a rule is: it asks the rule.  The wording of each kind
(sentences, moves, steps) lives with the wording, in tables keyed by kind that a test
holds to cover every name here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from kla_model.rules.point_rules.bands import BandsRule
from kla_model.rules.point_rules.base import PointRule
from kla_model.rules.point_rules.boolean import BooleanRule
from kla_model.rules.point_rules.checklist import ChecklistRule
from kla_model.rules.point_rules.levels import LevelsRule
from kla_model.rules.point_rules.linear import LinearRule
from kla_model.rules.point_rules.reference import ReferenceRule

__all__ = ["RULE_CLASSES", "RULE_KINDS", "kind_facts"]

#: Each kind's class, by the name a rule file gives in ``kind:``, in the schema's order.
RULE_CLASSES: Mapping[str, type[PointRule]] = MappingProxyType(
    {
        rule.kind: rule
        for rule in (BooleanRule, LevelsRule, ChecklistRule, BandsRule, LinearRule, ReferenceRule)
    }
)
RULE_KINDS = tuple(RULE_CLASSES)


def kind_facts() -> dict[str, Any]:
    """The facts of every kind a form needs to pick each answer's field, as JSON data
    (what ``GET /rule-kinds`` answers)."""
    return {
        "kinds": {
            kind: {
                "answer": rule.answer_form,
                "measured": rule.measured,
                "proportional": rule.proportional,
            }
            for kind, rule in RULE_CLASSES.items()
        }
    }
