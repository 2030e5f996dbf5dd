"""kla_model: Indonesia's child-friendly district evaluation (Kabupaten/Kota Layak Anak) as code.

Rules are data (YAML under ``rules/``), a submission is scored into a :class:`ScoreCard`
with points per item, indicator and group, a total, a tier and a trace::

    import kla_model as kla

    rs = kla.load_ruleset("perpres-25-2021")
    card = kla.score(rs, kla.load_submission("examples/kota-tangerang-2025.yaml"))
    card.total, card.tier
"""

from kla_model.carry_over import (
    CarriedAnswer,
    CarryOverReport,
    DroppedAnswer,
    UnscorableAnswer,
    carry_over,
)
from kla_model.conformance import check
from kla_model.costs import Costs, load_costs
from kla_model.crosswalk import (
    Crosswalk,
    IndicatorLink,
    ItemLink,
    bundled_crosswalks,
    load_crosswalk,
)
from kla_model.engine import STAGES, score
from kla_model.errors import (
    KlaError,
    PlanError,
    Problem,
    ProblemsError,
    ProvinceError,
    RoundNotCoveredError,
    RuleSetError,
    SubmissionError,
    UnknownRuleSetError,
)
from kla_model.explain import Explanation, explain
from kla_model.model import EvidenceRule, Group, Indicator, Item, Label, Region
from kla_model.plan import plan
from kla_model.plan_result import ConditionGap, Plan, Step
from kla_model.province import ProvinceStatus, province_status
from kla_model.references import ReferencePoint, ReferenceSeries
from kla_model.results import GroupScore, IndicatorScore, ItemScore, RuleSetRef, ScoreCard
from kla_model.ruleset import RoundWindow, RuleSet, bundled_rulesets, load_ruleset, ruleset_for
from kla_model.sensitivity import Room, Sensitivity, WeightShift, sensitivity
from kla_model.submission import ItemAnswers, Measurement, Submission, load_submission
from kla_model.tiers import Condition, Tier, TierEligibility, TierScale
from kla_model.whatif import Change, Comparison, WhatIf, compare, what_if

__all__ = [
    "STAGES",
    "CarriedAnswer",
    "CarryOverReport",
    "Change",
    "Comparison",
    "Condition",
    "ConditionGap",
    "Costs",
    "Crosswalk",
    "DroppedAnswer",
    "EvidenceRule",
    "Explanation",
    "Group",
    "GroupScore",
    "Indicator",
    "IndicatorLink",
    "IndicatorScore",
    "Item",
    "ItemAnswers",
    "ItemLink",
    "ItemScore",
    "KlaError",
    "Label",
    "Measurement",
    "Plan",
    "PlanError",
    "Problem",
    "ProblemsError",
    "ProvinceError",
    "ProvinceStatus",
    "ReferencePoint",
    "ReferenceSeries",
    "Region",
    "Room",
    "RoundNotCoveredError",
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
    "UnscorableAnswer",
    "WeightShift",
    "WhatIf",
    "bundled_crosswalks",
    "bundled_rulesets",
    "carry_over",
    "check",
    "compare",
    "explain",
    "load_costs",
    "load_crosswalk",
    "load_ruleset",
    "load_submission",
    "plan",
    "province_status",
    "ruleset_for",
    "score",
    "sensitivity",
    "what_if",
]

__version__ = "0.1.0"
