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
    Problem,
    ProblemsError,
    ProvinceError,
    RoundNotCoveredError,
    RuleSetError,
    SubmissionError,
    UnknownRuleSetError,
)
from kla_model.model import EvidenceRule, Group, Indicator, Item, Label, Region
from kla_model.province import ProvinceStatus, province_status
from kla_model.references import ReferencePoint, ReferenceSeries
from kla_model.results import GroupScore, IndicatorScore, ItemScore, RuleSetRef, ScoreCard
from kla_model.ruleset import RoundWindow, RuleSet, bundled_rulesets, load_ruleset, ruleset_for
from kla_model.submission import ItemAnswers, Measurement, Submission, load_submission
from kla_model.tiers import Condition, Tier, TierEligibility, TierScale

__all__ = [
    "STAGES",
    "CarriedAnswer",
    "CarryOverReport",
    "Condition",
    "Crosswalk",
    "DroppedAnswer",
    "EvidenceRule",
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
    "Problem",
    "ProblemsError",
    "ProvinceError",
    "ProvinceStatus",
    "ReferencePoint",
    "ReferenceSeries",
    "Region",
    "RoundNotCoveredError",
    "RoundWindow",
    "RuleSet",
    "RuleSetError",
    "RuleSetRef",
    "ScoreCard",
    "Submission",
    "SubmissionError",
    "Tier",
    "TierEligibility",
    "TierScale",
    "UnknownRuleSetError",
    "UnscorableAnswer",
    "bundled_crosswalks",
    "bundled_rulesets",
    "carry_over",
    "check",
    "load_crosswalk",
    "load_ruleset",
    "load_submission",
    "province_status",
    "ruleset_for",
    "score",
]

__version__ = "0.1.0"
