"""Scoring at every stage: golden cases, the change between stages and its causes, and the
properties the project's rules for verification promise (docs/evidence-and-stages.md)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kla_model import (
    STAGES,
    Correction,
    Decision,
    Measurement,
    ScoreCard,
    Submission,
    SubmissionError,
    evidence_report,
    load_submission,
    score,
    score_stages,
)
from kla_model._base.json_schema import schema_problems
from kla_model._base.strict_yaml import load_data_file
from kla_model.errors import KlaError
from profiles import examples
from stage_strategies import RULESET, VERIFYING, submissions_with_history

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted((ROOT / "tests" / "cases" / "stages").glob("*.yaml"))
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"
#: Property tests draw large histories; generating them is slow by design, not a failure.
HEAVY = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _case_submission(case: dict[str, Any], path: Path) -> Submission:
    if "submission_file" in case:
        return load_submission(ROOT / case["submission_file"])
    return Submission.from_mapping(case["submission"], source=str(path))


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_golden_case(path: Path) -> None:
    case = load_data_file(path, SubmissionError)
    history = score_stages(RULESET, _case_submission(case, path))
    for stage, expected in case["stages"].items():
        card = history.card(stage)
        assert card.total == pytest.approx(expected["total"], abs=1e-9), stage
        assert (None if card.tier is None else card.tier.id) == expected["tier"], stage
    for stage, items in case.get("items", {}).items():
        found = {item.id: item for _, _, item in history.card(stage).trace()}
        for item_id, expected in items.items():
            item = found[item_id]
            shown = {
                "points": item.points,
                "outcome": item.outcome,
                "evidence": list(item.evidence),
            }
            assert shown == expected, f"{stage} {item_id}"
    changes = {change.after.stage: change for change in history.changes}
    for stage, expected in case.get("changes", {}).items():
        kinds = {item.item: [cause.kind for cause in item.causes] for item in changes[stage].items}
        assert kinds == expected, stage
    for stage, texts in case.get("cause_texts", {}).items():
        found_texts = {item.item: item.causes[0].text.en for item in changes[stage].items}
        assert found_texts == texts


def test_golden_cases_exist() -> None:
    assert len(CASES) >= 5


def test_example_self_assessment_is_unchanged_by_its_history() -> None:
    card = score(RULESET, load_submission(EXAMPLE), stage="self_assessment")
    assert card.total == 763.25
    assert card.tier is not None
    assert card.tier.id == "nindya"


def test_default_stage_is_the_latest_the_submission_reached() -> None:
    submission = load_submission(EXAMPLE)
    assert submission.latest_stage == "final"
    assert score(RULESET, submission).stage == "final"
    assert score(RULESET, submission).total == 710.75
    plain = attrs.evolve(submission, evidence=(), verification=())
    assert plain.latest_stage == "self_assessment"
    assert score(RULESET, plain).total == 763.25


def test_unknown_stage_is_a_clear_error() -> None:
    with pytest.raises(KlaError, match="stage: expected one of self_assessment, administrative"):
        score(RULESET, load_submission(EXAMPLE), stage="verification")


def test_change_records_and_main_causes() -> None:
    history = score_stages(RULESET, load_submission(EXAMPLE))
    administrative = history.changes[0]
    assert (administrative.before.stage, administrative.after.stage) == (
        "self_assessment",
        "administrative",
    )
    assert administrative.delta == -40.0
    assert [item.item for item in administrative.main(2)] == ["K.1.4", "III.6.2"]
    rejected = administrative.items[0]
    assert (rejected.item, rejected.before, rejected.after, rejected.delta) == (
        "K.1.4",
        15.0,
        0.0,
        -15.0,
    )
    cause = rejected.causes[0]
    assert cause.evidence == "ev-k1-ba-konsultasi"
    assert cause.text.en.startswith(
        "evidence 'Berita Acara Konsultasi Publik Rancangan Perda KLA bersama Forum Anak Kota "
        "Tangerang' rejected at administrative verification: the minutes are not signed"
    )
    assert cause.text.id.startswith("data dukung 'Berita Acara Konsultasi Publik")
    assert "ditolak pada verifikasi administrasi" in cause.text.id
    field = history.changes[1]
    corrected = next(item for item in field.items if item.item == "I.1.1")
    assert corrected.causes[0].text.en.startswith(
        "value corrected from 96.8 to 89.2 at field verification: "
    )
    assert corrected.causes[0].text.id.startswith(
        "nilai dikoreksi dari 96,8 menjadi 89,2 pada verifikasi lapangan: "
    )


def test_stage_history_json_validates_against_the_shipped_schema() -> None:
    data = score_stages(RULESET, load_submission(EXAMPLE)).to_dict()
    assert schema_problems("stages", json.loads(json.dumps(data)), "stages") == []
    assert [entry["total"] for entry in data["stages"]] == [763.25, 723.25, 728.25, 710.75]
    assert [entry["stage"] for entry in data["stages"]] == list(STAGES)
    assert data["stages"][1]["label"] == {
        "id": "Verifikasi administrasi",
        "en": "Administrative verification",
    }
    assert [change["delta"] for change in data["changes"]] == [-40.0, 5.0, -17.5]


def test_stage_history_schema_rejects_an_unknown_cause_kind() -> None:
    data = score_stages(RULESET, load_submission(EXAMPLE)).to_dict()
    data["changes"][0]["items"][0]["causes"][0]["kind"] = "lost"
    problems = schema_problems("stages", data, "stages")
    assert [p.location for p in problems] == ["stages: $.changes[0].items[0].causes[0].kind"]


@pytest.mark.parametrize("stage", STAGES)
def test_cards_at_every_stage_round_trip_and_validate(stage: str) -> None:
    card = score(RULESET, load_submission(EXAMPLE), stage=stage)
    data = json.loads(json.dumps(card.to_dict()))
    assert schema_problems("result", data, "card") == []
    assert ScoreCard.from_dict(data) == card


def test_corrected_item_trace_keeps_the_declared_answer() -> None:
    card = score(RULESET, load_submission(EXAMPLE), stage="field")
    item = next(item for _, _, item in card.trace() if item.id == "I.1.1")
    assert item.outcome == "corrected"
    assert item.input == {"value": 89.2, "data_year": 2024}
    assert item.correction == {
        "declared": {"value": 96.8, "data_year": 2024},
        "stage": "field",
        "verifier": "Tim Verifikasi Lapangan KemenPPPA",
        "reason": {
            "id": "pencocokan dengan data SIAK per 30 Juni 2024 memberi 89,2%",
            "en": "matching against SIAK as of 30 June 2024 gives 89.2%",
        },
    }


def _totals(submission: Submission) -> list[float]:
    return [score(RULESET, submission, stage=stage).total for stage in STAGES]


def _decided(submission: Submission, evidence_id: str, stage: str, action: str) -> Submission:
    """``submission`` with the decision on ``evidence_id`` at ``stage`` set to ``action``."""
    kept = [
        record
        for record in submission.verification
        if not (
            isinstance(record, Decision)
            and record.evidence == evidence_id
            and record.stage == stage
        )
    ]
    decision = Decision(stage, action, evidence_id, "Tim Verifikasi", "keputusan baru")
    return attrs.evolve(submission, verification=(*kept, decision))


@st.composite
def _decision_targets(draw: Any, action: str) -> tuple[Submission, Submission]:
    """A submission, and the same with one decision set to ``action``."""
    submission = draw(submissions_with_history())
    pieces = [piece for piece in submission.evidence if piece.submitted != "final"] or list(
        submission.evidence
    )
    if not pieces:
        return submission, submission
    piece = draw(st.sampled_from(pieces))
    stages = [s for s in VERIFYING if STAGES.index(s) >= STAGES.index(piece.submitted)]
    stage = draw(st.sampled_from(stages))
    return submission, _decided(submission, piece.id, stage, action)


@HEAVY
@given(_decision_targets("reject"))
def test_rejecting_evidence_never_raises_any_stage_total(
    pair: tuple[Submission, Submission],
) -> None:
    """Rejecting a piece of evidence can only take points away, at every stage."""
    before, after = pair
    for old, new in zip(_totals(before), _totals(after), strict=True):
        assert new <= old + 1e-9


@HEAVY
@given(_decision_targets("accept"))
def test_accepting_evidence_never_lowers_any_stage_total(
    pair: tuple[Submission, Submission],
) -> None:
    """Accepting a piece of evidence can only let points count, at every stage."""
    before, after = pair
    for old, new in zip(_totals(before), _totals(after), strict=True):
        assert new >= old - 1e-9


@HEAVY
@given(submissions_with_history(corrections=False))
def test_without_corrections_no_later_stage_scores_above_self_assessment(
    submission: Submission,
) -> None:
    """Verification can only confirm or remove declared points unless a value is corrected."""
    self_assessed, *later = _totals(submission)
    for total in later:
        assert total <= self_assessed + 1e-9


@HEAVY
@given(submissions_with_history(), st.randoms(use_true_random=False))
def test_scores_per_stage_do_not_depend_on_the_order_of_records(
    submission: Submission, rng: Any
) -> None:
    """A stage's card is the same however the records and evidence are listed."""
    records = list(submission.verification)
    evidence = list(submission.evidence)
    rng.shuffle(records)
    rng.shuffle(evidence)
    shuffled = attrs.evolve(submission, verification=records, evidence=evidence)
    for stage in STAGES:
        assert score(RULESET, shuffled, stage=stage) == score(RULESET, submission, stage=stage)


