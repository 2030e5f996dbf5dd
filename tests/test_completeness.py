"""The evidence-completeness report: items lacking required evidence, by points at risk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from kla_model import KlaError, Submission, evidence_report, load_submission, score
from kla_model._base.json_schema import schema_problems
from profiles import examples
from stage_strategies import RULESET, submissions_with_history

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = load_submission(ROOT / "examples" / "kota-tangerang-2025.yaml")


def test_the_example_is_complete_before_verification() -> None:
    report = evidence_report(RULESET, EXAMPLE, stage="self_assessment")
    assert report.complete
    assert report.required == 49
    assert report.points_at_risk == 0.0


def test_rejected_evidence_shows_at_the_latest_stage_sorted_by_points() -> None:
    report = evidence_report(RULESET, EXAMPLE)
    assert report.stage == "final"
    assert [(gap.item, gap.points, gap.status) for gap in report.gaps] == [
        ("V.4.1", 17.5, "rejected"),
        ("K.1.4", 15.0, "rejected"),
        ("III.6.2", 10.0, "rejected"),
    ]
    assert report.points_at_risk == 42.5
    assert report.gaps[0].rejected == ("ev-v4-disabilitas",)
    assert report.gaps[0].kinds == ("dataset", "report")


def test_a_pending_piece_is_not_a_gap() -> None:
    report = evidence_report(RULESET, EXAMPLE, stage="administrative")
    assert [gap.item for gap in report.gaps] == ["K.1.4", "III.6.2"]


def test_missing_evidence_before_submitting() -> None:
    handed_in = [piece for piece in EXAMPLE.evidence[1:] if piece.submitted == "self_assessment"]
    plain = attrs.evolve(EXAMPLE, evidence=handed_in, verification=())
    report = evidence_report(RULESET, plain)
    assert report.stage == "self_assessment"
    # The Perda on K.1 is gone: K.1.1 and K.1.2 lack evidence; K.1.3 still has its budget report.
    assert [(gap.item, gap.points, gap.status) for gap in report.gaps] == [
        ("K.1.2", 32.0, "missing"),
        ("K.1.1", 24.0, "missing"),
    ]
    assert report.gaps[0].kinds == ("regulation", "head_regulation")
    assert report.points_at_risk == 56.0


def test_items_that_earn_nothing_are_not_at_risk() -> None:
    data: dict[str, Any] = {
        "region": {"code": "36.71", "name": "Kota Tangerang", "kind": "kota", "province": "Banten"},
        "year": 2025,
        "answers": {"K.3": {"items": {"K.3.3": False, "K.3.1": True}}},
    }
    report = evidence_report(RULESET, Submission.from_mapping(data))
    assert report.required == 1
    assert [gap.item for gap in report.gaps] == ["K.3.1"]


def test_points_at_risk_follow_a_correction() -> None:
    plain = attrs.evolve(
        EXAMPLE,
        evidence=[piece for piece in EXAMPLE.evidence if piece.id != "ev-i1-akta"],
        verification=[
            r for r in EXAMPLE.verification if getattr(r, "evidence", "") != "ev-i1-akta"
        ],
    )
    report = evidence_report(RULESET, plain, stage="field")
    gap = next(gap for gap in report.gaps if gap.item == "I.1.1")
    assert (gap.points, gap.status) == (30.0, "missing")  # 89.2 after the field correction


def test_report_json_validates_against_the_shipped_schema() -> None:
    data = json.loads(json.dumps(evidence_report(RULESET, EXAMPLE).to_dict()))
    assert schema_problems("evidence-report", data, "report") == []
    assert data["stage_label"] == {"id": "Verifikasi final", "en": "Final verification"}
    assert data["points_at_risk"] == 42.5
    data["gaps"][0]["status"] = "lost"
    assert [p.location for p in schema_problems("evidence-report", data, "r")] == [
        "r: $.gaps[0].status"
    ]


def test_an_unknown_stage_is_refused() -> None:
    with pytest.raises(KlaError, match="stage: expected one of"):
        evidence_report(RULESET, EXAMPLE, stage="lapangan")


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions_with_history())
def test_the_points_at_risk_are_what_verification_can_still_take(submission: Submission) -> None:
    """At the latest stage, an item with a gap scores nothing, and the gaps are sorted."""
    report = evidence_report(RULESET, submission)
    card = score(RULESET, submission, stage=report.stage)
    points = {item.id: item.points for _, _, item in card.trace()}
    for gap in report.gaps:
        assert gap.points > 0
        if report.stage != "self_assessment":
            assert points[gap.item] == 0.0
    assert [gap.points for gap in report.gaps] == sorted(
        (gap.points for gap in report.gaps), reverse=True
    )
