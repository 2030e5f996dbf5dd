"""The shipped schemas load, are valid Draft 2020-12, and close every object."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from kla_model._base.json_schema import SCHEMA_NAMES, json_path, schema


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
