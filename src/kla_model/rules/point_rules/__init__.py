"""Point rules: how an item's answer becomes points, one rule kind per module.

Each kind is named by an explicit ``kind:`` in the rule file, never guessed from which keys
are present.  A rule can say what is wrong with an answer (``problem``), turn a valid answer
into an :class:`Outcome` (``evaluate``/``apply``), and report whether its own numbers are
consistent (``inconsistencies``), which the ruleset builder collects.

A new kind is a module here with a frozen class following :class:`PointRule`, a branch in
:func:`rule_from_mapping`, its schema in ``schemas/ruleset.schema.json`` and its sentences in
``kla_model.analysis.explain_templates``.
"""

from kla_model.rules.point_rules.bands import Band, BandsRule
from kla_model.rules.point_rules.base import Outcome, PointRule, same_points
from kla_model.rules.point_rules.boolean import BooleanRule
from kla_model.rules.point_rules.checklist import ChecklistRule
from kla_model.rules.point_rules.levels import LevelsRule, Option
from kla_model.rules.point_rules.linear import Anchor, LinearRule
from kla_model.rules.point_rules.parse import RULE_KINDS, rule_from_mapping
from kla_model.rules.point_rules.reference import ReferenceRule

__all__ = [
    "RULE_KINDS",
    "Anchor",
    "Band",
    "BandsRule",
    "BooleanRule",
    "ChecklistRule",
    "LevelsRule",
    "LinearRule",
    "Option",
    "Outcome",
    "PointRule",
    "ReferenceRule",
    "rule_from_mapping",
    "same_points",
]
