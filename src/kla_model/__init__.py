"""kla_model: Indonesia's child-friendly district evaluation (Kabupaten/Kota Layak Anak) as code.

Rules are data (YAML under ``rules/``), a submission is scored into a :class:`ScoreCard`
with points per item, indicator and group, a total, a tier and a trace::

    import kla_model as kla

    rs = kla.load_ruleset("perpres-25-2021")
    card = kla.score(rs, kla.load_submission("examples/kota-tangerang-2025.yaml"))
    card.total, card.tier
"""

from kla_model.batch import Batch, ScoredRow, score_many, score_rows, score_table
from kla_model.compiled import CompiledRuleSet, compile_ruleset
from kla_model.conformance import check
from kla_model.engine import STAGES, score
from kla_model.errors import (
    KlaError,
    MissingExtraError,
    Problem,
    ProblemsError,
    RuleSetError,
    SubmissionError,
    TableError,
    UnknownRuleSetError,
)
from kla_model.frame import score_frame
from kla_model.model import EvidenceRule, Group, Indicator, Item, Label, Region
from kla_model.output import write_results
from kla_model.plot import plot_batch, plot_card
from kla_model.references import ReferencePoint, ReferenceSeries
from kla_model.results import GroupScore, IndicatorScore, ItemScore, RuleSetRef, ScoreCard
from kla_model.ruleset import RoundWindow, RuleSet, bundled_rulesets, load_ruleset
from kla_model.submission import ItemAnswers, Measurement, Submission, load_submission
from kla_model.summary import BatchSummary, Ranked, RoundSummary, summarise
from kla_model.table import RowError, Table, TableRow, load_table
from kla_model.tiers import Condition, Tier, TierEligibility, TierScale
from kla_model.totals import ScoreTotals

__all__ = [
    "STAGES",
    "Batch",
    "BatchSummary",
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
    "MissingExtraError",
    "Problem",
    "ProblemsError",
    "Ranked",
    "ReferencePoint",
    "ReferenceSeries",
    "Region",
    "RoundSummary",
    "RoundWindow",
    "RowError",
    "RuleSet",
    "RuleSetError",
    "RuleSetRef",
    "ScoreCard",
    "ScoreTotals",
    "ScoredRow",
    "Submission",
    "SubmissionError",
    "Table",
    "TableError",
    "TableRow",
    "Tier",
    "TierEligibility",
    "TierScale",
    "UnknownRuleSetError",
    "bundled_rulesets",
    "check",
    "compile_ruleset",
    "load_ruleset",
    "load_submission",
    "load_table",
    "plot_batch",
    "plot_card",
    "score",
    "score_frame",
    "score_many",
    "score_rows",
    "score_table",
    "summarise",
    "write_results",
]

__version__ = "0.1.0"
