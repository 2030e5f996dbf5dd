"""The endpoints: each reads its inputs, calls the library, and answers plain JSON.

Every body a handler returns is the ``to_dict()`` of a library result, the same data the
``kla`` commands print with ``--format json``, and validates against a shipped schema (the
OpenAPI document names which).  Scoring is pure and CPU-bound, so it runs in the thread pool:
the event loop stays free to accept requests and answer ``/health`` while a plan is searched.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

import kla_model as kla
from kla_model._base.json_schema import SCHEMA_NAMES, schema
from kla_model.serve import batch
from kla_model.serve.config import Rulesets, ServiceConfig
from kla_model.serve.limits import decode, read_body, read_json
from kla_model.serve.problems import ApiError

__all__ = ["Service"]

T = TypeVar("T")

#: The explanation languages.
LANGS = ("id", "en")
#: The keys of a ``POST /plan`` body.
PLAN_KEYS = ("submission", "costs", "fixed")


def _choice(request: Request, name: str, allowed: tuple[str, ...]) -> str | None:
    """Query parameter ``name``, if given, checked against ``allowed`` (422 otherwise)."""
    value = request.query_params.get(name)
    if value is not None and value not in allowed:
        expected = ", ".join(allowed)
        raise ApiError.one(422, f"query.{name}", f"expected one of {expected}; found {value!r}")
    return value


def ruleset_summary(ruleset: kla.RuleSet) -> dict[str, Any]:
    """What ``GET /rulesets`` says of a ruleset: the ``kla rules --format json`` entry."""
    return {
        "id": ruleset.id,
        "version": ruleset.version,
        "status": ruleset.status,
        "rounds": None if ruleset.applies_to is None else ruleset.applies_to.to_dict(),
        "max_score": ruleset.max_score,
        "label": ruleset.label.to_dict(),
        "sha256": ruleset.sha256,
    }


class Service:
    """The endpoints over one configuration's loaded rulesets (read-only once made)."""

    def __init__(self, config: ServiceConfig, rulesets: Rulesets) -> None:
        self.config = config
        self.rulesets = rulesets

    # -- inputs ------------------------------------------------------------------------------

    def _requested(self, request: Request) -> str | None:
        """``?ruleset=``, checked to be loaded before the body is read (404 otherwise)."""
        requested = request.query_params.get("ruleset")
        if requested is not None:
            self.rulesets.named(requested)
        return requested

    def _submission(
        self, data: Any, requested: str | None, source: str = "body"
    ) -> tuple[kla.RuleSet, kla.Submission]:
        submission = kla.Submission.from_mapping(data, source=source)
        return self.rulesets.choose(requested, submission.year), submission

    async def _inputs(self, request: Request) -> tuple[kla.RuleSet, kla.Submission]:
        requested = self._requested(request)
        return self._submission(await read_json(request, self.config.max_body), requested)

    @staticmethod
    async def _work(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await run_in_threadpool(function, *args, **kwargs)

    # -- a submission in, a result out ---------------------------------------------------------

    async def score(self, request: Request) -> Response:
        stage = _choice(request, "stage", kla.STAGES)
        ruleset, submission = await self._inputs(request)
        card = await self._work(kla.score, ruleset, submission, stage)
        return JSONResponse(card.to_dict())

    async def validate(self, request: Request) -> Response:
        ruleset, submission = await self._inputs(request)
        problems = kla.check(ruleset, submission)
        if problems:
            raise ApiError(422, problems)
        answered = sum(
            1 for indicator_id in ruleset.indicators if indicator_id in submission.answers
        )
        return JSONResponse(
            {
                "valid": True,
                "answered": answered,
                "indicators": len(ruleset.indicators),
                "ruleset": ruleset.ref.to_dict(),
            }
        )

    async def explain(self, request: Request) -> Response:
        stage = _choice(request, "stage", kla.STAGES)
        lang = _choice(request, "lang", LANGS) or "id"
        ruleset, submission = await self._inputs(request)

        def explained() -> dict[str, Any]:
            return kla.explain(kla.score(ruleset, submission, stage), lang).to_dict()

        return JSONResponse(await self._work(explained))

    async def stages(self, request: Request) -> Response:
        ruleset, submission = await self._inputs(request)
        history = await self._work(kla.score_stages, ruleset, submission)
        return JSONResponse(history.to_dict())

    async def evidence(self, request: Request) -> Response:
        stage = _choice(request, "stage", kla.STAGES)
        ruleset, submission = await self._inputs(request)
        report = await self._work(kla.evidence_report, ruleset, submission, stage)
        return JSONResponse(report.to_dict())

    async def plan(self, request: Request) -> Response:
        stage = _choice(request, "stage", kla.STAGES)
        target = request.query_params.get("target")
        requested = self._requested(request)
        body = await read_json(request, self.config.max_body)
        _check_plan_body(body)
        ruleset, submission = self._submission(body["submission"], requested, "body.submission")
        costs = None
        if "costs" in body:
            costs = kla.Costs.from_mapping(body["costs"], "body.costs", ruleset)
        result = await self._work(
            kla.plan, ruleset, submission, target, costs, body.get("fixed", ()), stage=stage
        )
        return JSONResponse(result.to_dict())

    async def batch(self, request: Request) -> Response:
        kind = batch.kind_of(request.headers.get("content-type"))
        stage = _choice(request, "stage", kla.STAGES)
        requested = self._requested(request)
        text = decode(await read_body(request, self.config.max_batch_body))
        lines = batch.csv_lines if kind == "csv" else batch.jsonl_lines
        # The CSV header is checked here, before the response starts; rows stream after.
        stream = await self._work(lines, text, self.rulesets, requested, stage)
        return StreamingResponse(batch.chunked(stream), media_type=batch.JSON_LINES)

    # -- what the service holds ----------------------------------------------------------------

    async def list_rulesets(self, request: Request) -> Response:
        rulesets = [ruleset_summary(rs) for rs in self.rulesets.by_id.values()]
        return JSONResponse({"rulesets": rulesets})

    async def get_ruleset(self, request: Request) -> Response:
        ruleset = self.rulesets.named(request.path_params["ruleset_id"])
        return JSONResponse(ruleset.to_dict())

    async def get_schema(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in SCHEMA_NAMES:
            known = ", ".join(SCHEMA_NAMES)
            raise ApiError.one(404, "path.name", f"expected one of {known}; found {name!r}")
        return JSONResponse(schema(name))

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "rulesets": len(self.rulesets.by_id)})

    async def version(self, request: Request) -> Response:
        return JSONResponse(
            {
                "kla_model": kla.__version__,
                "python": platform.python_version(),
                "rulesets": [rs.ref.to_dict() for rs in self.rulesets.by_id.values()],
            }
        )


def _check_plan_body(body: Any) -> None:
    """A plan's body is ``{"submission": {...}, "costs": {...}, "fixed": [ids]}``."""
    if not isinstance(body, dict):
        found = type(body).__name__
        raise ApiError.one(422, "body: $", f"expected an object with a submission; found {found}")
    problems = []
    for key in body:
        if key not in PLAN_KEYS:
            allowed = ", ".join(PLAN_KEYS)
            problems.append(kla.Problem(f"body: $.{key}", f"unknown field; allowed: {allowed}"))
    if "submission" not in body:
        problems.append(kla.Problem("body: $", "expected a field 'submission'; found none"))
    fixed = body.get("fixed", [])
    if not isinstance(fixed, list) or not all(isinstance(entry, str) for entry in fixed):
        problems.append(kla.Problem("body: $.fixed", "expected a list of indicator or item ids"))
    if problems:
        raise ApiError(422, problems)
