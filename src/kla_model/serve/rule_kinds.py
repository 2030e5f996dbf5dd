"""``GET /rule-kinds``: the facts of every point-rule kind, for a page to build its form by.

The page asks the service how each kind's answer is written (and whether it is measured or
proportional) instead of keeping its own copy: the facts are the rule classes' own
(:func:`kla_model.rules.point_rules.kind_facts`), encoded once when the module is loaded,
since they never change while the service runs.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from kla_model.rules.point_rules import kind_facts

__all__ = ["RULE_KINDS_BODY", "rule_kinds"]

#: The answer, encoded once (``schemas/rule-kinds.schema.json``).
RULE_KINDS_BODY = json.dumps(kind_facts(), separators=(",", ":")).encode("utf-8")


async def rule_kinds(request: Request) -> Response:
    """Every rule kind's facts: ``{"kinds": {kind: {answer, measured, proportional}}}``."""
    return Response(RULE_KINDS_BODY, media_type="application/json")
