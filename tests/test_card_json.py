"""A card's JSON written straight from the card (``card_json``) is the text of its
``to_dict()`` with the service's settings, byte for byte, whichever trace the card holds; and
``score_json``, the card and its JSON in one pass, is ``card_json(score(...))``, errors
included."""

from __future__ import annotations

import gc
import itertools
import json
import weakref
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kla_model as kla
from conftest import ROOT
from kla_model import Submission, score
from kla_model.rules.tiers import tier_verdict
from kla_model.scoring import card_json as card_json_module
from kla_model.scoring.card_json import DeclaredTrace, RecordedTrace, card_json, writer_of
from kla_model.scoring.engine import score_json
from profiles import examples
from stage_strategies import submissions_with_history
from strategies import ruleset_and_submission, submission_mappings

BUNDLED = kla.load_ruleset("perpres-25-2021")
#: Every bundled ruleset and the bundled overlay (a scale with must-pass conditions).
RULESETS = [kla.load_ruleset(name) for name in kla.bundled_rulesets()] + [
    kla.load_ruleset(ROOT / "rules" / "overlays" / "permen-pppa-12-2011-sanggau-2018.yaml")
]
Mapping = dict[str, Any]


def _text(data: Any) -> bytes:
    """What Starlette's JSONResponse sends for ``data``."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def _holds(card: kla.ScoreCard) -> None:
    """The writer's text is to_dict()'s, byte for byte: the same JSON value, keys in the
    same order.  (Compared as JSON: to_dict() leaves a corrected answer's declared ticks a
    tuple, which JSON writes as an array.)"""
    written = card_json(card)
    assert written == _text(card.to_dict())
    assert json.loads(written) == json.loads(_text(card.to_dict()))
    assert json.loads(written)["total"] == card.total


def _same_as_card_json(ruleset: kla.RuleSet, submission: Submission, stage: Any = None) -> None:
    """score_json gives card_json(score(...))'s bytes, or raises score()'s error."""
    try:
        expected: bytes | tuple[kla.Problem, ...] = card_json(score(ruleset, submission, stage))
    except kla.SubmissionError as refused:
        expected = refused.problems
    try:
        written: bytes | tuple[kla.Problem, ...] = score_json(ruleset, submission, stage)
    except kla.SubmissionError as raised:
        written = raised.problems
    assert written == expected


@settings(max_examples=examples(60))
@given(
    st.sampled_from(RULESETS).flatmap(lambda rs: st.tuples(st.just(rs), submission_mappings(rs)))
)
def test_the_written_json_is_to_dict_on_every_bundled_ruleset_and_overlay(
    case: tuple[kla.RuleSet, Mapping],
) -> None:
    ruleset, data = case
    submission = Submission.from_mapping(data)
    card = score(ruleset, submission)
    # A scale with must-pass conditions reads the parts' points: its records are made at once.
    trace = RecordedTrace if ruleset.tiers.has_conditions else DeclaredTrace
    assert isinstance(card._groups, trace)
    _holds(card)
    _same_as_card_json(ruleset, submission)  # score_json's one pass writes the same
    _same_as_card_json(ruleset, submission)  # and again, from the entries it kept


@settings(max_examples=examples(60))
@given(ruleset_and_submission())
def test_the_written_json_is_to_dict_on_generated_rulesets(
    case: tuple[kla.RuleSet, Mapping, Mapping],
) -> None:
    ruleset, _, data = case
    submission = Submission.from_mapping(data)
    _holds(score(ruleset, submission))
    _same_as_card_json(ruleset, submission)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions_with_history(), st.sampled_from([*kla.STAGES, None]))
def test_the_written_json_is_to_dict_at_every_stage(submission: Submission, stage: Any) -> None:
    card = score(BUNDLED, submission, stage)
    assert isinstance(card._groups, DeclaredTrace | RecordedTrace)
    _holds(card)
    _same_as_card_json(BUNDLED, submission, stage)
    _holds(kla.ScoreCard.from_dict(card.to_dict()))  # a card without its ruleset: encoded


def test_the_declared_trace_is_written_without_making_the_records() -> None:
    data = json.loads((ROOT / "examples" / "kota-tangerang-2025.json").read_text("utf-8"))
    del data["evidence"], data["verification"]
    card = score(BUNDLED, Submission.from_mapping(data))
    written = card_json(card)
    assert callable(card._groups)  # the records were not made
    parsed = json.loads(written)
    assert parsed["total"] == 763.25
    assert parsed["groups"][1]["indicators"][1]["items"][0]["matched"]["label"] == {
        "id": "Ada satu PISA",
        "en": "One PISA",
    }
    again = kla.ScoreCard.from_dict(parsed)  # a card of records writes the same text
    assert not isinstance(again._groups, DeclaredTrace)
    assert card_json(again) == written == card_json(score(BUNDLED, Submission.from_mapping(data)))


def test_a_card_with_evidence_is_written_from_its_records() -> None:
    card = score(BUNDLED, kla.load_submission(ROOT / "examples" / "kota-tangerang-2025.yaml"))
    assert isinstance(card._groups, RecordedTrace)
    _holds(card)
    assert json.loads(card_json(card))["stage"] == "final"


@settings(max_examples=examples(60))
@given(submission_mappings(BUNDLED))
def test_the_kept_tier_verdict_is_the_scales(data: Mapping) -> None:
    card = score(BUNDLED, Submission.from_mapping(data))
    resolution = BUNDLED.resolution
    verdict = tier_verdict(BUNDLED.tiers, card.total, {}, resolution.subtract)
    assert writer_of(BUNDLED).verdict(card.total) == verdict
    assert (card.eligibility, card.tier, card.next_tier) == verdict[:3]
    assert card.tier == BUNDLED.tier_for(card.total)


def test_the_writer_is_made_once_per_ruleset_and_dropped_with_it() -> None:
    assert writer_of(BUNDLED) is writer_of(BUNDLED)
    other = attrs.evolve(BUNDLED, version="changed")
    writer = writer_of(other)
    assert writer is not writer_of(BUNDLED)
    assert writer_of(other) is writer
    gone = weakref.ref(writer)
    del other, writer
    gc.collect()
    assert gone() is None


def test_text_outside_ascii_is_written_as_utf8_and_the_same_answer_twice_the_same() -> None:
    region = kla.Region("1", "Kota Déjà – Contoh", "kota", "Provinsi “Contoh”")
    indicator = next(iter(BUNDLED.indicators.values()))
    answers = {indicator.id: kla.ItemAnswers({indicator.items[0].id: True})}
    card = score(BUNDLED, Submission(region, 2025, answers))
    written = card_json(card)
    assert "Kota Déjà – Contoh".encode() in written and b"\\u" not in written
    assert card_json(score(BUNDLED, Submission(region, 2025, answers))) == written
    _holds(card)


def test_kla_score_prints_the_written_json(capsys: pytest.CaptureFixture[str]) -> None:
    from kla_model.cli import main  # noqa: PLC0415

    path = ROOT / "examples" / "kota-tangerang-2025.yaml"
    assert main(["score", str(path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out.encode() == card_json(score(BUNDLED, kla.load_submission(path))) + b"\n"
    assert out.count("\n") == 1  # one line, as the service sends it


def test_the_service_encodes_the_shared_pieces_when_it_starts() -> None:
    from kla_model.serve.config import Rulesets, ServiceConfig  # noqa: PLC0415
    from kla_model.serve.handlers import Service  # noqa: PLC0415

    ruleset = attrs.evolve(BUNDLED, version="fresh")  # a ruleset no card was written for
    assert writer_of(ruleset)._groups is None
    Service(ServiceConfig(), Rulesets({ruleset.id: ruleset}))
    assert writer_of(ruleset)._groups is not None


# --- the kept entries: the same bytes from a kept entry, and never more than the bound ------

EXAMPLE = kla.load_submission(ROOT / "examples" / "kota-tangerang-2025.yaml")


def _fresh() -> kla.RuleSet:
    """The bundled ruleset as a new value: a writer of its own, nothing kept yet."""
    return attrs.evolve(BUNDLED, version="fresh")


def test_a_second_card_of_the_same_answers_is_written_from_the_kept_entries() -> None:
    ruleset = _fresh()
    declared = Submission(EXAMPLE.region, EXAMPLE.year, EXAMPLE.answers)
    for submission in (declared, EXAMPLE):  # the declared answers, and a verified stage
        first = score(ruleset, submission)
        written = card_json(first)
        again = score(ruleset, attrs.evolve(submission))  # another submission, equal
        assert card_json(again) == written == _text(again.to_dict())
    writer = writer_of(ruleset)
    k2 = writer.groups[0].indicators[1]
    assert k2.id == "K.2" and len(k2.kept or {}) == 1  # the whole indicator, kept
    i1_item = writer.groups[1].indicators[0].items[0]
    assert i1_item[0] == "I.1.1" and len(i1_item[1]) == 1  # a measured answer, kept
    assert len(i1_item[3].recorded) == 1  # and its record's head


def test_the_kept_entries_are_bounded() -> None:
    """Untrusted answers can make a writer keep no more than the bounds: an indicator's
    answers (here K.2's 960 combinations of levels and yes/no) and measured values."""
    ruleset = _fresh()
    k2 = ruleset.indicators["K.2"]
    tables = [list(item.rule.answer_table() or ()) for item in k2.items]
    i1 = ruleset.indicators["I.1"].items[0].id
    for index, combination in enumerate(itertools.islice(itertools.product(*tables), 400)):
        answers = {
            "K.2": kla.ItemAnswers(dict(zip([i.id for i in k2.items], combination, strict=True))),
            "I.1": kla.Measurement(50.0 + index / 8, 2024),
        }
        card = score(ruleset, Submission(EXAMPLE.region, 2025, answers))
        assert card_json(card) == _text(card.to_dict())
    writer = writer_of(ruleset)
    assert len(writer.groups[0].indicators[1].kept or {}) == card_json_module._MAX_KEPT_INDICATORS
    assert len(writer.groups[1].indicators[0].items[0][1]) == card_json_module._MAX_KEPT_ENTRIES
    assert i1 == "I.1.1"


@pytest.mark.parametrize(
    ("a", "b"), [(0.0, -0.0), (97, 97.0)], ids=["zero and minus zero", "int and float"]
)
def test_equal_measurements_written_apart_are_not_kept_as_one(a: float, b: float) -> None:
    ruleset = _fresh()
    for value in (a, b, a, b):
        answers = {"I.1": kla.Measurement(value, 2024)}
        card = score(ruleset, Submission(EXAMPLE.region, 2025, answers))
        assert card_json(card) == _text(card.to_dict())
        stage = score(ruleset, attrs.evolve(EXAMPLE, answers={**EXAMPLE.answers, **answers}))
        assert card_json(stage) == _text(stage.to_dict())


# --- score_json: the card and its text in one pass ------------------------------------------


def _misfits(answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Well-typed answers that do not fit the bundled ruleset, each in one way."""
    k2 = dict(answers["K.2"].items)
    return [
        answers | {"ZZ.1": True},  # an indicator the ruleset does not have
        answers | {"K.2": kla.ItemAnswers(k2 | {"K.2.99": True})},  # an unknown item
        answers | {"K.2": True},  # several items answered as one
        answers | {"K.2": kla.ItemAnswers(k2 | {"K.2.4": "no-such-level"})},
        answers | {"K.2": kla.ItemAnswers(k2 | {"K.2.4": True})},  # a yes for a level
        answers | {"I.1": kla.Measurement(150.0, 2024)},  # a percentage above 100
        answers | {"I.1": kla.Measurement(50.0, 1990)},  # data too old for the round
    ]


@pytest.mark.parametrize("index", range(7))
def test_score_json_refuses_what_score_refuses_even_after_the_answers_were_kept(
    index: int,
) -> None:
    ruleset = _fresh()
    declared = dict(EXAMPLE.answers)
    # The fitting answers first: their entries are kept, and a misfit must not be read from
    # them (an unknown item beside K.2's kept answers, say).
    assert score_json(ruleset, Submission(EXAMPLE.region, 2025, declared))
    assert writer_of(ruleset).groups[0].indicators[1].kept
    misfit = Submission(EXAMPLE.region, 2025, _misfits(declared)[index])
    with pytest.raises(kla.SubmissionError) as refused:
        score(ruleset, misfit)
    with pytest.raises(kla.SubmissionError) as raised:
        score_json(ruleset, misfit)
    assert raised.value.problems == refused.value.problems
    assert str(raised.value) == str(refused.value) != ""


def test_score_json_writes_the_declared_card_without_scoring_it_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The points come from the writer's pass: the compiled totals are not asked."""
    from kla_model.scoring.compiled import CompiledRuleSet  # noqa: PLC0415

    ruleset = _fresh()
    declared = Submission(EXAMPLE.region, 2025, EXAMPLE.answers)
    expected = card_json(score(ruleset, declared))
    asked: list[Submission] = []
    original = CompiledRuleSet.group_points

    def group_points(self: CompiledRuleSet, submission: Submission) -> Any:
        asked.append(submission)
        return original(self, submission)

    monkeypatch.setattr(CompiledRuleSet, "group_points", group_points)
    written = score_json(ruleset, declared)
    assert asked == []
    assert written == expected
    assert json.loads(written)["total"] == 763.25
    score(ruleset, declared)
    assert asked == [declared]  # (the spy sees what score() asks)


class _Text(str):
    """A text of a subclass of ``str``: the encoder writes it as text."""


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"year": True},  # the encoder writes true, not 1
        {"total": 3},
        {"max_score": 1000.0},
        {"region": kla.Region("36.71", _Text('Kota "Ujung" – é'), "kota", "Banten")},
        {"stage": _Text("self_assessment")},
    ],
)
def test_a_cards_own_fields_are_written_as_the_encoder_writes_them(changes: Mapping) -> None:
    card = attrs.evolve(score(BUNDLED, Submission(EXAMPLE.region, 2025, EXAMPLE.answers)))
    card = attrs.evolve(card, **changes)
    data = card.to_dict()
    own = {name: data[name] for name in ("region", "year", "stage", "total", "max_score")}
    assert card_json_module._own_fields(card) == _text(own)[1:-1]
