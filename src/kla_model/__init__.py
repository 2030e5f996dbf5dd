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

from kla_model.analysis.costs import Costs, load_costs
from kla_model.analysis.explain import Explanation, explain
from kla_model.analysis.plan import plan
from kla_model.analysis.plan_result import ConditionGap, Plan, Step
from kla_model.analysis.sensitivity import Room, Sensitivity, WeightShift, sensitivity
from kla_model.analysis.task_force import AgencyTasks, TaskForce, task_force
from kla_model.analysis.whatif import Change, Comparison, WhatIf, compare, what_if
from kla_model.errors import (
    AssignmentError,
    KlaError,
    MissingExtraError,
    PlanError,
    Problem,
    ProblemsError,
    ProvinceError,
    ResultError,
    RoundNotCoveredError,
    RoundNotHeldWarning,
    RuleSetError,
    SubmissionError,
    TableError,
    UnknownRuleSetError,
)
from kla_model.rules.answers import ItemAnswers, Measurement
from kla_model.rules.crosswalk import (
    Crosswalk,
    IndicatorLink,
    ItemLink,
    bundled_crosswalks,
    load_crosswalk,
)
from kla_model.rules.item_score import ItemScore
from kla_model.rules.model import EvidenceRule, Group, Indicator, Item, Label, Region
from kla_model.rules.references import ReferencePoint, ReferenceSeries
from kla_model.rules.rounds import ROUNDS, Round, round_record
from kla_model.rules.ruleset import (
    MAX_EXTENDS,
    RoundWindow,
    RuleSet,
    bundled_rulesets,
    load_ruleset,
    ruleset_for,
)
from kla_model.rules.ruleset_ref import RuleSetRef
from kla_model.rules.tiers import Condition, Tier, TierEligibility, TierScale
from kla_model.scoring.compiled import CompiledRuleSet, compile_ruleset
from kla_model.scoring.engine import STAGES, score
from kla_model.scoring.province import ProvinceStatus, province_status
from kla_model.scoring.results import GroupScore, IndicatorScore, ScoreCard
from kla_model.scoring.stages import Cause, ItemChange, StageChange, StageHistory, score_stages
from kla_model.scoring.stream import score_many
from kla_model.scoring.totals import ScoreTotals
from kla_model.submissions.assignment import Agency, Assignment, Owner, load_assignment
from kla_model.submissions.carry_over import (
    CarriedAnswer,
    CarryOverReport,
    DroppedAnswer,
    UnscorableAnswer,
    carry_over,
)
from kla_model.submissions.completeness import EvidenceGap, EvidenceReport, evidence_report
from kla_model.submissions.conformance import check
from kla_model.submissions.evidence import (
    STAGE_LABELS,
    Correction,
    Decision,
    Evidence,
    VerificationRecord,
)
from kla_model.submissions.stage_view import StageView, stage_view
from kla_model.submissions.submission import Submission, load_submission
from kla_model.tables.batch import Batch, score_table
from kla_model.tables.frame import score_frame
from kla_model.tables.output import write_results
from kla_model.tables.rows import ScoredRow, score_rows
from kla_model.tables.summary import BatchSummary, Ranked, RoundSummary, summarise
from kla_model.tables.table import RowError, Table, TableRow, load_table
from kla_model.views import html as _html  # noqa: F401 (registers the notebook views)
from kla_model.views import report as _report  # noqa: F401 (registers str() of a score card)
from kla_model.views import task_force as _task_force  # noqa: F401 (and the task force's)
from kla_model.views.plot import plot_batch, plot_card, plot_plan
from kla_model.views.task_force_plot import plot_task_force

__all__ = [
    "MAX_EXTENDS",
    "ROUNDS",
    "STAGES",
    "STAGE_LABELS",
    "Agency",
    "AgencyTasks",
    "Assignment",
    "AssignmentError",
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
    "Owner",
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
    "ResultError",
    "Room",
    "Round",
    "RoundNotCoveredError",
    "RoundNotHeldWarning",
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
    "TaskForce",
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
    "load_assignment",
    "load_costs",
    "load_crosswalk",
    "load_ruleset",
    "load_submission",
    "load_table",
    "plan",
    "plot_batch",
    "plot_card",
    "plot_plan",
    "plot_task_force",
    "province_status",
    "round_record",
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
    "task_force",
    "what_if",
    "write_results",
]

__version__ = "0.1.0"
