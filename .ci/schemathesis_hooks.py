"""Schemathesis hooks for ``kla serve``: reading ``POST /batch``'s JSON Lines responses.

OpenAPI 3.1 has no way to say "a stream of JSON documents, each following this schema", so
the document gives the schema of one line (``batch-line``).  This deserializer checks every
line of a stream against that shipped schema and hands Schemathesis the first line, which the
document's schema is then checked against once more.
"""

from __future__ import annotations

import json
import os
from typing import Any

import jsonschema
import schemathesis

from kla_model._base.json_schema import schema


@schemathesis.deserializer("application/x-ndjson")
def batch_lines(ctx: Any, response: Any) -> Any:
    validator = jsonschema.Draft202012Validator(schema("batch-line"))
    lines = [json.loads(line) for line in response.content.decode("utf-8").splitlines()]
    if not lines:
        raise ValueError("expected at least one JSON Lines result; found an empty stream")
    for number, line in enumerate(lines, start=1):
        errors = [error.message for error in validator.iter_errors(line)]
        if errors:
            raise ValueError(f"line {number} does not follow batch-line: {errors}")
    return lines[0]


# The workspace operations (only on a service started with --store) need a workspace and a
# link's token: .ci/run creates one before the run and names it in these variables; every
# generated request to a /workspaces/{workspace} operation is sent to it, with the coordinator's
# token (schemathesis.toml's [auth], so that the ignored-auth check can still leave it out),
# so that the generated bodies reach the checks past authentication.  Revoking that very link
# would shut the rest of the run out, so a generated revocation of it names no link.
WORKSPACE = os.environ.get("KLA_SCHEMATHESIS_WORKSPACE")
LINK = os.environ.get("KLA_SCHEMATHESIS_LINK")


@schemathesis.hook
def before_call(ctx: Any, case: Any, **kwargs: Any) -> None:
    if not WORKSPACE or not case.path.startswith("/workspaces/{workspace}"):
        return
    case.path_parameters = {**(case.path_parameters or {}), "workspace": WORKSPACE}
    if (case.path_parameters or {}).get("link") == LINK:
        case.path_parameters["link"] = "l-none"
