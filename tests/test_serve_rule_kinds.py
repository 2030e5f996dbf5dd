"""``GET /rule-kinds``: every rule kind's facts, from the rule classes, in a closed shape."""

from __future__ import annotations

import jsonschema
import pytest
from starlette.applications import Starlette

from kla_model._base.json_schema import schema
from kla_model.rules.point_rules import RULE_CLASSES, RULE_KINDS, kind_facts
from serve_client import call, conforms


def test_the_kinds_facts_are_the_rule_classes_own(service: Starlette) -> None:
    response = call(service, "GET", "/rule-kinds")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    conforms("rule-kinds", body)
    assert body == kind_facts()
    assert list(body["kinds"]) == list(RULE_KINDS)
    assert body["kinds"]["checklist"] == {
        "answer": "options",
        "measured": False,
        "proportional": False,
    }
    assert body["kinds"]["linear"] == {"answer": "number", "measured": True, "proportional": True}
    for kind, facts in body["kinds"].items():
        assert facts["measured"] is RULE_CLASSES[kind].measured


def test_the_shape_is_closed() -> None:
    """The page relies on exactly this shape: no field more or less, no other answer form."""
    validator = jsonschema.Draft202012Validator(schema("rule-kinds"))
    good = kind_facts()
    assert validator.is_valid(good)
    extra = {"kinds": {**good["kinds"], "guess": good["kinds"]["boolean"]}}
    missing = {"kinds": {k: v for k, v in good["kinds"].items() if k != "bands"}}
    odd_answer = {"kinds": {**good["kinds"], "levels": {**good["kinds"]["levels"], "answer": "x"}}}
    more = {"kinds": {**good["kinds"], "levels": {**good["kinds"]["levels"], "label": "x"}}}
    for bad in (extra, missing, odd_answer, more, {**good, "other": 1}):
        assert not validator.is_valid(bad)


def test_the_openapi_document_lists_it(service: Starlette) -> None:
    document = call(service, "GET", "/openapi.json").json()
    operation = document["paths"]["/rule-kinds"]["get"]
    assert operation["operationId"] == "rule_kinds"
    content = operation["responses"]["200"]["content"]["application/json"]
    assert content["schema"] == {"$ref": "#/components/schemas/rule-kinds"}
    assert "rule-kinds" in document["components"]["schemas"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_it_only_answers_get(service: Starlette, method: str) -> None:
    assert call(service, "GET", "/rule-kinds").status_code == 200
    assert call(service, method, "/rule-kinds").status_code == 405
