"""``GET /openapi.json``: an OpenAPI 3.1 document whose component schemas are the shipped ones."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from schemathesis.core.result import Ok
from starlette.applications import Starlette
from starlette.routing import Route

from kla_model._base.json_schema import SCHEMA_NAMES, schema
from kla_model.serve.openapi import anchored
from kla_model.serve.page import page_routes
from serve_client import call


@pytest.fixture(scope="module")
def document(service: Starlette) -> dict[str, Any]:
    response = call(service, "GET", "/openapi.json")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def _unanchored(name: str, node: Any) -> Any:
    """The inverse of :func:`anchored`, but for the ``$id`` (put back by the caller)."""
    if isinstance(node, list):
        return [_unanchored(name, entry) for entry in node]
    if not isinstance(node, dict):
        return node
    copied = {key: _unanchored(name, value) for key, value in node.items()}
    if isinstance(node.get("$ref"), str):
        copied["$ref"] = node["$ref"].replace(f"#/components/schemas/{name}/", "#/")
    return copied


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(document: dict[str, Any], reference: str) -> Any:
    node: Any = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_the_document_is_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "kla_model"
    assert "Bodies are limited to 2,000,000 bytes" in document["info"]["description"]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_each_component_is_the_shipped_schema_only_anchored(
    document: dict[str, Any], name: str
) -> None:
    component = document["components"]["schemas"][name]
    shipped = schema(name)
    assert "$id" not in component
    assert {"$id": shipped["$id"], **_unanchored(name, component)} == shipped


def test_anchoring_changes_only_local_references() -> None:
    shipped = {"$id": "urn:x", "a": [{"$ref": "#/$defs/b"}], "c": {"$ref": "urn:other"}}
    assert anchored("x", shipped) == {
        "a": [{"$ref": "#/components/schemas/x/$defs/b"}],
        "c": {"$ref": "urn:other"},
    }


def test_every_reference_resolves_in_the_document(document: dict[str, Any]) -> None:
    references = set(_refs(document))
    assert "#/components/schemas/result/$defs/ruleset_ref" in references
    for reference in references:
        assert reference.startswith("#/")
        assert isinstance(_resolve(document, reference), dict), reference


def test_the_document_describes_exactly_the_routes(
    service: Starlette, document: dict[str, Any]
) -> None:
    # The self-assessment page's routes (kla_model.serve.page) serve the page, not the API.
    page = {route.path for route in page_routes() if isinstance(route, Route)}
    routes = {
        (route.path, method.lower())
        for route in service.routes
        if isinstance(route, Route) and route.path not in {"/openapi.json", *page}
        for method in (route.methods or set()) - {"HEAD"}
    }
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert described == routes


def test_the_loaded_rulesets_are_the_ruleset_parameters_values(document: dict[str, Any]) -> None:
    [parameter] = [
        p for p in document["paths"]["/score"]["post"]["parameters"] if p["name"] == "ruleset"
    ]
    assert parameter["schema"]["enum"] == [
        "desa-kelurahan",
        "permen-pppa-12-2011",
        "perpres-25-2021",
    ]


def test_every_posted_operation_documents_its_errors(document: dict[str, Any]) -> None:
    for path in (
        "/score",
        "/validate",
        "/explain",
        "/plan",
        "/tasks",
        "/stages",
        "/evidence",
        "/batch",
    ):
        responses = document["paths"][path]["post"]["responses"]
        assert {"200", "400", "404", "413", "422"} <= set(responses), path
        error = responses["422"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/problems"}


def test_schemathesis_reads_every_operation(document: dict[str, Any]) -> None:
    operations = list(schemathesis.openapi.from_dict(document).get_all_operations())
    assert len(operations) == 14
    assert all(isinstance(operation, Ok) for operation in operations)
