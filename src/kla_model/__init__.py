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

import importlib
from typing import TYPE_CHECKING, Any

from kla_model._base.display import on_first_view

if TYPE_CHECKING:
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
    from kla_model.rules.model import EvidenceRule, Group, Indicator, Item, Label, Region
    from kla_model.rules.references import ReferencePoint, ReferenceSeries
    from kla_model.rules.rounds import ROUNDS, Round, round_record
    from kla_model.rules.ruleset import (
        MAX_EXTENDS,
        MixedRoundsError,
        NoRoundError,
        RoundWindow,
        RuleSet,
        bundled_rulesets,
        load_ruleset,
        ruleset_for,
        ruleset_for_rounds,
    )
    from kla_model.rules.ruleset_ref import RuleSetRef
    from kla_model.rules.tiers import Condition, Tier, TierEligibility, TierScale
    from kla_model.scoring.compiled import CompiledRuleSet, compile_ruleset
    from kla_model.scoring.engine import STAGES, score
    from kla_model.scoring.province import ProvinceStatus, province_status
    from kla_model.scoring.results import GroupScore, IndicatorScore, ItemScore, ScoreCard
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
    from kla_model.tables.submission_row import submission_row
    from kla_model.tables.summary import BatchSummary, Ranked, RoundSummary, summarise
    from kla_model.tables.table import RowError, Table, TableRow, load_table
    from kla_model.views.plot import plot_batch, plot_card, plot_plan
    from kla_model.views.task_force_plot import plot_task_force

