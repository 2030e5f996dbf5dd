"""Rulesets: the bundled one, loading by name or path, and every cross-check's message."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
import yaml
from hypothesis import given, settings

import kla_model as kla
from conftest import ROOT
from kla_model import RuleSet, RuleSetError
from kla_model._base.json_schema import schema
from kla_model.rules.ruleset import content_hash
from profiles import examples
from strategies import ruleset_mappings

Mapping = dict[str, Any]


@pytest.fixture
def mapping(bundled: RuleSet) -> Mapping:
    return copy.deepcopy(bundled.to_dict())


def _problems(data: Mapping) -> list[str]:
    with pytest.raises(RuleSetError) as raised:
        RuleSet.from_mapping(data, source="r.yaml")
    return [str(problem) for problem in raised.value.problems]


def test_bundled_ruleset_is_complete_and_says_it_is_provisional(bundled: RuleSet) -> None:
    assert bundled.id == "perpres-25-2021"
    assert bundled.status == "provisional"
    assert "not public" in bundled.source and "NOT official" in bundled.source
    assert bundled.max_score == 1000
    assert [g.id for g in bundled.groups] == [
        "kelembagaan",
        "klaster_1",
        "klaster_2",
        "klaster_3",
        "klaster_4",
        "klaster_5",
    ]
    assert {g.id: g.max for g in bundled.groups} == {
        "kelembagaan": 164,
        "klaster_1": 115,
        "klaster_2": 156,
        "klaster_3": 210,
        "klaster_4": 180,
        "klaster_5": 175,
    }
    assert len(bundled.indicators) == 24
    assert [i.number for i in bundled.indicators.values()] == list(range(1, 25))
    assert [len(bundled.indicators[i].items) for i in ("K.1", "K.2", "K.3")] == [4, 7, 8]
    for indicator in bundled.indicators.values():
        assert indicator.source and indicator.label.id and indicator.label.en
        assert all(item.evidence is not None for item in indicator.items)


def test_bundled_reference_series_are_the_national_figures(bundled: RuleSet) -> None:
    series = {s.id: {p.year: p.value for p in s.points} for s in bundled.references}
    assert series["stunting"] == {
        2018: 30.8,
        2019: 27.67,
        2021: 24.4,
        2022: 21.6,
        2023: 21.5,
        2024: 19.8,
    }
    assert series["child-marriage"] == {
        2017: 11.54,  # kla.md §8a [S]
        2018: 11.21,
        2019: 10.82,
        2021: 9.23,
        2022: 8.06,
        2023: 6.92,
        2024: 5.90,
    }


def test_bundled_tier_scale_reads_the_published_bands(bundled: RuleSet) -> None:
    cases = {
        0: None,
        499.99: None,
        500: "pratama",
        600: "pratama",
        600.01: "madya",
        700: "madya",
        700.01: "nindya",
        800: "nindya",
        800.01: "utama",
        900: "utama",
        900.01: "kla",
        1000: "kla",
    }
    for total, expected in cases.items():
        tier = bundled.tier_for(total)
        assert (tier and tier.id) == expected, total


def test_load_by_name_and_by_path_agree(bundled: RuleSet) -> None:
    by_path = kla.load_ruleset(ROOT / "rules" / "perpres-25-2021.yaml")
    assert by_path == bundled
    assert by_path.sha256 == bundled.sha256
    assert "perpres-25-2021" in kla.bundled_rulesets()


def test_unknown_name_lists_the_bundled_rulesets() -> None:
    with pytest.raises(
        kla.UnknownRuleSetError,
        match=r"ruleset 'perpres-2021': expected a bundled"
        r" ruleset name \(.*perpres-25-2021.*\) or the path of a rule file",
    ):
        kla.load_ruleset("perpres-2021")


def test_content_hash_ignores_layout_but_not_content(bundled: RuleSet, mapping: Mapping) -> None:
    same = RuleSet.from_mapping(dict(reversed(list(mapping.items()))))
    assert same.sha256 == bundled.sha256 == content_hash(bundled.to_dict())
    assert len(same.sha256) == 64
    mapping["max_score"] = 1000  # an int where the canonical form has a float: same content
    assert RuleSet.from_mapping(mapping).sha256 == same.sha256
    mapping["version"] = "other"
    assert RuleSet.from_mapping(mapping).sha256 != same.sha256


def test_a_deep_schema_violation_carries_its_json_path(mapping: Mapping) -> None:
    mapping["groups"][3]["indicators"][1]["items"][0]["rule"]["points"]["equal"] = -1
    mapping["groups"][0]["indicators"][2]["items"][1]["label"]["en"] = 5
    mapping["groups"][1]["indicators"][0]["items"][0]["rule"]["bands"][1]["max_inclusive"] = "yes"
    assert _problems(mapping) == [
        "r.yaml: $.groups[0].indicators[2].items[1].label.en: expected text; found 5",
        "r.yaml: $.groups[1].indicators[0].items[0].rule.bands[1].max_inclusive: "
        "expected true or false; found 'yes'",
        "r.yaml: $.groups[3].indicators[1].items[0].rule.points.equal: "
        "expected a number >= 0; found -1",
    ]


def test_unknown_fields_are_named_with_the_allowed_ones(mapping: Mapping) -> None:
    mapping["groups"][0]["weight"] = 3
    (problem,) = _problems(mapping)
    assert (
        problem
        == "r.yaml: $.groups[0]: unknown field(s) 'weight'; allowed: id, indicators, label, max"
    )


def test_rule_kind_is_explicit(mapping: Mapping) -> None:
    mapping["groups"][0]["indicators"][0]["items"][0]["rule"] = {"levels": []}
    mapping["groups"][0]["indicators"][0]["items"][1]["rule"]["kind"] = "guess"
    problems = _problems(mapping)
    assert (
        "r.yaml: $.groups[0].indicators[0].items[0].rule: 'kind' is a required property" in problems
    )
    assert any(
        p.startswith("r.yaml: $.groups[0].indicators[0].items[1].rule.kind: expected one of")
        for p in problems
    )


def test_maxima_must_add_up_at_every_level(mapping: Mapping) -> None:
    mapping["groups"][0]["indicators"][0]["items"][0]["max"] = 25  # boolean: rule follows the max
    mapping["groups"][1]["max"] = 116
    assert _problems(mapping) == [
        "r.yaml: $.groups[0].indicators[0].max: expected the item maxima to add up to 96; they add up to 97",
        "r.yaml: $.groups[1].max: expected the indicator maxima to add up to 116; they add up to 115",
        "r.yaml: $.max_score: expected the group maxima to add up to 1000; they add up to 1001",
    ]


def test_an_item_rule_must_reach_its_maximum(mapping: Mapping) -> None:
    levels = mapping["groups"][0]["indicators"][0]["items"][1]["rule"]["levels"]
    levels[2]["points"] = 30
    assert _problems(mapping) == [
        "r.yaml: $.groups[0].indicators[0].items[1].rule.levels: "
        "the rule can give at most 30 points; the item max is 32"
    ]


def test_bands_must_be_contiguous_without_overlap(mapping: Mapping) -> None:
    bands = mapping["groups"][1]["indicators"][0]["items"][0]["rule"]["bands"]
    bands[1]["min"] = 30  # a gap from 25 to 30
    bands[3]["min_inclusive"] = True  # 75 in both [50, 75] ... no: [50,75) and [75,90)
    bands[2]["max_inclusive"] = True
    bands[4]["max"] = 99
    path = "r.yaml: $.groups[1].indicators[0].items[0].rule.bands"
    assert _problems(mapping) == [
        f"{path}[1].min: expected 25 (where band 0 ends); found 30",
        f"{path}[3].min_inclusive: bands 2 and 3 both include 75: exactly one must, "
        "so that every value falls in one band",
        f"{path}[4]: percentage bands must end at 100, inclusive",
    ]


def test_ids_must_be_unique(mapping: Mapping) -> None:
    mapping["groups"][1]["indicators"][1]["id"] = "I.1"
    mapping["groups"][0]["indicators"][1]["items"][1]["id"] = "K.2.1"
    problems = _problems(mapping)
    assert "r.yaml: $.groups[1].indicators[1].id: duplicate indicator id 'I.1'" in problems
    assert "r.yaml: $.groups[0].indicators[1].items[1].id: duplicate item id 'K.2.1'" in problems


def test_reference_rules_need_a_known_series(mapping: Mapping) -> None:
    mapping["groups"][2]["indicators"][0]["items"][0]["rule"]["series"] = "stuntng"
    assert _problems(mapping) == [
        "r.yaml: $.groups[2].indicators[0].items[0].rule.series: "
        "expected a reference series id (child-marriage, stunting); found 'stuntng'"
    ]


def test_tier_scale_must_ascend_and_conditions_must_name_real_targets(mapping: Mapping) -> None:
    scale = mapping["tiers"]["scale"]
    scale[2]["min"] = 600  # nindya > 600 equals madya > 600
    scale[1]["requires"] = [{"scope": "indicator", "id": "I.7", "min_points": 1}]
    scale[3]["requires"] = [{"scope": "group", "id": "klaster_1", "min_points": 200}]
    scale[4]["min"] = 1000
    assert _problems(mapping) == [
        "r.yaml: $.tiers.scale[1].requires[0].id: expected an existing indicator id; found 'I.7'",
        "r.yaml: $.tiers.scale[2].min: expected a threshold above the previous tier's (> 600); "
        "found > 600: tiers are listed from lowest to highest",
        "r.yaml: $.tiers.scale[3].requires[0].min_points: expected at most the group's max 115; found 200",
        "r.yaml: $.tiers.scale[4].min: expected a threshold a total of at most 1000 can reach; found > 1000",
    ]


def test_a_rule_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(RuleSetError, match=r"list.yaml: expected a mapping; found list"):
        kla.load_ruleset(path)


@settings(max_examples=examples(150))
@given(ruleset_mappings())
def test_every_generated_ruleset_round_trips_and_validates(data: Mapping) -> None:
    ruleset = RuleSet.from_mapping(data)
    as_data = ruleset.to_dict()
    jsonschema.Draft202012Validator(schema("ruleset")).validate(as_data)
    again = RuleSet.from_mapping(as_data)
    assert again == ruleset
    assert again.sha256 == ruleset.sha256


def test_the_bundled_file_equals_its_round_trip(bundled: RuleSet) -> None:
    on_disk = yaml.safe_load((ROOT / "rules" / "perpres-25-2021.yaml").read_text("utf-8"))
    assert bundled.to_dict() == on_disk


@pytest.mark.parametrize(
    "path",
    [*kla.bundled_rulesets(), str(ROOT / "examples" / "own-instrument-overlay.yaml")],
)
def test_a_loaded_ruleset_is_what_building_it_afresh_gives(path: str) -> None:
    """The hash and parent are set on the ruleset just built, not by building it again."""
    ruleset = kla.load_ruleset(path)
    rebuilt = attrs.evolve(ruleset, sha256=ruleset.sha256, extends=ruleset.extends)
    assert rebuilt == ruleset
    assert rebuilt.ref == ruleset.ref
    assert ruleset.ref.sha256 == ruleset.sha256
    assert ruleset.ref.extends == ruleset.extends
    if ruleset.extends is None:  # a complete ruleset hashes its built form
        assert ruleset.sha256 == content_hash(ruleset.to_dict())
    assert ruleset.resolution == rebuilt.resolution
