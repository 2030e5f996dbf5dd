"""The endpoints: each reads its inputs, calls the library, and answers plain JSON.

Every body a handler returns is the ``to_dict()`` of a library result, the same data the
``kla`` commands print with ``--format json``, and validates against a shipped schema (the
OpenAPI document names which).  Parsing, checking, scoring and encoding are CPU work: they
run in the thread pool, so that the loop stays free to accept requests and answer ``/health``
while a large body is checked or a plan searched, except for a small body whose work grows
only with its size (:data:`INLINE_BODY`), which costs less done at once than handed over.
"""

from __future__ import annotations

import itertools
import platform
from collections.abc import Callable, Iterator
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

import kla_model as kla
from kla_model._base.capped import first_problems, shown
from kla_model._base.json_schema import SCHEMA_NAMES, json_path, schema
from kla_model.scoring.card_json import writer_of
from kla_model.scoring.engine import score_json
from kla_model.serve import batch
from kla_model.serve.config import Rulesets, ServiceConfig
from kla_model.serve.gather import gathered
from kla_model.serve.limits import decode, parse_body, read_body
from kla_model.serve.problems import ApiError

__all__ = ["Service"]

#: The explanation languages.
LANGS = ("id", "en")
#: The largest body whose work is done on the event loop rather than in the thread pool, for
#: the endpoints whose work grows only with the body (scoring, checking, explaining): the
#: example's 24 KB take about a millisecond, less than handing the work to a thread and back
#: costs in CPU and in the interpreter lock passed between the two.  Larger bodies, and the
#: searches (plan, tasks), go to the thread pool, so the loop is never held for long.
INLINE_BODY = 64 * 1024
#: The keys of a ``POST /plan`` body.
PLAN_KEYS = ("submission", "costs", "fixed")
#: The keys of a ``POST /tasks`` body.
TASKS_KEYS = ("submission", "assignment", "costs")


def _choice(request: Request, name: str, allowed: tuple[str, ...]) -> str | None:
    """Query parameter ``name``, if given, checked against ``allowed`` (422 otherwise)."""
    value = request.query_params.get(name)
    if value is not None and value not in allowed:
        expected = ", ".join(allowed)
        message = f"expected one of {expected}; found {shown(value)}"
        raise ApiError.one(422, f"query.{name}", message)
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
        for ruleset in rulesets.by_id.values():
            # What every card of a ruleset writes the same, encoded now rather than on the
            # first request that needs it.
            writer_of(ruleset).groups  # noqa: B018

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
        try:
            submission = kla.Submission.from_mapping(data, source=source)
        except kla.SubmissionError as refused:
            # Every problem at once: the answers' too, not only the shape's (serve.gather).
            raise gathered(refused, data, self.rulesets, requested, source) from None
        return self.rulesets.choose(requested, submission.year), submission

    async def _answer(
        self, request: Request, work: Callable[[Any, str | None], Any], linear: bool = False
    ) -> Response:
        """Read the body, then parse it, ``work(data, ?ruleset=)`` on it and encode the result:
        in the thread pool, so that a large body or a long search never holds up the other
        requests, unless the work is ``linear`` in a body of at most :data:`INLINE_BODY`."""
        requested = self._requested(request)
        body = await read_body(request, self.config.max_body)

        def answer() -> Response:
            result = work(parse_body(body), requested)
            if type(result) is bytes:  # JSON written by the library (a score card's)
                return Response(result, media_type="application/json")
            return JSONResponse(result)

        if linear and len(body) <= INLINE_BODY:
            return answer()
        return await run_in_threadpool(answer)

    async def _scored(
        self, request: Request, work: Callable[[kla.RuleSet, kla.Submission], Any]
    ) -> Response:
        """:meth:`_answer` for a body that is one submission."""
        return await self._answer(
            request, lambda data, named: work(*self._submission(data, named)), linear=True
        )

    # -- a submission in, a result out ---------------------------------------------------------

    async def score(self, request: Request) -> Response:
        stage = _choice(request, "stage", kla.STAGES)
        return await self._scored(request, lambda rs, sub: score_json(rs, sub, stage))

    async def validate(self, request: Request) -> Response:
        return await self._scored(request, _validation)

    async def explain(self, request: Request) -> Response:
        stage = _choice(request, "stage", kla.STAGES)
        lang = _choice(request, "lang", LANGS) or "id"

        def explained(ruleset: kla.RuleSet, submission: kla.Submission) -> dict[str, Any]:
            return kla.explain(kla.score(ruleset, submission, stage), lang).to_dict()

        return await self._scored(request, explained)

    async def stages(self, request: Request) -> Response:
        return await self._scored(request, lambda rs, sub: kla.score_stages(rs, sub).to_dict())

    async def evidence(self, request: Request) -> Response:
        stage = _choice(request, "stage", kla.STAGES)

        def report(ruleset: kla.RuleSet, submission: kla.Submission) -> dict[str, Any]:
            return kla.evidence_report(ruleset, submission, stage).to_dict()

        return await self._scored(request, report)

    async def plan(self, request: Request) -> Response:
        stage = _choice(request, "stage", kla.STAGES)
        target = request.query_params.get("target")

        def planned(body: Any, requested: str | None) -> dict[str, Any]:
            _check_plan_body(body)
            ruleset, submission = self._submission(body["submission"], requested, "body.submission")
            costs = None
            if "costs" in body:
                costs = kla.Costs.from_mapping(body["costs"], "body.costs", ruleset)
            fixed = body.get("fixed", ())
            return kla.plan(ruleset, submission, target, costs, fixed, stage=stage).to_dict()

        return await self._answer(request, planned)

    async def tasks(self, request: Request) -> Response:
        stage = _choice(request, "stage", kla.STAGES)
        target = request.query_params.get("target")

        def shared(body: Any, requested: str | None) -> dict[str, Any]:
            _check_keys(body, TASKS_KEYS, ("submission", "assignment"))
            ruleset, submission = self._submission(body["submission"], requested, "body.submission")
            assignment = kla.Assignment.from_mapping(body["assignment"], "body.assignment", ruleset)
            costs = None
            if "costs" in body:
                costs = kla.Costs.from_mapping(body["costs"], "body.costs", ruleset)
            result = kla.task_force(
                ruleset, submission, assignment, target=target, cost=costs, stage=stage
            )
            return result.to_dict()

        return await self._answer(request, shared)

    async def batch(self, request: Request) -> Response:
        kind = batch.kind_of(request.headers.get("content-type"))
        stage = _choice(request, "stage", kla.STAGES)
        requested = self._requested(request)
        body = await read_body(request, self.config.max_batch_body, batch.BATCH_TYPES)
        lines = batch.csv_lines if kind == "csv" else batch.jsonl_lines

        def opened(body: bytes) -> Iterator[str]:
            # The CSV header is checked here, before the response starts; rows stream after.
            # Only the text is kept: the bytes are dropped once decoded.
            return lines(decode(body), self.rulesets, requested, stage)

        stream = await run_in_threadpool(opened, body)
        del body
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
            raise ApiError.one(404, "path.name", f"expected one of {known}; found {shown(name)}")
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


