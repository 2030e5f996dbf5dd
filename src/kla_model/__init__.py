"""kla_model: Indonesia's child-friendly district evaluation (Kabupaten/Kota Layak Anak) as code.

Rules are data (YAML under ``rules/``), a submission is scored into a :class:`ScoreCard`
with points per item, indicator and group, a total, a tier and a trace::

    import kla_model as kla

    rs = kla.load_ruleset("perpres-25-2021")
    card = kla.score(rs, kla.load_submission("examples/kota-tangerang-2025.yaml"))
    card.total, card.tier

A submission carries its evidence (*data dukung*) and the verifiers' records; it can be
scored at each stage of the evaluation (``kla.score(rs, sub, stage="administrative")``,
``kla.score_stages(rs, sub)``), and ``kla.evidence_report(rs, sub)`` lists what still lacks
the evidence it requires.
"""

from kla_model.batch import Batch, ScoredRow, score_many, score_rows, score_table
from kla_model.carry_over import (
    CarriedAnswer,
    CarryOverReport,
    DroppedAnswer,
    UnscorableAnswer,
    carry_over,
)
from kla_model.compiled import CompiledRuleSet, compile_ruleset
from kla_model.completeness import EvidenceGap, EvidenceReport, evidence_report
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
    MissingExtraError,
    PlanError,
    Problem,
    ProblemsError,
    ProvinceError,
    RoundNotCoveredError,
    RuleSetError,
    SubmissionError,
    TableError,
    UnknownRuleSetError,
)
from kla_model.evidence import STAGE_LABELS, Correction, Decision, Evidence, VerificationRecord
from kla_model.explain import Explanation, explain
from kla_model.frame import score_frame
from kla_model.model import EvidenceRule, Group, Indicator, Item, Label, Region
from kla_model.output import write_results
from kla_model.plan import plan
from kla_model.plan_result import ConditionGap, Plan, Step
from kla_model.plot import plot_batch, plot_card, plot_plan
from kla_model.province import ProvinceStatus, province_status
from kla_model.references import ReferencePoint, ReferenceSeries
from kla_model.results import GroupScore, IndicatorScore, ItemScore, RuleSetRef, ScoreCard
from kla_model.ruleset import RoundWindow, RuleSet, bundled_rulesets, load_ruleset, ruleset_for
from kla_model.sensitivity import Room, Sensitivity, WeightShift, sensitivity
from kla_model.stage_view import StageView, stage_view
from kla_model.stages import Cause, ItemChange, StageChange, StageHistory, score_stages
from kla_model.submission import ItemAnswers, Measurement, Submission, load_submission
from kla_model.summary import BatchSummary, Ranked, RoundSummary, summarise
from kla_model.table import RowError, Table, TableRow, load_table
from kla_model.tiers import Condition, Tier, TierEligibility, TierScale
from kla_model.totals import ScoreTotals
from kla_model.whatif import Change, Comparison, WhatIf, compare, what_if

__all__ = [
    "STAGES",
    "STAGE_LABELS",
    "Batch",
    "BatchSummary",
    "CarriedAnswer",
    "CarryOverReport",
    "Cause",
    "Change",
    "Comparison",
    "CompiledRuleSet",
    "Condition",
    "ConditionGap",
    "Correction",
    "Costs",
    "Crosswalk",
    "Decision",
    "DroppedAnswer",
    "Evidence",
    "EvidenceGap",
    "EvidenceReport",
    "EvidenceRule",
    "Explanation",
    "Group",
    "GroupScore",
    "Indicator",
    "IndicatorLink",
    "IndicatorScore",
    "Item",
    "ItemAnswers",
    "ItemChange",
    "ItemLink",
    "ItemScore",
    "KlaError",
    "Label",
    "Measurement",
    "MissingExtraError",
    "Plan",
    "PlanError",
    "Problem",
    "ProblemsError",
    "ProvinceError",
    "ProvinceStatus",
    "Ranked",
    "ReferencePoint",
    "ReferenceSeries",
    "Region",
    "Room",
    "RoundNotCoveredError",
    "RoundSummary",
    "RoundWindow",
    "RowError",
    "RuleSet",
    "RuleSetError",
    "RuleSetRef",
    "ScoreCard",
    "ScoreTotals",
    "ScoredRow",
    "Sensitivity",
    "StageChange",
    "StageHistory",
    "StageView",
    "Step",
    "Submission",
    "SubmissionError",
    "Table",
    "TableError",
    "TableRow",
    "Tier",
    "TierEligibility",
    "TierScale",
    "UnknownRuleSetError",
    "UnscorableAnswer",
    "VerificationRecord",
    "WeightShift",
    "WhatIf",
    "bundled_crosswalks",
    "bundled_rulesets",
    "carry_over",
    "check",
    "compare",
    "compile_ruleset",
    "evidence_report",
    "explain",
    "load_costs",
    "load_crosswalk",
    "load_ruleset",
    "load_submission",
    "load_table",
    "plan",
    "plot_batch",
    "plot_card",
    "plot_plan",
    "province_status",
    "ruleset_for",
    "score",
    "score_frame",
    "score_many",
    "score_rows",
    "score_stages",
    "score_table",
    "sensitivity",
    "stage_view",
    "summarise",
    "what_if",
    "write_results",
]

__version__ = "0.1.0"
