"""The JSON Schemas the service's contract is made of, all shipped in ``kla_model/schemas``.

The library's own schemas (the submission, the score card, the stage history, the evidence
report, costs, rule files) and those added for the service's other bodies (an explanation, a
plan, a batch line, an error, the loaded rulesets, health and version).  They are served at
``GET /schemas/{name}`` and are the OpenAPI document's component schemas as they are.
"""

from __future__ import annotations

from kla_model._schema import SCHEMA_NAMES

__all__ = ["SERVED_SCHEMAS", "SERVICE_SCHEMAS"]

#: The schemas written for the service's responses that no library result had.
SERVICE_SCHEMAS = (
    "batch-line",
    "explanation",
    "health",
    "plan",
    "problems",
    "rulesets",
    "validation",
    "version",
)
#: Every schema ``GET /schemas/{name}`` serves, by name.
SERVED_SCHEMAS = tuple(sorted({*SCHEMA_NAMES, *SERVICE_SCHEMAS}))