def _validation(ruleset: kla.RuleSet, submission: kla.Submission) -> dict[str, Any]:
    """``kla validate --format json``'s answer, or 422 with every problem."""
    problems = kla.check(ruleset, submission)
    if problems:
        raise ApiError(422, problems)
    answered = sum(1 for indicator_id in ruleset.indicators if indicator_id in submission.answers)
    return {
        "valid": True,
        "answered": answered,
        "indicators": len(ruleset.indicators),
        "ruleset": ruleset.ref.to_dict(),
    }


def _check_plan_body(body: Any) -> None:
    """A plan's body is ``{"submission": {...}, "costs": {...}, "fixed": [ids]}``."""
    problems = _key_problems(body, PLAN_KEYS, ("submission",))
    fixed = body.get("fixed", [])
    if not isinstance(fixed, list) or not all(isinstance(entry, str) for entry in fixed):
        problems.append(kla.Problem("body: $.fixed", "expected a list of indicator or item ids"))
    if problems:
        raise ApiError(422, problems)


def _check_keys(body: Any, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
    """``body`` is an object with the ``required`` fields and no others than ``allowed``."""
    problems = _key_problems(body, allowed, required)
    if problems:
        raise ApiError(422, problems)


def _key_problems(
    body: Any, allowed: tuple[str, ...], required: tuple[str, ...]
) -> list[kla.Problem]:
    """Every field of ``body`` outside ``allowed`` and every ``required`` one missing; 422 at
    once if ``body`` is not an object at all."""
    if not isinstance(body, dict):
        found = type(body).__name__
        raise ApiError.one(422, "body: $", f"expected an object with a submission; found {found}")
    message = f"unknown field; allowed: {', '.join(allowed)}"
    unknown = (
        kla.Problem(f"body: {json_path([key])}", message) for key in body if key not in allowed
    )
    missing = (
        kla.Problem("body: $", f"expected a field {key!r}; found none")
        for key in required
        if key not in body
    )
    # A body of 100,000 unknown keys gets 101 problems, each key cut at 80 characters.
    return first_problems(itertools.chain(unknown, missing), "body")
