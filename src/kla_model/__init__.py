"""kla_model: Indonesia's child-friendly district evaluation (Kabupaten/Kota Layak Anak) as code.

Rules are data (YAML under ``rules/``), a submission is scored into a :class:`ScoreCard`
with points per item, indicator and group, a total, a tier and a trace::

    import kla_model as kla

    rs = kla.load_ruleset("perpres-25-2021")
    card = kla.score(rs, kla.load_submission("examples/kota-tangerang-2025.yaml"))
    card.total, card.tier
"""

from kla_model.conformance import check
from kla_model.costs import Costs, load_costs
from kla_model.engine import STAGES, score
from kla_model.errors import (
    KlaError,
    PlanError,
    Problem,
    ProblemsError,
    RuleSetError,
    SubmissionError,
    UnknownRuleSetError,
)
from kla_model.explain import Explanation, explain
from kla_model.model import EvidenceRule, Group, Indicator, Item, Label, Region
from kla_model.plan import plan
from kla_model.plan_result import ConditionGap, Plan, Step
from kla_model.references import ReferencePoint, ReferenceSeries
from kla_model.results import GroupScore, IndicatorScore, ItemScore, RuleSetRef, ScoreCard
from kla_model.ruleset import RoundWindow, RuleSet, bundled_rulesets, load_ruleset
from kla_model.sensitivity import Room, Sensitivity, WeightShift, sensitivity
from kla_model.submission import ItemAnswers, Measurement, Submission, load_submission
from kla_model.tiers import Condition, Tier, TierEligibility, TierScale
from kla_model.whatif import Change, Comparison, WhatIf, compare, what_if

__all__ = [
    "STAGES",
    "Change",
    "Comparison",
    "Condition",
    "ConditionGap",
    "Costs",
    "EvidenceRule",
    "Explanation",
    "Group",
    "GroupScore",
    "Indicator",
    "IndicatorScore",
    "Item",
    "ItemAnswers",
    "ItemScore",
    "KlaError",
    "Label",
    "Measurement",
    "Plan",
    "PlanError",
    "Problem",
    "ProblemsError",
    "ReferencePoint",
    "ReferenceSeries",
    "Region",
    "Room",
    "RoundWindow",
    "RuleSet",
    "RuleSetError",
    "RuleSetRef",
    "ScoreCard",
    "Sensitivity",
    "Step",
    "Submission",
    "SubmissionError",
    "Tier",
    "TierEligibility",
    "TierScale",
    "UnknownRuleSetError",
    "WeightShift",
    "WhatIf",
    "bundled_rulesets",
    "check",
    "compare",
    "explain",
    "load_costs",
    "load_ruleset",
    "load_submission",
    "plan",
    "score",
    "sensitivity",
    "what_if",
]

__version__ = "0.1.0"
