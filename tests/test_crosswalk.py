"""The crosswalk from the 31 indicators of Permen PPPA 12/2011 to the 24 of Perpres 25/2021."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import kla_model as kla
from kla_model.rules.crosswalk import crosswalk_from_mapping

NAME = "permen-pppa-12-2011--perpres-25-2021"
FILE = Path(__file__).parents[1] / "rules" / "crosswalks" / f"{NAME}.yaml"
OLD = kla.load_ruleset("permen-pppa-12-2011")
NEW = kla.load_ruleset("perpres-25-2021")
CROSSWALK = kla.load_crosswalk(NAME)
REGION = kla.Region("33.74", "Kota Semarang", "kota", "Jawa Tengah")


def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(FILE.read_text("utf-8"))
    return loaded


def _problems(data: dict[str, Any]) -> str:
    with pytest.raises(kla.RuleSetError) as raised:
        crosswalk_from_mapping(data, "cw.yaml")
    return str(raised.value)


def test_the_bundled_crosswalk_joins_the_two_rulesets() -> None:
    assert kla.bundled_crosswalks() == (NAME,)
    assert CROSSWALK.from_ruleset is OLD
    assert CROSSWALK.to_ruleset is NEW
    assert len(CROSSWALK.indicators) == 31
    assert CROSSWALK.uncovered == ("II.3", "III.1", "III.2", "III.4", "V.4")


def test_crosswalks_are_not_listed_as_rulesets() -> None:
    assert "crosswalks" not in kla.bundled_rulesets()
    assert NAME not in kla.bundled_rulesets()


@pytest.mark.parametrize("indicator_id", list(OLD.indicators))
def test_every_old_indicator_is_mapped_or_dropped(indicator_id: str) -> None:
    link = CROSSWALK.link(indicator_id)
    old_items = [item.id for item in OLD.indicators[indicator_id].items]
    if link.dropped is not None:
        assert link.to_id is None
        assert len(link.dropped) > 20  # a reason, not a placeholder
        assert link.items == ()
        return
    assert link.to_id is not None
    assert link.to_id in NEW.indicators
    assert link.match in {"same", "approximate"}
    assert (link.note is not None) == (link.match == "approximate")
    assert [item.from_id for item in link.items] == old_items
    for item in link.items:
        if item.dropped is None:
            assert item.to_id in {i.id for i in NEW.indicators[link.to_id].items}
        else:
            assert item.to_id is None


def test_what_is_dropped() -> None:
    assert sorted(CROSSWALK.dropped) == [
        "P12.02",
        "P12.04",
        "P12.05.2",
        "P12.13",
        "P12.14",
        "P12.15",
        "P12.17",
        "P12.18",
        "P12.19",
        "P12.20",
        "P12.26",
    ]
    assert "stunting" in CROSSWALK.dropped["P12.15"]


@pytest.mark.parametrize(
    ("change", "location", "message"),
    [
        (
            lambda d: d["indicators"].pop(1),
            "cw.yaml: $.indicators",
            "not listed: ['P12.02'], listed twice: none",
        ),
        (
            lambda d: d["indicators"].append(copy.deepcopy(d["indicators"][0])),
            "cw.yaml: $.indicators",
            "expected each new item fed once; K.1.1 is fed 2 times",
        ),
        (
            lambda d: d["indicators"][0].update(to="K.9"),
            "cw.yaml: $.indicators[0].to",
            "expected an indicator of perpres-25-2021; found 'K.9'",
        ),
        (
            lambda d: d["indicators"][0]["items"][0].update(to="K.2.1"),
            "cw.yaml: $.indicators[0].items[0].to",
            "expected an item of K.1; found 'K.2.1'",
        ),
        (
            lambda d: d["indicators"][0]["items"].pop(),
            "cw.yaml: $.indicators[0].items",
            "not listed: ['P12.01.2']",
        ),
        (
            lambda d: d["indicators"][0]["items"][1].update(to="K.1.4"),
            "cw.yaml: $.indicators[0].items[1]",
            "P12.01.2 -> K.1.4: expected rules taking the same kind of answer",
        ),
        (
            lambda d: d["indicators"][2]["items"][0]["levels"].update(none="perda"),
            "cw.yaml: $.indicators[2].items[0].levels.none",
            "K.1.4: expected a list of option ids",
        ),
        (
            lambda d: d["indicators"][2]["items"][0]["levels"].pop("none"),
            "cw.yaml: $.indicators[2].items[0].levels",
            "missing ['none']",
        ),
        (
            lambda d: d["indicators"][0].update(match="approximate"),
            "cw.yaml: $.indicators[0]",
            "'note' is a required property",
        ),
    ],
    ids=[
        "unlisted",
        "fed-twice",
        "unknown-new-indicator",
        "item-elsewhere",
        "item-unlisted",
        "kind-mismatch",
        "bad-level-answer",
        "level-unmapped",
        "approximate-without-note",
    ],
)
def test_a_broken_crosswalk_names_the_file_and_field(
    change: Any, location: str, message: str
) -> None:
    data = _data()
    change(data)
    text = _problems(data)
    assert location in text
    assert message in text


def test_a_crosswalk_for_other_rulesets_is_refused() -> None:
    with pytest.raises(kla.RuleSetError) as raised:
        crosswalk_from_mapping(_data(), "cw.yaml", from_ruleset=NEW)
    assert "cw.yaml: $.from: expected the ruleset 'permen-pppa-12-2011' the crosswalk names" in str(
        raised.value
    )


def test_an_unknown_crosswalk_name() -> None:
    with pytest.raises(kla.UnknownRuleSetError) as raised:
        kla.load_crosswalk("no-such-crosswalk")
    assert f"expected a bundled crosswalk name ({NAME})" in str(raised.value)


def test_a_crosswalk_file_loads_by_path() -> None:
    assert kla.load_crosswalk(FILE) == CROSSWALK


@given(st.sampled_from(list(OLD.indicators)))
def test_link_finds_each_old_indicator(indicator_id: str) -> None:
    assert CROSSWALK.link(indicator_id).from_id == indicator_id
