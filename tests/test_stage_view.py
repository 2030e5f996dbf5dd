"""What each stage sees of a submission: answers, corrections, evidence status and support."""

from __future__ import annotations

import itertools
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from kla_model import STAGES, Label, Measurement, Submission, load_submission, stage_view
from kla_model.rules.model import EVIDENCE_KINDS
from kla_model.submissions.conformance import accepts
from kla_model.submissions.stage_view import EVIDENCE_STATUSES, supported_items
from profiles import examples
from stage_strategies import RULESET, submissions_with_history

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = load_submission(ROOT / "examples" / "kota-tangerang-2025.yaml")


def test_the_self_assessment_sees_every_piece_as_declared() -> None:
    view = stage_view(RULESET, EXAMPLE, "self_assessment")
    assert not view.verifying
    assert view.corrections == {}
    assert view.status["ev-k1-perda-kla"] == "declared"
    assert view.status["ev-k2-sk-gugus-2024"] == "not_submitted"
    assert view.support["K.1.1"] == ("ev-k1-perda-kla",)
    assert view.support["K.1.3"] == ("ev-k1-dpa-kla", "ev-k1-perda-kla")
    assert "K.1.4" not in supported_items(RULESET, EXAMPLE.evidence[0])


def test_administrative_verification_sees_decisions_made_so_far() -> None:
    view = stage_view(RULESET, EXAMPLE, "administrative")
    assert view.verifying
    assert view.status["ev-k2-sk-gugus-2019"] == "rejected"
    assert view.status["ev-k2-sk-gugus-2024"] == "pending"
    assert view.status["ev-v4-disabilitas"] == "accepted"
    assert view.attached["K.2.2"] == ("ev-k2-sk-gugus-2019", "ev-k2-sk-gugus-2024")
    assert "K.2.2" not in view.support
    reason = view.decisions["ev-k1-ba-konsultasi"].reason
    assert isinstance(reason, Label)
    assert reason.id.startswith("berita acara belum")
    assert reason.en == "the minutes are not signed by the chair"


def test_later_stages_see_later_decisions_and_corrections() -> None:
    field = stage_view(RULESET, EXAMPLE, "field")
    assert field.support["K.2.2"] == ("ev-k2-sk-gugus-2024",)
    assert field.corrections["I.1.1"].value == Measurement(89.2, 2024)
    final = stage_view(RULESET, EXAMPLE, "final")
    assert final.status["ev-v4-disabilitas"] == "rejected"
    assert final.decisions["ev-v4-disabilitas"].stage == "final"
    assert final.corrections["I.1.1"].stage == "field"


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions_with_history())
def test_support_is_what_the_stage_accepts(submission: Submission) -> None:
    """Support is the attached evidence as declared at the self-assessment, and the
    accepted evidence at each verification stage; a later stage never un-submits a piece."""
    seen = [stage_view(RULESET, submission, stage) for stage in STAGES]
    for view in seen:
        assert set(view.status.values()) <= set(EVIDENCE_STATUSES)
        wanted = "accepted" if view.verifying else "declared"
        for item_id, ids in view.support.items():
            assert set(ids) <= set(view.attached[item_id])
            assert all(view.status[e] == wanted for e in ids)
        for item_id, ids in view.attached.items():
            counted = {e for e in ids if view.status[e] == wanted}
            assert counted == set(view.support.get(item_id, ()))
    for earlier, later in itertools.pairwise(seen):
        for evidence_id, status in earlier.status.items():
            if status != "not_submitted":
                assert later.status[evidence_id] != "not_submitted"


def test_an_unknown_stage_is_refused() -> None:
    with pytest.raises(KeyError):
        stage_view(RULESET, EXAMPLE, "lapangan")


def test_the_ruleset_table_of_supported_items_is_what_the_items_accept() -> None:
    """``supported_items`` looks a piece up in a table made once per ruleset: for every
    indicator, item and kind, what the items themselves accept."""
    for indicator in RULESET.indicators.values():
        for kind in EVIDENCE_KINDS:
            piece = attrs.evolve(EXAMPLE.evidence[0], kind=kind, indicator=indicator.id, item=None)
            taking = tuple(item.id for item in indicator.items if accepts(item, kind))
            assert supported_items(RULESET, piece) == taking
            for item in indicator.items:
                on_item = attrs.evolve(piece, item=item.id)
                assert supported_items(RULESET, on_item) == (item.id,)
