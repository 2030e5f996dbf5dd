"""Point rules: how an item's answer becomes points, one rule kind per module.

Each kind is named by an explicit ``kind:`` in the rule file, never guessed from which keys
are present.  A rule can say what is wrong with an answer (``problem``), turn a valid answer
into an :class:`Outcome` (``evaluate``/``apply``), and report whether its own numbers are
consistent (``inconsistencies``), which the ruleset builder collects.

The facts of each kind (its table of answers, how its answer is written and read from a
table cell, whether it is measured or proportional) are its class's; :mod:`.kinds` lists the
kinds.  A new kind is a module here with a frozen class following :class:`PointRule`, its name
in :data:`~.kinds.RULE_CLASSES`, a branch in :func:`rule_from_mapping`, its schema in
``schemas/ruleset.schema.json`` and its wording in ``kla_model.analysis`` (see
``docs/architecture.md``).
"""

from kla_model.rules.point_rules.bands import Band, BandsRule
from kla_model.rules.point_rules.base import (
    ANSWER_FORMS,
    TABULATED_OPTIONS,
    BadCell,
    Outcome,
    PointRule,
    same_points,
)
from kla_model.rules.point_rules.boolean import BooleanRule
from kla_model.rules.point_rules.checklist import ChecklistRule
from kla_model.rules.point_rules.kinds import RULE_CLASSES, RULE_KINDS, kind_facts
from kla_model.rules.point_rules.levels import LevelsRule, Option
from kla_model.rules.point_rules.linear import Anchor, LinearRule
from kla_model.rules.point_rules.parse import rule_from_mapping
from kla_model.rules.point_rules.reference import ReferenceRule

__all__ = [
    "ANSWER_FORMS",
    "RULE_CLASSES",
    "RULE_KINDS",
    "TABULATED_OPTIONS",
    "Anchor",
    "BadCell",
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
    "kind_facts",
    "rule_from_mapping",
    "same_points",
]
