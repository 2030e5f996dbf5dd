"""The shipped schemas load, are valid Draft 2020-12, and close every object; the fast
validator never changes what a check finds."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kla_model as kla
from conftest import ROOT
from kla_model._base import json_schema
from kla_model._base.json_schema import SCHEMA_NAMES, json_path, schema
from kla_model.errors import Problem
from profiles import examples
from strategies import submission_mappings

BUNDLED = kla.load_ruleset("perpres-25-2021")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(name))


def _objects(node: Any, path: str = "$") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            found.append((path, node))
        for key, value in node.items():
            found += _objects(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _objects(value, f"{path}[{index}]")
    return found


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_object_with_properties_is_closed(name: str) -> None:
    open_objects = [
        path
        for path, node in _objects(schema(name))
        if node.get("additionalProperties") is not False
    ]
    # the dispatchers on `kind` and `action`; each kind's and action's own schema is closed
    allowed = {"$.$defs.rule", "$.$defs.record"}
    assert set(open_objects) <= allowed


def test_json_path_quotes_keys_that_are_not_identifiers() -> None:
    assert json_path(["groups", 0, "indicators", 2]) == "$.groups[0].indicators[2]"
    assert json_path(["answers", "I.1", "value"]) == '$.answers["I.1"].value'
    assert json_path([]) == "$"


# -- the fast path: jsonschema-rs says "valid" first, jsonschema finds and words the problems --

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in ``data`` (the root included)."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _places(value, (*path, index))
    return found


@st.composite
def _broken(draw: st.DrawFn, data: Any) -> Any:
    """``data`` with one value replaced by any JSON value, or one key removed or added."""
    data = copy.deepcopy(data)
    path = draw(st.sampled_from(_places(data)))
    if not path:
        return draw(_JSON)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "remove" and isinstance(parent, dict):
        del parent[path[-1]]
    elif action == "add" and isinstance(parent, dict):
        parent[draw(st.text(max_size=6))] = draw(_JSON)
    else:
        parent[path[-1]] = draw(_JSON)
    return data


def _slow_problems(name: str, instance: Any) -> list[Problem]:
    """What ``schema_problems`` says without the fast path: jsonschema alone."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_schema, "_surely_valid", lambda *_: False)
        return json_schema.schema_problems(name, instance, "x")


def test_the_fast_validator_is_installed_where_the_tests_run() -> None:
    assert json_schema._fast_validator("submission") is not None


@settings(max_examples=examples(100), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_fast_path_never_changes_what_a_submission_check_says(data: st.DataObject) -> None:
    """jsonschema-rs may only skip jsonschema for an instance jsonschema finds no problem in."""
    example = json.loads((ROOT / "examples" / "kota-tangerang-2025.json").read_text("utf-8"))
    source = data.draw(st.sampled_from([example, data.draw(submission_mappings(BUNDLED))]))
    instance = data.draw(st.one_of(st.just(source), _broken(source)))
    assert json_schema.schema_problems("submission", instance, "x") == _slow_problems(
        "submission", instance
    )


@settings(max_examples=examples(200))
@given(data=st.data())
def test_the_fast_path_never_changes_what_a_costs_check_says(data: st.DataObject) -> None:
    costs = {"default": 1, "indicators": {"I.1": 2.5}, "items": {"II.3.1": 3}, "fixed": ["V.1"]}
    instance = data.draw(st.one_of(st.just(costs), _broken(costs)))
    assert json_schema.schema_problems("costs", instance, "x") == _slow_problems("costs", instance)


@pytest.mark.parametrize(
    "instance",
    [
        {"default": True},  # a boolean is no number for jsonschema
        {"default": float("inf")},  # a number for jsonschema; the costs reader refuses it later
        {"fixed": ["V.1\n"]},  # Python's $ matches before a final newline; Rust's does not
        {"fixed": ["\udc00"]},  # a lone surrogate: the fast validator cannot read it
        {"default": 10**30},  # beyond 64 bits
    ],
)
def test_the_fast_path_agrees_where_the_two_validators_could_differ(instance: Any) -> None:
    assert json_schema.schema_problems("costs", instance, "x") == _slow_problems("costs", instance)


def test_a_check_looks_for_a_bounded_number_of_problems() -> None:
    record = {"action": "accept", "evidence": "e", "reason": "r", "stage": "field", "verifier": "v"}
    region = {"code": "1", "kind": "kota", "name": "n", "province": "p"}
    wrong = {"answers": {}, "region": region, "year": 2025, "verification": [record, 0] * 5000}
    problems = json_schema.schema_problems("submission", wrong, "x")
    assert len(problems) == json_schema.MAX_PROBLEMS + 1
    assert problems[0] == Problem("x: $.verification[1]", "expected a mapping; found 0")
    assert problems[-1] == Problem(
        "x", "more than 100 problems: the rest were not looked for; fix these first"
    )
