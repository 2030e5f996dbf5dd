"""Costs of changes: cost files, their schema, and checks against a ruleset."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model.analysis.costs import Costs, load_costs
from profiles import examples


@pytest.fixture(scope="module")
def bundled() -> kla.RuleSet:
    return kla.load_ruleset("perpres-25-2021")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_cost_of_an_item_then_its_indicator_then_the_default() -> None:
    costs = Costs(default=2, indicators={"K.1": 3}, items={"K.1.2": 5})
    assert costs.of("K.1.2", "K.1") == 5.0
    assert costs.of("K.1.1", "K.1") == 3.0
    assert costs.of("I.1.1", "I.1") == 2.0
    assert Costs().of("I.1.1", "I.1") == 1.0


def test_fixed_item_or_its_indicator() -> None:
    costs = Costs(fixed=("II.1", "K.1.4"))
    assert costs.is_fixed("II.1.1", "II.1")
    assert costs.is_fixed("K.1.4", "K.1")
    assert not costs.is_fixed("K.1.3", "K.1")
    assert costs.with_fixed(["K.1.3", "II.1"]).fixed == ("II.1", "K.1.4", "K.1.3")


def test_load_a_cost_file(tmp_path: Path, bundled: kla.RuleSet) -> None:
    path = _write(
        tmp_path,
        "costs.yaml",
        "default: 1\nindicators: {I.1: 3}\nitems: {K.1.2: 2.5}\nfixed: [II.1]\n",
    )
    costs = load_costs(path, bundled)
    assert costs == Costs(default=1, indicators={"I.1": 3}, items={"K.1.2": 2.5}, fixed=("II.1",))
    assert costs.to_dict() == {
        "default": 1.0,
        "indicators": {"I.1": 3.0},
        "items": {"K.1.2": 2.5},
        "fixed": ["II.1"],
    }
    assert costs.origin == str(path)


def test_json_cost_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "costs.json", '{"items": {"K.1.2": 0}}')
    assert load_costs(path) == Costs(items={"K.1.2": 0.0})


def test_every_problem_of_a_cost_file_with_its_path(tmp_path: Path, bundled: kla.RuleSet) -> None:
    path = _write(
        tmp_path,
        "costs.yaml",
        "default: -1\nindicators: {IV.9: 3, K.1.2: 1}\nitems: {K.1.2: -2}\n"
        "fixed: [II.1, X]\nspeed: 2\n",
    )
    with pytest.raises(kla.PlanError) as raised:
        load_costs(path, bundled)
    assert str(raised.value).splitlines() == [
        f"{path}: 6 problems",
        f"  {path}: $: unknown field(s) 'speed'; allowed: default, fixed, indicators, items",
        f"  {path}: $.default: expected a number >= 0; found -1",
        f'  {path}: $.items["K.1.2"]: expected a number >= 0; found -2',
        f"  {path}: $.indicators[\"IV.9\"]: unknown indicator id 'IV.9' (did you mean 'IV.4'?)",
        f"  {path}: $.indicators[\"K.1.2\"]: expected an indicator id; found 'K.1.2', which is an "
        "item (list it under items)",
        f"  {path}: $.fixed[1]: unknown indicator or item id 'X'",
    ]
    assert isinstance(raised.value, ValueError)


def test_infinite_cost(tmp_path: Path) -> None:
    path = _write(tmp_path, "costs.yaml", "items: {K.1.2: .inf}\n")
    with pytest.raises(
        kla.PlanError, match=r'\$\.items\["K\.1\.2"\]: expected a finite number; found inf'
    ):
        load_costs(path)


def test_a_cost_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = _write(tmp_path, "costs.yaml", "- 1\n- 2\n")
    with pytest.raises(kla.PlanError, match="expected a mapping; found list"):
        load_costs(path)


def test_a_missing_cost_file(tmp_path: Path) -> None:
    with pytest.raises(kla.PlanError, match="cannot read the file"):
        load_costs(tmp_path / "nowhere.yaml")


def test_item_under_items_named_as_indicator(bundled: kla.RuleSet) -> None:
    problems = Costs(items={"K.1": 2}).problems(bundled)
    assert [str(p) for p in problems] == [
        "costs: $.items[\"K.1\"]: expected an item id; found 'K.1', which is an indicator "
        "(list it under indicators)"
    ]


def test_costs_by_id(bundled: kla.RuleSet) -> None:
    costs = Costs.by_id({"I.1": 3, "K.1.2": 0.5}, bundled)
    assert costs == Costs(indicators={"I.1": 3}, items={"K.1.2": 0.5}, origin="cost")
    with pytest.raises(kla.PlanError) as raised:
        Costs.by_id({"I.1": math.inf}, bundled)
    assert 'cost: $["I.1"]: expected a finite number; found inf' in str(raised.value)


@settings(max_examples=examples(100))
@given(
    st.dictionaries(st.sampled_from(["I.1", "II.1", "K.1"]), st.floats(min_value=0, max_value=1e6)),
    st.floats(min_value=0, max_value=1e6),
)
def test_valid_costs_have_no_problems_and_round_trip(
    indicators: dict[str, float], default: float
) -> None:
    ruleset = kla.load_ruleset("perpres-25-2021")
    costs = Costs(default=default, indicators=indicators)
    assert costs.problems(ruleset) == []
    assert Costs.from_mapping(costs.to_dict(), ruleset=ruleset) == costs
