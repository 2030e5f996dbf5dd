"""Bad evidence and verification records: each is a clear error naming the record, and a
rejected file or addition changes nothing."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model import (
    Correction,
    Decision,
    Evidence,
    KlaError,
    Measurement,
    Submission,
    SubmissionError,
    check,
    evidence_report,
    load_submission,
    score,
    score_stages,
)
from kla_model.cli import main
from kla_model.submissions import history
from kla_model.submissions.evidence import evidence_from_data, record_from_data
from kla_model.submissions.history import history_problems
from profiles import examples
from stage_strategies import RULESET, submissions_with_history

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"


def _piece(evidence_id: str = "perda", **changes: Any) -> dict[str, Any]:
    return {
        "id": evidence_id,
        "kind": "regulation",
        "title": "Peraturan Daerah tentang Kota Layak Anak",
        "number": "Nomor 5 Tahun 2019",
        "issued": "2019-07-15",
        "agency": "Bagian Hukum",
        "indicator": "K.1",
        **changes,
    }


def _decision(action: str, evidence: str, stage: str = "administrative", **more: Any) -> Any:
    return {
        "stage": stage,
        "action": action,
        "evidence": evidence,
        "verifier": "Tim",
        "reason": "r",
        **more,
    }


def _correction(indicator: str, value: Any, stage: str = "field", **more: Any) -> Any:
    return {
        "stage": stage,
        "action": "correct",
        "indicator": indicator,
        "value": value,
        "verifier": "Tim",
        "reason": "r",
        **more,
    }


def _data(evidence: list[Any], verification: list[Any]) -> dict[str, Any]:
    return {
        "region": {"code": "36.71", "name": "Kota Tangerang", "kind": "kota", "province": "Banten"},
        "year": 2025,
        "answers": {
            "K.1": {"items": {"K.1.1": True, "K.1.2": "perda"}},
            "I.1": {"value": 97.1, "data_year": 2024},
        },
        "evidence": evidence,
        "verification": verification,
    }


def _load_problems(evidence: list[Any], verification: list[Any]) -> list[str]:
    with pytest.raises(SubmissionError) as raised:
        Submission.from_mapping(_data(evidence, verification), source="sub.yaml")
    return [str(problem) for problem in raised.value.problems]


def _ruleset_problems(evidence: list[Any], verification: list[Any]) -> list[str]:
    submission = Submission.from_mapping(_data(evidence, verification), source="sub.yaml")
    return [str(problem) for problem in check(RULESET, submission)]


def test_a_record_for_unknown_evidence_names_the_record() -> None:
    found = _load_problems([_piece()], [_decision("reject", "perda-2019")])
    assert found == [
        "sub.yaml: $.verification[0].evidence: reject of evidence 'perda-2019' at "
        "administrative: unknown evidence id 'perda-2019' (did you mean 'perda'?); "
        "the file's evidence ids are perda"
    ]


def test_a_duplicate_evidence_id_is_refused() -> None:
    found = _load_problems([_piece(), _piece(kind="head_regulation")], [])
    assert found == [
        "sub.yaml: $.evidence[1].id: duplicate evidence id 'perda' (first used at $.evidence[0])"
    ]


def test_a_decision_before_the_evidence_was_submitted_is_out_of_order() -> None:
    found = _load_problems(
        [_piece(submitted="field")], [_decision("accept", "perda", "administrative")]
    )
    assert found == [
        "sub.yaml: $.verification[0].stage: accept of evidence 'perda' at administrative: "
        "stage out of order: the evidence was submitted at field (Field verification), so no "
        "decision on it can be made at administrative, an earlier stage"
    ]


def test_a_record_dated_before_an_earlier_stage_is_out_of_order() -> None:
    records = [
        _decision("accept", "perda", "field", date="2024-07-01"),
        _decision("accept", "perda", "administrative", date="2024-08-01"),
    ]
    found = _load_problems([_piece()], records)
    assert found == [
        "sub.yaml: $.verification[0].date: accept of evidence 'perda' at field: stage out of "
        "order: dated 2024-07-01, before $.verification[1] at administrative (an earlier stage) "
        "dated 2024-08-01"
    ]


def test_two_decisions_on_one_piece_at_one_stage_conflict() -> None:
    records = [_decision("accept", "perda"), _decision("reject", "perda")]
    found = _load_problems([_piece()], records)
    assert found == [
        "sub.yaml: $.verification[1]: reject of evidence 'perda' at administrative: "
        "conflicting records: $.verification[0] already decides on this evidence at "
        "administrative; a stage makes one decision per piece of evidence"
    ]


def test_a_kind_the_item_does_not_accept_is_refused() -> None:
    found = _ruleset_problems([_piece(kind="photo", item="K.1.1")], [])
    assert found == [
        "sub.yaml: $.evidence[0].kind: evidence 'perda': expected a kind item K.1.1 accepts "
        "(regulation, head_regulation); found 'photo'"
    ]


def test_a_kind_no_item_of_the_indicator_accepts_is_refused() -> None:
    found = _ruleset_problems([_piece(kind="dataset")], [])
    assert found == [
        "sub.yaml: $.evidence[0].kind: evidence 'perda': expected a kind some item of K.1 "
        "accepts (head_regulation, minutes, photo, regulation, report); found 'dataset'"
    ]


def test_evidence_for_an_unknown_indicator_or_item_is_refused() -> None:
    found = _ruleset_problems([_piece(indicator="K.9"), _piece("p2", item="K.1.7")], [])
    assert found == [
        "sub.yaml: $.evidence[0].indicator: evidence 'perda': expected an indicator id of the "
        "ruleset; found unknown id 'K.9' (did you mean 'K.3'?)",
        "sub.yaml: $.evidence[1].item: evidence 'p2': expected an item id of K.1; found unknown "
        "id 'K.1.7' (did you mean 'K.1.4'?)",
    ]


def test_a_correction_of_an_unanswered_value_is_refused() -> None:
    found = _ruleset_problems([], [_correction("I.2", "two", item="I.2.1")])
    assert found == [
        "sub.yaml: $.verification[0]: correction of I.2/I.2.1 at field: the submission never "
        "answered I.2.1; a correction replaces an answered value"
    ]


def test_a_correction_for_an_unknown_item_or_without_one_is_refused() -> None:
    records = [
        _correction("K.1", False, item="K.1.9"),
        _correction("K.1", False),
        _correction("K.7", False),
    ]
    found = _ruleset_problems([], records)
    assert found == [
        "sub.yaml: $.verification[0].item: correction of K.1/K.1.9 at field: expected an item "
        "id of K.1; found unknown id 'K.1.9' (did you mean 'K.1.4'?)",
        "sub.yaml: $.verification[1].item: correction of K.1 at field: expected the id of the "
        "item corrected, one of K.1.1, K.1.2, K.1.3, K.1.4; found none",
        "sub.yaml: $.verification[2].indicator: correction of K.7 at field: expected an "
        "indicator id of the ruleset; found unknown id 'K.7' (did you mean 'K.3'?)",
    ]


def test_a_corrected_value_the_rule_cannot_score_is_refused() -> None:
    found = _ruleset_problems([], [_correction("I.1", {"value": 120, "data_year": 2024})])
    assert found == [
        "sub.yaml: $.verification[0].value: correction of I.1 at field: I.1.1: expected a "
        "percentage from 0 to 100; found 120"
    ]


def test_two_corrections_of_one_item_at_one_stage_conflict() -> None:
    records = [
        _correction("I.1", {"value": 91.4, "data_year": 2024}),
        _correction("I.1", {"value": 90.0, "data_year": 2024}, item="I.1.1"),
    ]
    found = _ruleset_problems([], records)
    assert found == [
        "sub.yaml: $.verification[1]: correction of I.1/I.1.1 at field: conflicting records: "
        "$.verification[0] already corrects I.1.1 at field; a stage makes one correction per item"
    ]


def test_every_problem_is_listed_at_once() -> None:
    records = [_decision("reject", "nope"), _correction("I.2", "two", item="I.2.1")]
    submission = Submission.from_mapping(
        _data([_piece(), _piece("p2", kind="dataset")], records[1:]), source="sub.yaml"
    )
    assert len(check(RULESET, submission)) == 2
    with pytest.raises(SubmissionError) as raised:
        Submission.from_mapping(_data([_piece(), _piece()], records), source="sub.yaml")
    assert len(raised.value.problems) == 2


def test_scoring_and_reports_raise_the_ruleset_problems() -> None:
    submission = Submission.from_mapping(
        _data([_piece(kind="photo", item="K.1.1")], []), source="sub.yaml"
    )
    for call in (
        lambda: score(RULESET, submission, stage="self_assessment"),
        lambda: score(RULESET, submission, stage="final"),
        lambda: score_stages(RULESET, submission),
        lambda: evidence_report(RULESET, submission),
    ):
        with pytest.raises(SubmissionError, match=r"\$\.evidence\[0\]\.kind: evidence 'perda'"):
            call()


def test_kla_validate_reports_a_bad_record(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "bad.yaml"
    text = EXAMPLE.read_text("utf-8").replace(
        "evidence: ev-v4-disabilitas\n    verifier: Tim Verifikasi Final",
        "evidence: ev-v4-disabilitass\n    verifier: Tim Verifikasi Final",
    )
    path.write_text(text, "utf-8")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}: $.verification[35].evidence: reject of evidence 'ev-v4-disabilitass' " in err
    assert "(did you mean 'ev-v4-disabilitas'?)" in err


def test_a_refused_addition_changes_nothing() -> None:
    submission = load_submission(EXAMPLE)
    before = copy.deepcopy(submission.to_dict())
    clash = Decision("final", "accept", "ev-v4-disabilitas", "Tim", "second thoughts")
    with pytest.raises(SubmissionError, match="conflicting records"):
        submission.with_records(clash)
    duplicate = submission.evidence[0]
    with pytest.raises(SubmissionError, match="duplicate evidence id 'ev-k1-perda-kla'"):
        submission.with_evidence(duplicate)
    assert submission.to_dict() == before
    assert len(submission.verification) == 36


def test_records_are_added_after_the_existing_ones() -> None:
    submission = load_submission(EXAMPLE)
    photo = Evidence(
        id="ev-iii6-foto-ulang",
        kind="photo",
        title="Dokumentasi Foto Pengawasan Reklame Rokok (bertanggal)",
        number="DOK/SATPOL-PP/2025/02",
        issued=datetime.date(2025, 2, 20),
        agency="Satpol PP",
        indicator="III.6",
        item="III.6.2",
        submitted="final",
    )
    accepted = Decision("final", "accept", photo.id, "Tim Verifikasi Final KemenPPPA", "bertanggal")
    later = submission.with_evidence(photo).with_records(accepted)
    assert later.verification[:-1] == submission.verification
    assert later.answers == submission.answers
    assert score(RULESET, later, stage="final").total == 720.75  # III.6.2's 10 points return
    assert score(RULESET, submission, stage="final").total == 710.75


def test_history_problems_of_an_empty_history() -> None:
    assert history_problems((), (), "sub.yaml") == []


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions_with_history(), st.data())
def test_a_correction_of_an_unanswered_item_is_always_refused(
    submission: Submission, data: st.DataObject
) -> None:
    """Whatever else a file holds, correcting a value never answered is an error."""
    unanswered = [i for i in RULESET.indicators.values() if i.id not in submission.answers]
    if not unanswered:
        return
    indicator = data.draw(st.sampled_from(unanswered))
    item = indicator.items[0]
    record = Correction("final", indicator.id, Measurement(50.0, 2023), "Tim", "r", item=item.id)
    added = submission.with_records(record)
    problems = [str(problem) for problem in check(RULESET, added)]
    assert any("a correction replaces an answered value" in p for p in problems)
    with pytest.raises(KlaError):
        score(RULESET, added, stage="final")


def _built_problems(evidence: list[Any], verification: list[Any]) -> list[str]:
    """The problems of the same history given to the constructor as values."""
    region = kla.Region("36.71", "Kota Tangerang", "kota", "Banten")
    pieces = [evidence_from_data(entry) for entry in evidence]
    records = [record_from_data(entry) for entry in verification]
    with pytest.raises(SubmissionError) as raised:
        Submission(region, 2025, {}, origin="sub.yaml", evidence=pieces, verification=records)
    return [str(problem) for problem in raised.value.problems]


@pytest.mark.parametrize(
    ("evidence", "verification"),
    [
        ([_piece()], [_decision("reject", "perda-2019")]),
        ([_piece(), _piece(kind="head_regulation")], []),
        ([_piece(submitted="field")], [_decision("accept", "perda", "administrative")]),
        (
            [_piece()],
            [
                _decision("accept", "perda", "field", date="2024-07-01"),
                _decision("accept", "perda", "administrative", date="2024-08-01"),
            ],
        ),
        ([_piece()], [_decision("accept", "perda"), _decision("reject", "perda")]),
    ],
)
def test_a_bad_history_is_refused_alike_however_the_submission_is_made(
    evidence: list[Any], verification: list[Any]
) -> None:
    """The constructor refuses what a file is refused for, with the same words: no
    submission has a history that contradicts itself, so scoring need not check it again."""
    found = _load_problems(evidence, verification)
    assert found
    assert _built_problems(evidence, verification) == found
    good = Submission.from_mapping(_data(evidence[:1], []), source="sub.yaml")
    with pytest.raises(SubmissionError) as raised:
        attrs.evolve(
            good,
            evidence=[evidence_from_data(e) for e in evidence],
            verification=[record_from_data(r) for r in verification],
        )
    assert [str(problem) for problem in raised.value.problems] == found


def test_a_history_is_checked_once_from_reading_to_scoring(monkeypatch: Any) -> None:
    checked: list[int] = []
    duplicate_ids = history._duplicate_ids

    def counted(evidence: Any, source: str) -> Any:
        checked.append(len(evidence))
        return duplicate_ids(evidence, source)

    monkeypatch.setattr(history, "_duplicate_ids", counted)
    submission = load_submission(EXAMPLE)
    assert checked == [34]
    score(RULESET, submission, stage="final")
    score_stages(RULESET, submission)
    assert not check(RULESET, submission)
    assert checked == [34]