#: Where each public name lives: ``import kla_model`` imports none of them, so that the
#: ``kla`` command and a service start fast; a name's module is imported when it is first used
#: (PEP 562).
_LAZY: dict[str, tuple[str, str]] = {
    "Agency": ("kla_model.submissions.assignment", "Agency"),
    "AgencyTasks": ("kla_model.analysis.task_force", "AgencyTasks"),
    "Assignment": ("kla_model.submissions.assignment", "Assignment"),
    "AssignmentError": ("kla_model.errors", "AssignmentError"),
    "Batch": ("kla_model.tables.batch", "Batch"),
    "BatchSummary": ("kla_model.tables.summary", "BatchSummary"),
    "CarriedAnswer": ("kla_model.submissions.carry_over", "CarriedAnswer"),
    "CarryOverReport": ("kla_model.submissions.carry_over", "CarryOverReport"),
    "Cause": ("kla_model.scoring.stages", "Cause"),
    "Change": ("kla_model.analysis.whatif", "Change"),
    "Comparison": ("kla_model.analysis.whatif", "Comparison"),
    "CompiledRuleSet": ("kla_model.scoring.compiled", "CompiledRuleSet"),
    "Condition": ("kla_model.rules.tiers", "Condition"),
    "ConditionGap": ("kla_model.analysis.plan_result", "ConditionGap"),
    "Correction": ("kla_model.submissions.evidence", "Correction"),
    "Costs": ("kla_model.analysis.costs", "Costs"),
    "Crosswalk": ("kla_model.rules.crosswalk", "Crosswalk"),
    "Decision": ("kla_model.submissions.evidence", "Decision"),
    "DroppedAnswer": ("kla_model.submissions.carry_over", "DroppedAnswer"),
    "Evidence": ("kla_model.submissions.evidence", "Evidence"),
    "EvidenceGap": ("kla_model.submissions.completeness", "EvidenceGap"),
    "EvidenceReport": ("kla_model.submissions.completeness", "EvidenceReport"),
    "EvidenceRule": ("kla_model.rules.model", "EvidenceRule"),
    "Explanation": ("kla_model.analysis.explain", "Explanation"),
    "Group": ("kla_model.rules.model", "Group"),
    "GroupScore": ("kla_model.scoring.results", "GroupScore"),
    "Indicator": ("kla_model.rules.model", "Indicator"),
    "IndicatorLink": ("kla_model.rules.crosswalk", "IndicatorLink"),
    "IndicatorScore": ("kla_model.scoring.results", "IndicatorScore"),
    "Item": ("kla_model.rules.model", "Item"),
    "ItemAnswers": ("kla_model.rules.answers", "ItemAnswers"),
    "ItemChange": ("kla_model.scoring.stages", "ItemChange"),
    "ItemLink": ("kla_model.rules.crosswalk", "ItemLink"),
    "ItemScore": ("kla_model.scoring.results", "ItemScore"),
    "KlaError": ("kla_model.errors", "KlaError"),
    "Label": ("kla_model.rules.model", "Label"),
    "MAX_EXTENDS": ("kla_model.rules.ruleset", "MAX_EXTENDS"),
    "Measurement": ("kla_model.rules.answers", "Measurement"),
    "MixedRoundsError": ("kla_model.rules.ruleset", "MixedRoundsError"),
    "NoRoundError": ("kla_model.rules.ruleset", "NoRoundError"),
    "MissingExtraError": ("kla_model.errors", "MissingExtraError"),
    "Owner": ("kla_model.submissions.assignment", "Owner"),
    "Plan": ("kla_model.analysis.plan_result", "Plan"),
    "PlanError": ("kla_model.errors", "PlanError"),
    "Problem": ("kla_model.errors", "Problem"),
    "ProblemsError": ("kla_model.errors", "ProblemsError"),
    "ProvinceError": ("kla_model.errors", "ProvinceError"),
    "ProvinceStatus": ("kla_model.scoring.province", "ProvinceStatus"),
    "ROUNDS": ("kla_model.rules.rounds", "ROUNDS"),
    "Ranked": ("kla_model.tables.summary", "Ranked"),
    "ReferencePoint": ("kla_model.rules.references", "ReferencePoint"),
    "ReferenceSeries": ("kla_model.rules.references", "ReferenceSeries"),
    "Region": ("kla_model.rules.model", "Region"),
    "ResultError": ("kla_model.errors", "ResultError"),
    "Room": ("kla_model.analysis.sensitivity", "Room"),
    "Round": ("kla_model.rules.rounds", "Round"),
    "RoundNotCoveredError": ("kla_model.errors", "RoundNotCoveredError"),
    "RoundNotHeldWarning": ("kla_model.errors", "RoundNotHeldWarning"),
    "RoundSummary": ("kla_model.tables.summary", "RoundSummary"),
    "RoundWindow": ("kla_model.rules.ruleset", "RoundWindow"),
    "RowError": ("kla_model.tables.table", "RowError"),
    "RuleSet": ("kla_model.rules.ruleset", "RuleSet"),
    "RuleSetError": ("kla_model.errors", "RuleSetError"),
    "RuleSetRef": ("kla_model.rules.ruleset_ref", "RuleSetRef"),
    "STAGES": ("kla_model.scoring.engine", "STAGES"),
    "STAGE_LABELS": ("kla_model.submissions.evidence", "STAGE_LABELS"),
    "ScoreCard": ("kla_model.scoring.results", "ScoreCard"),
    "ScoreTotals": ("kla_model.scoring.totals", "ScoreTotals"),
    "ScoredRow": ("kla_model.tables.rows", "ScoredRow"),
    "Sensitivity": ("kla_model.analysis.sensitivity", "Sensitivity"),
    "StageChange": ("kla_model.scoring.stages", "StageChange"),
    "StageHistory": ("kla_model.scoring.stages", "StageHistory"),
    "StageView": ("kla_model.submissions.stage_view", "StageView"),
    "Step": ("kla_model.analysis.plan_result", "Step"),
    "Submission": ("kla_model.submissions.submission", "Submission"),
    "SubmissionError": ("kla_model.errors", "SubmissionError"),
    "Table": ("kla_model.tables.table", "Table"),
    "TableError": ("kla_model.errors", "TableError"),
    "TableRow": ("kla_model.tables.table", "TableRow"),
    "TaskForce": ("kla_model.analysis.task_force", "TaskForce"),
    "Tier": ("kla_model.rules.tiers", "Tier"),
    "TierEligibility": ("kla_model.rules.tiers", "TierEligibility"),
    "TierScale": ("kla_model.rules.tiers", "TierScale"),
    "UnknownRuleSetError": ("kla_model.errors", "UnknownRuleSetError"),
    "UnscorableAnswer": ("kla_model.submissions.carry_over", "UnscorableAnswer"),
    "VerificationRecord": ("kla_model.submissions.evidence", "VerificationRecord"),
    "WeightShift": ("kla_model.analysis.sensitivity", "WeightShift"),
    "WhatIf": ("kla_model.analysis.whatif", "WhatIf"),
    "bundled_crosswalks": ("kla_model.rules.crosswalk", "bundled_crosswalks"),
    "bundled_rulesets": ("kla_model.rules.ruleset", "bundled_rulesets"),
    "carry_over": ("kla_model.submissions.carry_over", "carry_over"),
    "check": ("kla_model.submissions.conformance", "check"),
    "compare": ("kla_model.analysis.whatif", "compare"),
    "compile_ruleset": ("kla_model.scoring.compiled", "compile_ruleset"),
    "evidence_report": ("kla_model.submissions.completeness", "evidence_report"),
    "explain": ("kla_model.analysis.explain", "explain"),
    "load_assignment": ("kla_model.submissions.assignment", "load_assignment"),
    "load_costs": ("kla_model.analysis.costs", "load_costs"),
    "load_crosswalk": ("kla_model.rules.crosswalk", "load_crosswalk"),
    "load_ruleset": ("kla_model.rules.ruleset", "load_ruleset"),
    "load_submission": ("kla_model.submissions.submission", "load_submission"),
    "load_table": ("kla_model.tables.table", "load_table"),
    "submission_row": ("kla_model.tables.submission_row", "submission_row"),
    "plan": ("kla_model.analysis.plan", "plan"),
    "plot_batch": ("kla_model.views.plot", "plot_batch"),
    "plot_card": ("kla_model.views.plot", "plot_card"),
    "plot_plan": ("kla_model.views.plot", "plot_plan"),
    "plot_task_force": ("kla_model.views.task_force_plot", "plot_task_force"),
    "province_status": ("kla_model.scoring.province", "province_status"),
    "round_record": ("kla_model.rules.rounds", "round_record"),
    "ruleset_for": ("kla_model.rules.ruleset", "ruleset_for"),
    "ruleset_for_rounds": ("kla_model.rules.ruleset", "ruleset_for_rounds"),
    "score": ("kla_model.scoring.engine", "score"),
    "score_frame": ("kla_model.tables.frame", "score_frame"),
    "score_many": ("kla_model.scoring.stream", "score_many"),
    "score_rows": ("kla_model.tables.rows", "score_rows"),
    "score_stages": ("kla_model.scoring.stages", "score_stages"),
    "score_table": ("kla_model.tables.batch", "score_table"),
    "sensitivity": ("kla_model.analysis.sensitivity", "sensitivity"),
    "stage_view": ("kla_model.submissions.stage_view", "stage_view"),
    "summarise": ("kla_model.tables.summary", "summarise"),
    "task_force": ("kla_model.analysis.task_force", "task_force"),
    "what_if": ("kla_model.analysis.whatif", "what_if"),
    "write_results": ("kla_model.tables.output", "write_results"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'kla_model' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def _import_views() -> None:
    """The views register their renderers (HTML, and ``str()`` of a card) when imported."""
    importlib.import_module("kla_model.views.html")
    importlib.import_module("kla_model.views.report")
    importlib.import_module("kla_model.views.task_force")


on_first_view(_import_views)

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
    "MixedRoundsError",
    "NoRoundError",
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
    "ruleset_for_rounds",
    "score",
    "score_frame",
    "score_many",
    "score_rows",
    "score_stages",
    "score_table",
    "sensitivity",
    "stage_view",
    "submission_row",
    "summarise",
    "task_force",
    "what_if",
    "write_results",
]

__version__ = "0.1.0"
