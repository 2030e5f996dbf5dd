"""The service's OpenAPI 3.1 document, built from the shipped JSON Schemas.

OpenAPI 3.1 schemas are JSON Schema 2020-12, so the component schemas are the shipped schema
files themselves, read from the package when the document is built: the document cannot drift
from the schemas the library validates with.  One thing is changed, mechanically: a shipped
schema's references are relative to its own ``$id`` (``#/$defs/label``), and most OpenAPI
tools resolve references against the document instead, so in the document each such reference
is anchored where the schema sits (``#/components/schemas/result/$defs/label``) and the
``$id`` is left out (:func:`anchored`).  Only the operations are written here: their
parameters, which schema each body follows and which errors each may answer.
"""

from __future__ import annotations

from typing import Any

import kla_model as kla
from kla_model._base.json_schema import SCHEMA_NAMES, schema
from kla_model.serve.batch import JSON_LINES
from kla_model.serve.config import Rulesets, ServiceConfig
from kla_model.serve.workspace_openapi import (
    SECURITY_SCHEMES,
    workspace_components,
    workspace_paths,
)

__all__ = ["OPENAPI_VERSION", "anchored", "openapi_document"]

OPENAPI_VERSION = "3.1.0"
JSON = "application/json"


_ERRORS = {
    400: "the body is not JSON (or not UTF-8, nested too deeply, or holds a control character)",
    403: "the request comes from another site's page (Origin, Sec-Fetch-Site)",
    404: "no loaded ruleset has the id given",
    408: "the body did not arrive within the body timeout",
    413: "the body is larger than the limit",
    415: "the body's Content-Type is not one the operation reads",
    421: "the Host is not one the service answers",
    422: (
        "the submission (or another input) is invalid: every problem with its location, "
        "worded in Indonesian (message_id) and English (message, message_en)"
    ),
    503: "the service is busy: as many bodies as it works on at once are being worked on",
}
#: What any request may be refused for, whatever it asks.
_ANY = (421,)
#: What a request with a body may be refused for, besides its own operation's refusals.
_POSTED = (400, 403, 404, 408, 413, 415, 421, 422, 503)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str) -> dict[str, Any]:
    return {JSON: {"schema": _ref(name)}}


def _query(name: str, description: str, values: tuple[str, ...] | None = None) -> dict[str, Any]:
    parameter_schema: dict[str, Any] = {"type": "string"}
    if values is not None:
        parameter_schema["enum"] = list(values)
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": parameter_schema,
    }


def _operation(
    operation_id: str,
    summary: str,
    response: str,
    *,
    errors: tuple[int, ...] = (),
    parameters: tuple[dict[str, Any], ...] = (),
    body: dict[str, Any] | None = None,
    content: dict[str, Any] | None = None,
) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {"description": "success", "content": content or _json(response)}
    }
    for status in sorted({*errors, *_ANY}):
        responses[str(status)] = {"description": _ERRORS[status], "content": _json("problems")}
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "responses": responses,
    }
    if parameters:
        operation["parameters"] = list(parameters)
    if body is not None:
        operation["requestBody"] = {"required": True, "content": body}
    return operation


