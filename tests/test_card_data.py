"""A card's ``to_dict()`` made straight from the answers (the compact path) is exactly what its
records give, every container in it is new, and the tier verdict kept per total is the scale's."""

from __future__ import annotations

import gc
import json
import random
import weakref
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

import kla_model as kla
from conftest import ROOT
from kla_model import Submission, score
from kla_model.scoring.card_data import CompactTrace, fresh_copier, layout_of
from kla_model.scoring.results import ScoreCard
from profiles import examples
from strategies import ruleset_and_submission, submission_mappings

BUNDLED = kla.load_ruleset("perpres-25-2021")
Mapping = dict[str, Any]


def _records_data(ruleset: kla.RuleSet, submission: Submission) -> dict[str, Any]:
    """What the records give: ``to_dict()`` of a card whose groups are made first."""
    card = score(ruleset, submission)
    card.groups  # noqa: B018  (made: to_dict() now serialises the records)
    assert isinstance(card._groups, tuple)
    return card.to_dict()


def _compact(ruleset: kla.RuleSet, data: Mapping) -> ScoreCard:
    card = score(ruleset, Submission.from_mapping(data))
    assert isinstance(card._groups, CompactTrace)  # the compact path is the one under test
    return card


def _same_text(a: Any, b: Any) -> bool:
    """Equal, and in the same order: the JSON a service sends is the same text."""
    return bool(a == b and json.dumps(a) == json.dumps(b))


@settings(max_examples=examples(150))
@given(ruleset_and_submission())
def test_the_compact_data_is_what_the_records_give(
    case: tuple[kla.RuleSet, Mapping, Mapping],
) -> None:
    ruleset, _, data = case
    submission = Submission.from_mapping(data)
    assert _same_text(score(ruleset, submission).to_dict(), _records_data(ruleset, submission))


@settings(max_examples=examples(150))
@given(submission_mappings(BUNDLED))
def test_the_compact_data_is_what_the_records_give_for_the_bundled_ruleset(data: Mapping) -> None:
    card = _compact(BUNDLED, data)
    compact = card.to_dict()
    assert callable(card._groups)  # to_dict() did not make the records
    assert _same_text(compact, _records_data(BUNDLED, Submission.from_mapping(data)))
    assert _same_text(compact["groups"], [group.to_dict() for group in card.groups])


def _containers(data: Any) -> list[Any]:
    found: list[Any] = []
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            found.append(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            found.append(value)
            stack.extend(value)
    return found


@settings(max_examples=examples(50))
@given(submission_mappings(BUNDLED))
def test_every_container_of_the_data_is_new(data: Mapping) -> None:
    """Changing one card's data changes no other card's, nor what the ruleset keeps."""
    first, second = (_compact(BUNDLED, data).to_dict() for _ in range(2))
    seen = {id(container) for container in _containers(first)}
    assert not any(id(container) in seen for container in _containers(second))
    for container in _containers(first):  # vandalise the first: the next is unchanged
        if isinstance(container, dict):
            container["x"] = None
        else:
            container.append(None)
    assert _same_text(_compact(BUNDLED, data).to_dict(), second)


def test_a_copier_copies_every_container_and_shares_only_leaves() -> None:
    value = {"a": [1, {"b": [2, "t"], "c": {}}, []], "d": {"e": "x"}, "f": None, "g": 1.5}
    copy = fresh_copier(value)()
    assert _same_text(copy, value)
    originals = {id(container) for container in _containers(value)}
    assert not any(id(container) in originals for container in _containers(copy))
    assert fresh_copier({"flat": 1})() == {"flat": 1}
    with pytest.raises(TypeError, match="expected plain data; found tuple"):
        fresh_copier({"a": (1, 2)})


@settings(max_examples=examples(100))
@given(submission_mappings(BUNDLED))
def test_the_kept_tier_verdict_is_the_scales(data: Mapping) -> None:
    card = _compact(BUNDLED, data)
    resolution = BUNDLED.resolution
    eligibility = BUNDLED.tiers.eligibility(card.total, {}, resolution.subtract)
    assert card.eligibility == eligibility
    reached = [entry.tier for entry in eligibility if entry.reached]
    assert card.tier == (reached[-1] if reached else None)
    assert card.tier == BUNDLED.tier_for(card.total)


def test_the_example_card_data_is_the_records_data() -> None:
    loaded = kla.load_submission("examples/kota-tangerang-2025.yaml")
    declared = Submission(loaded.region, loaded.year, loaded.answers)
    data = score(BUNDLED, declared).to_dict()
    assert data["total"] == 763.25
    assert data["groups"][1]["indicators"][1]["items"][0]["matched"]["label"] == {
        "id": "Ada satu PISA",
        "en": "One PISA",
    }
    assert _same_text(data, _records_data(BUNDLED, declared))


def test_the_layout_is_made_once_per_ruleset_and_dropped_with_it() -> None:
    assert layout_of(BUNDLED) is layout_of(BUNDLED)
    other = attrs.evolve(BUNDLED, version="changed")
    layout = layout_of(other)
    assert layout is not layout_of(BUNDLED)
    assert layout_of(other) is layout
    gone = weakref.ref(layout)
    del other, layout
    gc.collect()
    assert gone() is None


def test_a_card_from_many_random_answers_serialises_the_same_both_ways() -> None:
    rng = random.Random(11)
    for _ in range(20):
        answers: dict[str, Any] = {}
        for indicator in BUNDLED.indicators.values():
            if rng.random() < 0.2:
                continue
            table = BUNDLED.declared
            items = {
                item.id: rng.choice(sorted(table[item.id], key=repr))
                for item in indicator.items
                if table[item.id] and rng.random() < 0.9
            }
            if items:
                answers[indicator.id] = kla.ItemAnswers(items)
        region = kla.Region("1", "Kota Contoh", "kota", "Provinsi Contoh")
        submission = Submission(region, 2025, answers)
        assert _same_text(score(BUNDLED, submission).to_dict(), _records_data(BUNDLED, submission))


@pytest.mark.parametrize("stage", ["self_assessment", None])
def test_a_card_at_the_self_assessment_takes_the_compact_path(stage: str | None) -> None:
    data = json.loads((ROOT / "examples" / "kota-tangerang-2025.json").read_text("utf-8"))
    data.pop("evidence", None)
    data.pop("verification", None)
    submission = Submission.from_mapping(data)
    card = score(BUNDLED, submission, stage)
    assert isinstance(card._groups, CompactTrace)
    assert _same_text(card.to_dict(), _records_data(BUNDLED, submission))


def test_a_card_with_evidence_serialises_its_records() -> None:
    submission = kla.load_submission("examples/kota-tangerang-2025.yaml")
    card = score(BUNDLED, submission)
    assert not isinstance(card._groups, CompactTrace)
    assert _same_text(card.to_dict(), _records_data(BUNDLED, submission))
