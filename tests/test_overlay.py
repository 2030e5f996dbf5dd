"""Overlays: official numbers without code changes (rule files that ``extends:`` another)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model._base.json_schema import json_path, schema_problems
from kla_model.rules.overlay import merge
from kla_model.views.report import card_text
from profiles import examples

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "own-instrument-overlay.yaml"
TANGERANG = ROOT / "examples" / "kota-tangerang-2025.yaml"
PARENT = kla.load_ruleset("perpres-25-2021")
HEAD = {
    "extends": "perpres-25-2021",
    "id": "perpres-25-2021-test",
    "version": "1",
    "status": "official",
    "source": "test overlay",
}


def _write(directory: Path, name: str, data: dict[str, Any]) -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(kla.RuleSetError) as raised:
        kla.load_ruleset(path)
    return str(raised.value)


def test_the_documented_example_overlay() -> None:
    ruleset = kla.load_ruleset(EXAMPLE)
    assert ruleset.id == "perpres-25-2021-contoh"
    assert ruleset.status == "illustrative"
    assert ruleset.extends == PARENT.ref
    assert ruleset.sha256 != PARENT.sha256
    assert ruleset.max_score == 1000
    assert ruleset.indicators["K.1"].max == 100
    assert ruleset.items["K.1.1"].max == 28
    assert ruleset.items["III.6.3"].max == 1
    assert ruleset.tiers.get("nindya").min == 770
    assert ruleset.applies_to == PARENT.applies_to
    card = kla.score(ruleset, kla.load_submission(TANGERANG), stage="self_assessment")
    assert card.total == 763.25  # +4 on K.1.1, -4 on III.6.3
    assert card.tier is not None
    assert card.tier.id == "madya"  # Nindya now needs more than 770
    assert card.ruleset.extends == PARENT.ref
    assert card.to_dict()["ruleset"]["extends"] == {
        "id": "perpres-25-2021",
        "version": "2025.1",
        "status": "provisional",
        "sha256": PARENT.sha256,
    }
    assert kla.ScoreCard.from_dict(card.to_dict()) == card
    assert schema_problems("result", card.to_dict(), "card") == []


def test_the_merged_ruleset_is_a_full_ruleset(tmp_path: Path) -> None:
    merged = kla.load_ruleset(EXAMPLE).to_dict()
    assert "extends" not in merged
    assert schema_problems("ruleset", merged, "merged") == []
    again = kla.load_ruleset(_write(tmp_path, "full.yaml", merged))
    assert again.groups == kla.load_ruleset(EXAMPLE).groups


def test_an_overlay_of_an_overlay_names_the_whole_chain(tmp_path: Path) -> None:
    first = _write(tmp_path, "first.yaml", {**HEAD, "extends": str(EXAMPLE)})
    second = _write(tmp_path, "second.yaml", {**HEAD, "id": "second", "extends": "first.yaml"})
    middle = kla.load_ruleset(first, allow=[EXAMPLE.parent])
    ruleset = kla.load_ruleset(second, allow=[EXAMPLE.parent])
    assert ruleset.extends == middle.ref
    assert middle.extends == kla.load_ruleset(EXAMPLE).ref
    assert ruleset.ref.extends is not None
    assert ruleset.ref.extends.extends is not None
    assert ruleset.ref.extends.extends.extends == PARENT.ref
    card = kla.score(ruleset, kla.load_submission(TANGERANG))
    assert kla.ScoreCard.from_dict(card.to_dict()) == card
    assert schema_problems("result", card.to_dict(), "card") == []
    assert "memperluas / extends: perpres-25-2021-contoh" in card_text(card)


def test_an_overlay_may_change_a_rule_kind_in_full(tmp_path: Path) -> None:
    rule = {
        "kind": "levels",
        "levels": [
            {"id": "no", "label": {"id": "Tidak", "en": "No"}, "points": 0},
            {"id": "yes", "label": {"id": "Ya", "en": "Yes"}, "points": 24},
        ],
    }
    path = _write(tmp_path, "kind.yaml", {**HEAD, "items": {"K.1.1": {"rule": rule}}})
    assert kla.load_ruleset(path).items["K.1.1"].rule.kind == "levels"


def test_an_overlay_may_change_reference_series_and_status(tmp_path: Path) -> None:
    values = [{"year": 2018, "value": 30.8}, {"year": 2025, "value": 19.0, "source": "own"}]
    data = {**HEAD, "references": {"stunting": {"values": values}}}
    ruleset = kla.load_ruleset(_write(tmp_path, "series.yaml", data))
    series = next(s for s in ruleset.references if s.id == "stunting")
    assert series.last_year == 2025
    assert ruleset.status == "official"
    assert ruleset.source == "test overlay"


def test_an_overlay_given_as_a_mapping() -> None:
    ruleset = kla.RuleSet.from_mapping({**HEAD, "tiers": {"scale": {"pratama": {"min": 450}}}})
    assert ruleset.tiers.get("pratama").min == 450
    assert ruleset.extends == PARENT.ref


@pytest.mark.parametrize(
    ("overlay", "location", "message"),
    [
        (
            {"indicators": {"K.9": {"max": 3}}},
            '$.indicators["K.9"]',
            "expected the id of an existing indicator; found 'K.9' (did you mean 'K.3'?)",
        ),
        (
            {"items": {"K.1.2": {"rule": {"levels": {"perdaa": {"points": 1}}}}}},
            '$.items["K.1.2"].rule.levels.perdaa',
            "expected the id of an existing level of item K.1.2; found 'perdaa'",
        ),
        (
            {"items": {"K.1.1": {"rule": {"levels": {"yes": {"points": 1}}}}}},
            '$.items["K.1.1"].rule.levels',
            "item K.1.1's rule is of kind 'boolean', which has no 'levels'",
        ),
        (
            {"references": {"wasting": {"source": "x"}}},
            "$.references.wasting",
            "expected the id of an existing reference series; found 'wasting'",
        ),
        (
            {"tiers": {"scale": {"platinum": {"min": 950}}}},
            "$.tiers.scale.platinum",
            "expected the id of an existing tier; found 'platinum'",
        ),
        (
            {"groups": {"klaster_9": {"max": 1}}},
            "$.groups.klaster_9",
            "expected the id of an existing group; found 'klaster_9'",
        ),
        (
            {"items": {"K.1.2": {"rule": {"kind": "checklist", "options": {"a": {"points": 1}}}}}},
            '$.items["K.1.2"].rule.options',
            "expected a list of options: a rule of another kind",
        ),
    ],
    ids=["indicator", "level", "no-levels", "series", "tier", "group", "kind-change"],
)
def test_an_unknown_id_names_the_file_and_field(
    tmp_path: Path, overlay: dict[str, Any], location: str, message: str
) -> None:
    path = _write(tmp_path, "bad.yaml", {**HEAD, **overlay})
    text = _error(path)
    assert f"{path}: {location}: {message}" in text
    assert f"{path} (extending perpres-25-2021 2025.1)" in text


@pytest.mark.parametrize(
    ("overlay", "location", "message"),
    [
        (
            {"items": {"K.1.1": {"max": 30}}},
            '$.indicators["K.1"].max',
            "expected the item maxima to add up to 96; they add up to 102",
        ),
        (
            {"indicators": {"I.1": {"max": 41}}, "items": {"I.1.1": {"max": 41}}},
            "$.groups.klaster_1.max",
            "expected the indicator maxima to add up to 115; they add up to 116",
        ),
        (
            {"groups": {"klaster_1": {"max": 120}}},
            "$.max_score",
            "expected the group maxima to add up to 1000; they add up to 1005",
        ),
        (
            {"items": {"K.1.2": {"rule": {"levels": {"perda": {"points": 40}}}}}},
            '$.items["K.1.2"].rule.levels',
            "the rule can give at most 40 points; the item max is 32",
        ),
        (
            {"tiers": {"scale": {"madya": {"min": 400}}}},
            "$.tiers.scale.madya.min",
            "expected a threshold above the previous tier's (≥ 500); found > 400",
        ),
        (
            {"items": {"K.1.2": {"rule": {"levels": [{"id": "x", "points": 32}]}}}},
            '$.items["K.1.2"].rule.levels.x',
            "'label' is a required property",
        ),
    ],
    ids=["item-sum", "indicator-sum", "group-sum", "level-points", "tier-order", "schema"],
)
def test_an_overlay_that_breaks_the_ruleset_names_the_file_and_field(
    tmp_path: Path, overlay: dict[str, Any], location: str, message: str
) -> None:
    path = _write(tmp_path, "sums.yaml", {**HEAD, **overlay})
    assert f"{path}: {location}: {message}" in _error(path)


def test_an_overlay_must_say_who_it_is(tmp_path: Path) -> None:
    path = _write(tmp_path, "anon.yaml", {"extends": "perpres-25-2021", "items": {}})
    text = _error(path)
    for field in ("id", "version", "status", "source"):
        assert f"'{field}' is a required property" in text
    assert f"{path}: $:" in text


def test_an_overlay_field_the_format_does_not_know(tmp_path: Path) -> None:
    path = _write(tmp_path, "extra.yaml", {**HEAD, "indicators": {"K.1": {"weight": 3}}})
    assert f"{path}: $.indicators[\"K.1\"]: unknown field(s) 'weight'" in _error(path)


def test_an_unknown_parent(tmp_path: Path) -> None:
    path = _write(tmp_path, "orphan.yaml", {**HEAD, "extends": "perpres-2099"})
    text = _error(path)
    assert f"{path}: $.extends: expected a bundled ruleset name" in text
    assert "found 'perpres-2099'" in text
    missing = _write(tmp_path, "lost.yaml", {**HEAD, "extends": "nowhere/parent.yaml"})
    assert f"{missing}: $.extends: expected a rule file at" in _error(missing)


def test_a_cycle_of_extends_is_reported_with_its_chain(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", {**HEAD, "id": "a", "extends": "b.yaml"})
    b = _write(tmp_path, "b.yaml", {**HEAD, "id": "b", "extends": "./a.yaml"})
    text = _error(a)
    assert f"{b}: $.extends: expected a parent that does not extend this file again" in text
    assert f"found a cycle: {a.resolve()} -> {b.resolve()} -> {a.resolve()}" in text


def test_an_overlay_that_extends_itself(tmp_path: Path) -> None:
    path = _write(tmp_path, "self.yaml", {**HEAD, "extends": "self.yaml"})
    assert f"found a cycle: {path.resolve()} -> {path.resolve()}" in _error(path)


def test_merge_changes_neither_input() -> None:
    parent = PARENT.to_dict()
    overlay = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    before = copy.deepcopy((parent, overlay))
    merged, problems = merge(parent, overlay, "x")
    assert problems == ()
    assert (parent, overlay) == before
    assert merged != parent


@settings(max_examples=examples(40), deadline=None)
@given(
    st.sampled_from([i for i in PARENT.items.values() if i.rule.kind == "boolean"]),
    st.integers(1, 50),
)
def test_moving_points_consistently_keeps_the_ruleset_valid(item: kla.Item, extra: int) -> None:
    """Raising an item, its indicator, its group and max_score together adds up again."""
    indicator = next(i for i in PARENT.indicators.values() if item in i.items)
    group = PARENT.group_of[indicator.id]
    overlay = {
        **HEAD,
        "max_score": PARENT.max_score + extra,
        "groups": {group: {"max": next(g for g in PARENT.groups if g.id == group).max + extra}},
        "indicators": {indicator.id: {"max": indicator.max + extra}},
        "items": {item.id: {"max": item.max + extra}},
    }
    ruleset = kla.RuleSet.from_mapping(overlay, source="moved.yaml")
    assert ruleset.max_score == PARENT.max_score + extra
    assert ruleset.items[item.id].rule.max_points == item.max + extra
    assert ruleset.sha256 != PARENT.sha256
    assert ruleset.extends == PARENT.ref


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ.0123456789", min_size=1, max_size=8))
def test_any_unknown_indicator_id_is_refused(indicator_id: str) -> None:
    if not indicator_id[0].isalnum() or indicator_id in PARENT.indicators:
        return
    with pytest.raises(kla.RuleSetError) as raised:
        kla.RuleSet.from_mapping({**HEAD, "indicators": {indicator_id: {"max": 1}}}, "o.yaml")
    assert f"o.yaml: {json_path(['indicators', indicator_id])}: expected the id" in str(
        raised.value
    )


@settings(max_examples=examples(30), deadline=None)
@given(st.sampled_from(["id", "version", "source"]), st.text(min_size=1, max_size=20))
def test_an_overlay_never_hashes_like_its_parent(field: str, value: str) -> None:
    if field == "id":
        value = "x" + "".join(c for c in value.lower() if c.isalnum() and c.isascii())
    ruleset = kla.RuleSet.from_mapping({**HEAD, field: value})
    assert ruleset.sha256 != PARENT.sha256


def test_an_overlay_that_changes_nothing_still_hashes_apart() -> None:
    same = {"id": PARENT.id, "version": PARENT.version, "status": PARENT.status}
    ruleset = kla.RuleSet.from_mapping({**HEAD, **same, "source": PARENT.source})
    assert ruleset.to_dict() == PARENT.to_dict()
    assert ruleset.sha256 != PARENT.sha256
    assert ruleset.extends == PARENT.ref
