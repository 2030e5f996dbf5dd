"""Evidence, stages and verification records as values, and in a submission file."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kla_model import (
    STAGE_LABELS,
    STAGES,
    Correction,
    Decision,
    Evidence,
    KlaError,
    Label,
    Measurement,
    Submission,
    SubmissionError,
    load_submission,
)
from kla_model.submissions.evidence import (
    ACTIONS,
    VERIFICATION_STAGES,
    evidence_from_data,
    known_stage,
    read_evidence,
    read_records,
    record_from_data,
    stage_index,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"

PERDA: dict[str, Any] = {
    "id": "perda",
    "kind": "regulation",
    "title": "Peraturan Daerah tentang Kota Layak Anak",
    "number": "Nomor 5 Tahun 2019",
    "issued": "2019-07-15",
    "agency": "Bagian Hukum",
    "indicator": "K.1",
}


def _submission(**extra: Any) -> dict[str, Any]:
    return {
        "region": {"code": "36.71", "name": "Kota Tangerang", "kind": "kota", "province": "Banten"},
        "year": 2025,
        "answers": {"K.1": {"items": {"K.1.1": True}}, "I.1": {"value": 97.1, "data_year": 2024}},
        **extra,
    }


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(SubmissionError) as raised:
        Submission.from_mapping(data, source="sub.yaml")
    return [str(problem) for problem in raised.value.problems]


def test_stages_are_ordered_and_labelled_in_both_languages() -> None:
    assert STAGES == ("self_assessment", "administrative", "field", "final")
    assert STAGES[1:] == VERIFICATION_STAGES
    assert [stage_index(stage) for stage in STAGES] == [0, 1, 2, 3]
    assert str(STAGE_LABELS["self_assessment"]) == "Penilaian mandiri / Self-assessment"
    assert STAGE_LABELS["field"].id == "Verifikasi lapangan"
    assert STAGE_LABELS["final"].en == "Final verification"
    assert ACTIONS == ("accept", "reject", "correct")


def test_known_stage_names_the_stages_it_expects() -> None:
    assert known_stage("field") == "field"
    with pytest.raises(KlaError, match=r"expected one of .*final; found 'lapangan'"):
        known_stage("lapangan")


def test_evidence_from_data_and_back() -> None:
    data = {**PERDA, "item": "K.1.1", "uri": "https://example.org/perda.pdf", "sha256": "a" * 64}
    piece = evidence_from_data(data)
    assert piece.issued == datetime.date(2019, 7, 15)
    assert piece.submitted == "self_assessment"
    assert piece.target == "K.1/K.1.1"
    assert piece.to_dict() == data
    late = evidence_from_data({**PERDA, "submitted": "field"})
    assert late.to_dict() == {**PERDA, "submitted": "field"}
    assert late.target == "K.1"


def test_evidence_refuses_an_unknown_kind_when_built_directly() -> None:
    with pytest.raises(ValueError, match="'kind' must be in"):
        Evidence("x", "letter", "t", "n", datetime.date(2024, 1, 1), "a", "K.1")


def test_records_from_data_and_back() -> None:
    reject = {
        "stage": "administrative",
        "action": "reject",
        "evidence": "perda",
        "verifier": "Tim Provinsi",
        "reason": "not signed",
        "date": "2024-09-10",
    }
    decision = record_from_data(reject)
    assert isinstance(decision, Decision)
    assert not decision.accepted
    assert decision.describe() == "reject of evidence 'perda' at administrative"
    assert decision.to_dict() == reject
    correct = {
        "stage": "field",
        "action": "correct",
        "indicator": "I.1",
        "value": {"value": 91.4, "data_year": 2024},
        "verifier": "Tim Lapangan",
        "reason": "SIAK recount",
    }
    correction = record_from_data(correct)
    assert isinstance(correction, Correction)
    assert correction.value == Measurement(91.4, 2024)
    assert correction.describe() == "correction of I.1 at field"
    assert correction.to_dict() == correct


def test_a_record_cannot_belong_to_the_self_assessment() -> None:
    with pytest.raises(ValueError, match="'stage' must be in"):
        Decision("self_assessment", "accept", "perda", "Tim", "ok")


def test_submission_keeps_answers_evidence_and_records() -> None:
    data = _submission(
        evidence=[PERDA],
        verification=[
            {
                "stage": "administrative",
                "action": "accept",
                "evidence": "perda",
                "verifier": "Tim Provinsi",
                "reason": "valid",
            },
            {
                "stage": "field",
                "action": "correct",
                "indicator": "I.1",
                "value": {"value": 91.4, "data_year": 2024},
                "verifier": "Tim Lapangan",
                "reason": "SIAK recount",
            },
        ],
    )
    submission = Submission.from_mapping(data)
    assert [piece.id for piece in submission.evidence] == ["perda"]
    assert [record.action for record in submission.verification] == ["accept", "correct"]
    assert submission.answers["I.1"] == Measurement(97.1, 2024)  # the declared value stays
    assert submission.latest_stage == "field"
    assert submission.to_dict() == data
    assert Submission.from_mapping(json.loads(json.dumps(data))) == submission


def test_a_submission_without_history_writes_no_history() -> None:
    submission = Submission.from_mapping(_submission())
    assert "evidence" not in submission.to_dict()
    assert "verification" not in submission.to_dict()
    assert submission.latest_stage == "self_assessment"


def test_the_example_round_trips_through_json_and_yaml(tmp_path: Path) -> None:
    submission = load_submission(EXAMPLE)
    assert len(submission.evidence) == 34
    assert len(submission.verification) == 36
    as_json = tmp_path / "copy.json"
    as_json.write_text(json.dumps(submission.to_dict(), ensure_ascii=False), "utf-8")
    as_yaml = tmp_path / "copy.yaml"
    as_yaml.write_text(yaml.safe_dump(submission.to_dict(), allow_unicode=True), "utf-8")
    for written in (as_json, as_yaml):
        assert load_submission(written) == submission
        assert load_submission(written).to_dict() == submission.to_dict()


def test_schema_problems_are_located() -> None:
    bad_piece = {**PERDA, "kind": "letter", "colour": "red"}
    bad_record = {"stage": "field", "action": "approve", "evidence": "perda", "verifier": "T"}
    found = _problems(_submission(evidence=[bad_piece], verification=[bad_record]))
    assert (
        "sub.yaml: $.evidence[0]: unknown field(s) 'colour'; allowed: agency, id, indicator, "
        in (found[0])
    )
    assert any(p.startswith("sub.yaml: $.evidence[0].kind: expected one of") for p in found)
    assert any(
        p.startswith("sub.yaml: $.verification[0].action: expected one of ['accept', 'reject'")
        for p in found
    )
    assert "sub.yaml: $.verification[0]: 'reason' is a required property" in found


def test_a_decision_must_name_its_evidence_and_a_correction_its_value() -> None:
    decision = {"stage": "field", "action": "accept", "verifier": "T", "reason": "ok"}
    correction = {
        "stage": "field",
        "action": "correct",
        "indicator": "I.1",
        "evidence": "perda",
        "verifier": "T",
        "reason": "r",
    }
    found = _problems(_submission(evidence=[PERDA], verification=[decision, correction]))
    assert "sub.yaml: $.verification[0]: 'evidence' is a required property" in found
    assert "sub.yaml: $.verification[1]: 'value' is a required property" in found
    assert any(
        p.startswith("sub.yaml: $.verification[1]: unknown field(s) 'evidence'") for p in found
    )


def test_a_record_is_worded_by_the_kind_its_action_names() -> None:
    # The record schema is a oneOf of a decision and a correction: the problems shown are
    # those of the kind the action names, even where the stage is wrong in both kinds.
    decision = {"stage": "desk", "action": "reject", "verifier": "T", "reason": "r"}
    found = _problems(_submission(evidence=[PERDA], verification=[decision]))
    assert found == [
        "sub.yaml: $.verification[0]: 'evidence' is a required property",
        "sub.yaml: $.verification[0].stage: expected one of ['administrative', 'field', "
        "'final']; found 'desk'",
    ]


def test_records_at_the_self_assessment_are_refused() -> None:
    record = {
        "stage": "self_assessment",
        "action": "accept",
        "evidence": "perda",
        "verifier": "T",
        "reason": "ok",
    }
    found = _problems(_submission(evidence=[PERDA], verification=[record]))
    assert found == [
        "sub.yaml: $.verification[0].stage: expected one of ['administrative', 'field', "
        "'final']; found 'self_assessment'"
    ]


def test_impossible_dates_and_bad_hashes_are_refused() -> None:
    piece = {**PERDA, "issued": "2019-02-30", "sha256": "ABC"}
    record = {
        "stage": "administrative",
        "action": "accept",
        "evidence": "perda",
        "verifier": "T",
        "reason": "ok",
        "date": "2024-13-01",
    }
    found = _problems(_submission(evidence=[piece], verification=[record]))
    assert any(p.startswith("sub.yaml: $.evidence[0].sha256: expected") for p in found)
    piece["sha256"] = "0" * 64
    found = _problems(_submission(evidence=[piece], verification=[record]))
    assert found == [
        "sub.yaml: $.evidence[0].issued: expected a calendar date YYYY-MM-DD; found '2019-02-30'",
        "sub.yaml: $.verification[0].date: expected a calendar date YYYY-MM-DD; found '2024-13-01'",
    ]


def test_a_corrected_value_must_be_finite() -> None:
    record = {
        "stage": "field",
        "action": "correct",
        "indicator": "I.1",
        "value": {"value": float("nan"), "data_year": 2024},
        "verifier": "T",
        "reason": "r",
    }
    found = _problems(_submission(verification=[record]))
    assert found == ["sub.yaml: $.verification[0].value.value: expected a finite number; found nan"]


@given(
    st.dates(datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)),
    st.sampled_from(STAGES),
    st.booleans(),
)
def test_evidence_round_trips(issued: datetime.date, submitted: str, on_item: bool) -> None:
    """Any piece of evidence survives to_dict and back unchanged."""
    piece = Evidence(
        id="ev-1",
        kind="dataset",
        title="Data",
        number="1/2024",
        issued=issued,
        agency="Disdukcapil",
        indicator="I.1",
        item="I.1.1" if on_item else None,
        submitted=submitted,
    )
    assert evidence_from_data(json.loads(json.dumps(piece.to_dict()))) == piece


def _entries() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The example's evidence and records, and some with every optional field."""
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    evidence = [
        *data["evidence"],
        {**PERDA, "item": "K.1.2", "uri": "https://x.test/p", "sha256": "0" * 64},
        {**PERDA, "submitted": "field"},
    ]
    records = [
        *data["verification"],
        {"stage": "field", "action": "accept", "evidence": "perda", "verifier": "T", "reason": "r"},
        {
            "stage": "final",
            "action": "correct",
            "indicator": "K.1",
            "item": "K.1.4",
            "value": ["a", "b"],
            "verifier": "T",
            "reason": {"id": "alasan", "en": "reason"},
            "date": "2024-10-01",
        },
        {"stage": "field", "action": "correct", "indicator": "I.1", "value": {"value": 90}},
    ]
    records[-1] |= {"verifier": "T", "reason": "r"}
    return evidence, records


def test_read_without_checks_equals_read_with_them() -> None:
    """The reader of schema-checked data makes the values the checking constructors make,
    with every field set."""
    evidence, records = _entries()
    pairs: list[tuple[attrs.AttrsInstance, attrs.AttrsInstance]] = [
        (read_evidence(entry), evidence_from_data(entry)) for entry in evidence
    ]
    pairs += zip(read_records(records), map(record_from_data, records), strict=True)
    for unchecked, checked in pairs:
        assert type(unchecked) is type(checked)
        assert attrs.asdict(unchecked) == attrs.asdict(checked)  # every slot set
        assert unchecked == checked
        assert repr(unchecked) == repr(checked)
        assert hash(unchecked) == hash(checked)
    reasons = [record.reason for record in read_records([*records, *records])]
    assert any(type(reason) is Label for reason in reasons)
    assert len({id(reason) for reason in reasons}) < len(reasons) / 2  # each reason made once