@HEAVY
@given(submissions_with_history())
def test_self_assessment_ignores_evidence_and_records(submission: Submission) -> None:
    """At the self-assessment every claim counts as declared."""
    plain = attrs.evolve(submission, evidence=(), verification=())
    assert score(RULESET, submission, stage="self_assessment").total == pytest.approx(
        score(RULESET, plain, stage="self_assessment").total, abs=0.0
    )


@HEAVY
@given(submissions_with_history())
def test_round_trip_of_a_full_history_is_lossless(submission: Submission) -> None:
    """JSON and YAML keep every answer, piece of evidence and record."""
    data = submission.to_dict()
    from_json = Submission.from_mapping(json.loads(json.dumps(data)))
    from_yaml = Submission.from_mapping(yaml.safe_load(yaml.safe_dump(data, allow_unicode=True)))
    assert from_json == submission
    assert from_yaml == submission
    assert from_json.to_dict() == data
    assert score_stages(RULESET, from_json) == score_stages(RULESET, submission)


@HEAVY
@given(submissions_with_history())
def test_stage_changes_add_up_to_the_totals(submission: Submission) -> None:
    """Each stage's change is the sum of its item changes, and every change has a cause."""
    history = score_stages(RULESET, submission)
    for change in history.changes:
        assert math.fsum(item.delta for item in change.items) == pytest.approx(
            change.delta, abs=1e-9
        )
        for item in change.items:
            assert item.causes, f"{change.after.stage} {item.item} changed without a cause"


