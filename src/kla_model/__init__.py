"""kla_model: Indonesia's child-friendly district evaluation (Kabupaten/Kota Layak Anak) as code.

Rules are data (YAML under ``rules/``), a submission is scored into a :class:`ScoreCard`
with points per item, indicator and group, a total, a tier and a trace::

    import kla_model as kla

    rs = kla.load_ruleset("perpres-25-2021")
    card = kla.score(rs, kla.load_submission("examples/kota-tangerang-2025.yaml"))
    card.total, card.tier
"""

from kla_model.batch import score_many
from kla_model.compiled import CompiledRuleSet, compile_ruleset
from kla_model.conformance import check
from kla_model.engine import STAGES, score
from kla_model.errors import (
    KlaError,
    Problem,
    ProblemsError,
    RuleSetError,
    SubmissionError,
    UnknownRuleSetError,
)
from kla_model.model import EvidenceRule, Group, Indicator, Item, Label, Region
from kla_model.references import ReferencePoint, ReferenceSeries
from kla_model.results import GroupScore, IndicatorScore, ItemScore, RuleSetRef, ScoreCard
from kla_model.ruleset import RoundWindow, RuleSet, bundled_rulesets, load_ruleset
from kla_model.submission import ItemAnswers, Measurement, Submission, load_submission
from kla_model.tiers import Condition, Tier, TierEligibility, TierScale
from kla_model.totals import ScoreTotals

__all__ = [
    "STAGES",
    "CompiledRuleSet",
    "Condition",
    "EvidenceRule",
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
    "Problem",
    "ProblemsError",
    "ReferencePoint",
    "ReferenceSeries",
    "Region",
    "RoundWindow",
    "RuleSet",
    "RuleSetError",
    "RuleSetRef",
    "ScoreCard",
    "ScoreTotals",
    "Submission",
    "SubmissionError",
    "Tier",
    "TierEligibility",
    "TierScale",
    "UnknownRuleSetError",
    "bundled_rulesets",
    "check",
    "compile_ruleset",
    "load_ruleset",
    "load_submission",
    "score",
    "score_many",
]

__version__ = "0.1.0"
