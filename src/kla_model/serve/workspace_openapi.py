"""The ``/workspaces`` operations in the OpenAPI document (added only with ``--store``).

Closed schemas (``additionalProperties: false``) for every body in and out; the submission
and assignment inside them are the shipped schemas, referenced.  Links present their token
as ``Authorization: Bearer``, declared as the ``link`` security scheme.
"""

from __future__ import annotations

import copy
from typing import Any

from kla_model._base.json_schema import schema

__all__ = ["SECURITY_SCHEMES", "workspace_components", "workspace_paths"]

JSON = "application/json"

_ERRORS = {
    400: "the body is not JSON (or not UTF-8, or nested too deeply)",
    401: "no token, or one this workspace does not know or has revoked",
    403: "the link may not do this",
    404: "no such workspace or link (or the workspace's ruleset is not loaded)",
    409: "a conflict: changed by another link since base (with the current values)",
    413: "the body is larger than --max-workspace-body",
    415: "the body is not application/json",
    422: "an invalid body, value or parameter: every problem with its location",
    429: "more changes from this link in a minute than --changes-per-minute",
    507: "the store's bound on workspaces, or the history's on changes, is reached",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _closed(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }


_ID = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"}
_VERSION = {"type": "integer", "minimum": 0}


def _in_submission(schema: Any) -> Any:
    """A part of the submission schema, its ``#/$defs/...`` references anchored in the
    document (where the submission schema sits in the components)."""
    if isinstance(schema, list):
        return [_in_submission(entry) for entry in schema]
    if not isinstance(schema, dict):
        return schema
    copied = {key: _in_submission(value) for key, value in schema.items()}
    reference = schema.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        copied["$ref"] = "#/components/schemas/submission/" + reference.removeprefix("#/")
    return copied


def _change_value() -> dict[str, Any]:
    """A change's value: null, an item's answer, or a piece of evidence without its id."""
    piece = copy.deepcopy(schema("submission")["$defs"]["evidence"])
    del piece["properties"]["id"]
    piece["required"].remove("id")
    return {
        "anyOf": [
            {"type": "null"},
            _ref("submission/$defs/item_answer"),
            _in_submission(piece),
        ]
    }


_NULLABLE_TEXT = {"type": ["string", "null"]}
_AUTHOR = _closed(
    ["link", "role", "agency"],
    {
        "link": {"type": "string"},
        "role": {"enum": ["coordinator", "agency"]},
        "agency": _NULLABLE_TEXT,
    },
)
_LINK_FIELDS = {
    "id": {"type": "string"},
    "role": {"enum": ["coordinator", "agency"]},
    "agency": _NULLABLE_TEXT,
    "created": {"type": "string"},
    "revoked": _NULLABLE_TEXT,
}
_CHANGE = _closed(
    ["seq", "at", "by", "kind", "id", "before", "after", "restore"],
    {
        "seq": {"type": "integer", "minimum": 1},
        "at": {"type": "string"},
        "by": _ref("ws-author"),
        "kind": {"enum": ["item", "evidence", "assignment"]},
        "id": {"type": "string"},
        "before": {},
        "after": {},
        "restore": {"type": ["integer", "null"]},
    },
)


def workspace_components() -> dict[str, Any]:
    """The component schemas the operations refer to, named ``ws-...``."""
    changes = {"type": "array", "items": _ref("ws-change")}
    return {
        "ws-author": _AUTHOR,
        "ws-change": _CHANGE,
        "ws-link": _closed(list(_LINK_FIELDS), _LINK_FIELDS),
        "ws-issued-link": _closed(
            [*_LINK_FIELDS, "token", "link"],
            {**_LINK_FIELDS, "token": {"type": "string"}, "link": {"type": "string"}},
        ),
        "ws-links": _closed(["links"], {"links": {"type": "array", "items": _ref("ws-link")}}),
        "ws-changes": _closed(["version", "changes"], {"version": _VERSION, "changes": changes}),
        "ws-workspace": _closed(
            ["id", "created", "version", "ruleset", "submission", "assignment", "you", "changed"],
            {
                "id": {"type": "string"},
                "created": {"type": "string"},
                "version": _VERSION,
                "ruleset": _closed(
                    ["id", "version", "sha256", "status"],
                    {k: {"type": "string"} for k in ("id", "version", "sha256", "status")},
                ),
                "submission": _ref("submission"),
                "assignment": _ref("assignment"),
                "you": _closed(
                    [*_LINK_FIELDS, "items"],
                    {**_LINK_FIELDS, "items": {"type": "array", "items": {"type": "string"}}},
                ),
                "changed": {
                    "type": "object",
                    "additionalProperties": _closed(
                        ["kind", "version", "at", "by"],
                        {
                            "kind": {"enum": ["item", "evidence", "assignment"]},
                            "version": _VERSION,
                            "at": {"type": "string"},
                            "by": _ref("ws-author"),
                        },
                    ),
                },
            },
        ),
        "ws-created": _closed(
            ["workspace", "link"],
            {"workspace": _ref("ws-workspace"), "link": _ref("ws-issued-link")},
        ),
        "ws-conflict": _closed(
            ["problems"],
            {
                "problems": {
                    "type": "array",
                    "minItems": 1,
                    "items": _ref("problems/$defs/problem"),
                },
                "version": _VERSION,
                "conflicts": {
                    "type": "array",
                    "items": _closed(
                        ["kind", "id", "version", "value", "by"],
                        {
                            "kind": {"enum": ["item", "evidence", "assignment"]},
                            "id": {"type": "string"},
                            "version": _VERSION,
                            "value": {},
                            "by": _ref("ws-author"),
                        },
                    ),
                },
            },
        ),
    }


def _json(name: str) -> dict[str, Any]:
    return {JSON: {"schema": _ref(name)}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": schema}}}


def _operation(
    operation_id: str,
    summary: str,
    content: dict[str, Any],
    errors: tuple[int, ...],
    *,
    status: str = "200",
    parameters: tuple[dict[str, Any], ...] = (),
    body: dict[str, Any] | None = None,
    secured: bool = True,
) -> dict[str, Any]:
    responses: dict[str, Any] = {status: {"description": "success", "content": content}}
    for code in errors:
        schema = _ref("ws-conflict") if code == 409 else _ref("problems")
        responses[str(code)] = {"description": _ERRORS[code], "content": {JSON: {"schema": schema}}}
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["workspaces"],
        "responses": responses,
    }
    if secured:
        operation["security"] = [{"link": []}]
    if parameters:
        operation["parameters"] = list(parameters)
    if body is not None:
        operation["requestBody"] = _body(body)
    return operation


def _parameter(name: str, where: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema,
    }


def workspace_paths(ruleset_ids: tuple[str, ...], stages: tuple[str, ...]) -> dict[str, Any]:
    """The ``/workspaces`` paths of the document."""
    workspace = _parameter("workspace", "path", {"type": "string"}, "the workspace's id")
    stage = _parameter("stage", "query", {"enum": list(stages)}, "the evaluation stage")
    target = _parameter("target", "query", {"type": "string"}, "the tier to reach")
    read = (401, 404)
    posted = (400, 401, 403, 404, 413, 415, 422)
    base = "/workspaces/{workspace}"
    change_body = _closed(
        ["base", "changes"],
        {
            "base": _VERSION,
            "changes": {
                "type": "array",
                "minItems": 1,
                "maxItems": 200,
                "items": _closed(
                    ["kind", "id", "value"],
                    {"kind": {"enum": ["item", "evidence"]}, "id": _ID, "value": _change_value()},
                ),
            },
        },
    )
    link_body = {
        "oneOf": [
            _closed(["agency"], {"agency": _ID}),
            _closed(["role"], {"role": {"const": "coordinator"}}),
        ]
    }
    return {
        "/workspaces": {
            "post": _operation(
                "workspace-create",
                "Open a workspace for a submission and its task force; the coordinator's link",
                _json("ws-created"),
                (400, 404, 413, 415, 422, 507),
                status="201",
                secured=False,
                parameters=(
                    _parameter("ruleset", "query", {"enum": list(ruleset_ids)}, "a loaded ruleset"),
                ),
                body=_closed(
                    ["submission", "assignment"],
                    {"submission": _ref("submission"), "assignment": _ref("assignment")},
                ),
            )
        },
        base: {
            "get": _operation(
                "workspace",
                "The workspace now",
                _json("ws-workspace"),
                read,
                parameters=(workspace,),
            )
        },
        f"{base}/changes": {
            "post": _operation(
                "workspace-change",
                "Change items and evidence, made on version base",
                _json("ws-changes"),
                (*posted, 409, 429, 507),
                parameters=(workspace,),
                body=change_body,
            )
        },
        f"{base}/history": {
            "get": _operation(
                "workspace-history",
                "The history, a page at a time",
                _json("ws-changes"),
                (401, 404, 422),
                parameters=(
                    workspace,
                    _parameter("after", "query", {"type": "integer", "minimum": 0}, "after seq"),
                    _parameter(
                        "limit",
                        "query",
                        {"type": "integer", "minimum": 1, "maximum": 5000},
                        "at most",
                    ),
                ),
            )
        },
        f"{base}/history.csv": {
            "get": _operation(
                "workspace-history-csv",
                "The history as CSV",
                {"text/csv": {"schema": {"type": "string"}}},
                read,
                parameters=(workspace,),
            )
        },
        f"{base}/history.jsonl": {
            "get": _operation(
                "workspace-history-jsonl",
                "The history as JSON Lines",
                {"application/jsonl": {"schema": {"type": "string"}}},
                read,
                parameters=(workspace,),
            )
        },
        f"{base}/submission": {
            "get": _operation(
                "workspace-submission",
                "The submission, now or at a version, as kla score reads it",
                {
                    JSON: {"schema": _ref("submission")},
                    "application/yaml": {"schema": _ref("submission")},
                },
                (401, 404, 422),
                parameters=(
                    workspace,
                    _parameter("version", "query", {"type": "integer", "minimum": 1}, "a version"),
                    _parameter("format", "query", {"enum": ["json", "yaml"]}, "json or yaml"),
                ),
            )
        },
        f"{base}/restore": {
            "post": _operation(
                "workspace-restore",
                "Make an earlier version current again (coordinator)",
                _json("ws-changes"),
                (*posted, 409, 429, 507),
                parameters=(workspace,),
                body=_closed(["base", "version"], {"base": _VERSION, "version": _VERSION}),
            )
        },
        f"{base}/score": {
            "get": _operation(
                "workspace-score",
                "The current submission's score card",
                _json("result"),
                (401, 404, 422),
                parameters=(workspace, stage),
            )
        },
        f"{base}/plan": {
            "get": _operation(
                "workspace-plan",
                "The current submission's plan",
                _json("plan"),
                (401, 404, 422),
                parameters=(workspace, stage, target),
            )
        },
        f"{base}/tasks": {
            "get": _operation(
                "workspace-tasks",
                "What each agency owns and must do, now",
                _json("task-force"),
                (401, 404, 422),
                parameters=(workspace, stage, target),
            )
        },
        f"{base}/assignment": {
            "put": _operation(
                "workspace-assignment",
                "Replace the assignment (coordinator)",
                _json("ws-changes"),
                (*posted, 409, 429, 507),
                parameters=(workspace,),
                body=_closed(
                    ["base", "assignment"], {"base": _VERSION, "assignment": _ref("assignment")}
                ),
            )
        },
        f"{base}/links": {
            "get": _operation(
                "workspace-links",
                "The links issued (coordinator)",
                _json("ws-links"),
                (401, 403, 404),
                parameters=(workspace,),
            ),
            "post": _operation(
                "workspace-link-issue",
                "Issue a link for an agency, or another coordinator link (coordinator)",
                _json("ws-issued-link"),
                (*posted, 507),
                status="201",
                parameters=(workspace,),
                body=link_body,
            ),
        },
        f"{base}/links/{{link}}": {
            "delete": _operation(
                "workspace-link-revoke",
                "Revoke a link (coordinator)",
                _json("ws-link"),
                (401, 403, 404, 409),
                parameters=(
                    workspace,
                    _parameter("link", "path", _ID, "a link's id"),
                ),
            )
        },
    }


#: The security scheme of the workspace operations.
SECURITY_SCHEMES = {
    "link": {
        "type": "http",
        "scheme": "bearer",
        "description": "a workspace link's token (secrets.token_urlsafe(32))",
    }
}