def test_the_worked_example_of_the_docs() -> None:
    """docs/evidence-and-stages.md shows this session; its numbers must stay true."""
    sub = Submission.from_mapping(
        {
            "region": {
                "code": "33.74",
                "name": "Kota Semarang",
                "kind": "kota",
                "province": "Jawa Tengah",
            },
            "year": 2025,
            "answers": {
                "K.1": {
                    "items": {
                        "K.1.1": True,
                        "K.1.2": "perda",
                        "K.1.3": True,
                        "K.1.4": ["forum-anak", "masukan-tercatat"],
                    }
                },
                "I.1": {"value": 97.1, "data_year": 2024},
            },
            "evidence": [
                {
                    "id": "perda",
                    "kind": "regulation",
                    "title": "Perda No. 5/2019",
                    "number": "Nomor 5 Tahun 2019",
                    "issued": "2019-07-15",
                    "agency": "Bagian Hukum Setda",
                    "indicator": "K.1",
                },
                {
                    "id": "akta",
                    "kind": "dataset",
                    "title": "Data SIAK akta kelahiran anak 2024",
                    "number": "SIAK/2024-S1",
                    "issued": "2024-07-05",
                    "agency": "Disdukcapil",
                    "indicator": "I.1",
                },
            ],
        }
    )
    assert [(gap.item, gap.points) for gap in evidence_report(RULESET, sub).gaps] == [
        ("K.1.4", 15.0)
    ]
    sub = sub.with_records(
        Decision("administrative", "reject", "perda", "Tim Provinsi", "not signed"),
        Decision("administrative", "accept", "akta", "Tim Provinsi", "complete"),
        Correction("field", "I.1", Measurement(87.4, 2024), "Tim Lapangan", "SIAK recount"),
    )
    assert _totals(sub) == [131.0, 40.0, 30.0, 30.0]
    lines = [
        f"{change.after.stage} {item.item} {item.delta} {item.causes[0].text.en}"
        for change in score_stages(RULESET, sub).changes
        for item in change.items
    ]
    assert lines == [
        "administrative K.1.1 -24.0 evidence 'Perda No. 5/2019' rejected at administrative verification: "
        "not signed",
        "administrative K.1.2 -32.0 evidence 'Perda No. 5/2019' rejected at administrative verification: "
        "not signed",
        "administrative K.1.3 -20.0 evidence 'Perda No. 5/2019' rejected at administrative verification: "
        "not signed",
        "administrative K.1.4 -15.0 no evidence attached (kinds accepted: minutes, report, photo)",
        "field I.1.1 -10.0 value corrected from 97.1 to 87.4 at field verification: SIAK recount",
    ]