def _paths(ruleset_ids: tuple[str, ...]) -> dict[str, Any]:
    ruleset = _query(
        "ruleset",
        "a loaded ruleset's id (default: the loaded ruleset in force for the submission's round)",
        ruleset_ids,
    )
    stage = _query(
        "stage", "the evaluation stage (default: the latest the submission reached)", kla.STAGES
    )
    lang = _query("lang", "the language of the sentences (default: id)", ("id", "en"))
    target = _query("target", "the tier to reach (default: the next one up)")
    submission = _json("submission")
    posted = _POSTED

    def scoring(operation_id: str, summary: str, response: str, *extra: dict[str, Any]) -> Any:
        return {
            "post": _operation(
                operation_id,
                summary,
                response,
                errors=posted,
                parameters=(ruleset, *extra),
                body=submission,
            )
        }

    plan_body = {
        "type": "object",
        "additionalProperties": False,
        "required": ["submission"],
        "properties": {
            "submission": _ref("submission"),
            "costs": _ref("costs"),
            "fixed": {"type": "array", "items": {"type": "string"}},
        },
    }
    tasks_body = {
        "type": "object",
        "additionalProperties": False,
        "required": ["submission", "assignment"],
        "properties": {
            "submission": _ref("submission"),
            "assignment": _ref("assignment"),
            "costs": _ref("costs"),
        },
    }
    batch_body = {"type": "string", "description": "a wide CSV table, or one submission a line"}
    return {
        "/score": scoring("score", "Score a submission: the score card", "result", stage),
        "/validate": scoring("validate", "Check a submission against its ruleset", "validation"),
        "/explain": scoring("explain", "A score in sentences", "explanation", stage, lang),
        "/stages": scoring("stages", "The score at every evaluation stage", "stages"),
        "/evidence": scoring(
            "evidence", "Items lacking required evidence", "evidence-report", stage
        ),
        "/plan": {
            "post": _operation(
                "plan",
                "The cheapest changes that reach a tier",
                "plan",
                errors=posted,
                parameters=(ruleset, stage, target),
                body={JSON: {"schema": plan_body}},
            )
        },
        "/tasks": {
            "post": _operation(
                "tasks",
                "What each agency (OPD) of the task force owns and must do",
                "task-force",
                errors=posted,
                parameters=(ruleset, stage, target),
                body={JSON: {"schema": tasks_body}},
            )
        },
        "/batch": {
            "post": _operation(
                "batch",
                "Score many submissions; results streamed as JSON Lines",
                "batch-line",
                errors=_POSTED,
                parameters=(ruleset, stage),
                body={"text/csv": {"schema": batch_body}, JSON_LINES: {"schema": batch_body}},
                content={JSON_LINES: {"schema": _ref("batch-line")}},
            )
        },
        "/rulesets": {"get": _operation("rulesets", "The loaded rulesets", "rulesets")},
        "/rulesets/{ruleset_id}": {
            "get": _operation(
                "ruleset",
                "A loaded ruleset in full: its groups, indicators, items and tiers",
                "ruleset",
                errors=(404,),
                parameters=(
                    {
                        "name": "ruleset_id",
                        "in": "path",
                        "required": True,
                        "schema": {"enum": list(ruleset_ids)},
                    },
                ),
            )
        },
        "/schemas/{name}": {
            "get": {
                "operationId": "schema",
                "summary": "A shipped JSON Schema",
                "parameters": [
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {"enum": list(SCHEMA_NAMES)},
                    }
                ],
                "responses": {
                    "200": {"description": "the schema", "content": {JSON: {"schema": {}}}},
                    "404": {"description": "no such schema", "content": _json("problems")},
                    "421": {"description": _ERRORS[421], "content": _json("problems")},
                },
            }
        },
        "/rule-kinds": {
            "get": _operation(
                "rule_kinds",
                "How each rule kind's answer is written, and whether it is measured or "
                "proportional: what a form picks each field by",
                "rule-kinds",
            )
        },
        "/health": {"get": _operation("health", "The service is up", "health")},
        "/version": {"get": _operation("version", "Versions and loaded rulesets", "version")},
    }


def anchored(name: str, shipped: Any) -> Any:
    """Schema ``name`` with its ``#/$defs/...`` references anchored in the document and no
    ``$id``; nothing else differs from the shipped file."""
    if isinstance(shipped, list):
        return [anchored(name, entry) for entry in shipped]
    if not isinstance(shipped, dict):
        return shipped
    copied = {key: anchored(name, value) for key, value in shipped.items() if key != "$id"}
    reference = shipped.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/"):
        copied["$ref"] = f"#/components/schemas/{name}/{reference.removeprefix('#/')}"
    return copied


def openapi_document(config: ServiceConfig, rulesets: Rulesets) -> dict[str, Any]:
    """The OpenAPI 3.1 document of a service with ``rulesets`` loaded and ``config``'s limits."""
    limits = (
        f"Bodies are limited to {config.max_body:,} bytes "
        f"({config.max_batch_body:,} for /batch); larger ones get 413."
    )
    document: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "kla_model",
            "version": kla.__version__,
            "summary": "Score Kabupaten/Kota Layak Anak (KLA) submissions over HTTP.",
            "description": (
                "The scorer of Indonesia's child-friendly district evaluation as a service. "
                "Scores from provisional rulesets are not official. " + limits
            ),
        },
        "paths": _paths(tuple(rulesets.by_id)),
        "components": {"schemas": {name: anchored(name, schema(name)) for name in SCHEMA_NAMES}},
    }
    if config.store is not None:  # the workspaces exist only on a service with a store
        document["paths"].update(workspace_paths(tuple(rulesets.by_id), kla.STAGES))
        document["components"]["schemas"].update(workspace_components())
        document["components"]["securitySchemes"] = SECURITY_SCHEMES
    return document
