"""The shared workspace over HTTP: ``/workspaces/...`` (mounted only with ``--store``).

Thin handlers over :class:`kla_model.workspace.Desk`: each checks the request's shape (a JSON
body of at most ``--max-workspace-body`` bytes, ``Content-Type: application/json``), finds
the link from the ``Authorization: Bearer`` token, and runs the operation in the thread pool,
where the store's transactions run.  The refusals of :mod:`kla_model.workspace.refusals` are
answered here with their status (401, 403, 404, 409 with the current values, 507); an invalid
value is a library error, answered 422 by the service's usual handler.  The live views
(``/score``, ``/plan``, ``/tasks``) call the library exactly as ``POST /score``, ``POST /plan``
and ``POST /tasks`` do, on the workspace's current submission.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

import kla_model as kla
from kla_model.errors import Problem
from kla_model.serve.config import Rulesets, ServiceConfig
from kla_model.serve.limits import parse_body, read_body
from kla_model.serve.problems import ApiError, problems_body
from kla_model.serve.rate import RateLimit
from kla_model.workspace import (
    ConflictError,
    Desk,
    ForbiddenError,
    NotFoundError,
    StoreFullError,
    UnauthorizedError,
    WorkspaceError,
    open_store,
)
from kla_model.workspace.desk import Limits, utc_now
from kla_model.workspace.export import (
    history_csv,
    history_jsonl,
    submission_yaml,
)
from kla_model.workspace.model import Edit, Link
from kla_model.workspace.store import Snapshot

__all__ = ["HISTORY_PAGE", "WorkspaceApi", "fragment_link", "workspace_routes"]

#: The default and largest page of ``GET /workspaces/{id}/history``.
HISTORY_PAGE = (500, 5000)
#: A workspace, link or item id in a path or body.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: The statuses of the workspace refusals.
_STATUS: tuple[tuple[type[WorkspaceError], int], ...] = (
    (UnauthorizedError, 401),
    (ForbiddenError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (StoreFullError, 507),
)

Handler = Callable[[Request], Awaitable[Response]]


def fragment_link(workspace_id: str, token: str) -> str:
    """The page's address for a link, the token in the fragment (never sent to a server)."""
    return f"/#workspace={workspace_id}&token={token}"


class _TooManyError(ApiError):
    """429 with ``Retry-After``: answered by the service's ``ApiError`` handler."""

    def __init__(self, wait: int, per_minute: int) -> None:
        message = (
            f"terlalu banyak perubahan dari tautan ini: paling banyak {per_minute} per menit; "
            f"coba lagi dalam {wait} detik / too many changes from this link: at most "
            f"{per_minute} a minute; try again in {wait} s"
        )
        super().__init__(429, [Problem("header.authorization", message)])
        self.headers = {"Retry-After": str(wait)}


def _refusal(error: WorkspaceError) -> Response:
    status = next((code for kind, code in _STATUS if isinstance(error, kind)), 422)
    body = problems_body(error.problems)
    headers = {}
    if isinstance(error, ConflictError) and error.version is not None:
        body["version"] = error.version
        body["conflicts"] = list(error.conflicts)
    if isinstance(error, UnauthorizedError):
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, headers=headers)


def _guarded(handler: Handler) -> Handler:
    async def guarded(request: Request) -> Response:
        try:
            return await handler(request)
        except WorkspaceError as error:
            return _refusal(error)
        except _TooManyError as error:
            return JSONResponse(
                problems_body(error.problems), status_code=429, headers=error.headers
            )

    return guarded


def _id(request: Request, name: str) -> str:
    value: str = request.path_params[name]
    if not _ID.match(value):
        raise ApiError.one(404, f"path.{name}", f"no {name} has id {value[:80]!r}")
    return value


def _whole(request: Request, name: str, default: int | None, low: int, high: int) -> int | None:
    """Query parameter ``name`` as a whole number from ``low`` to ``high`` (422 otherwise)."""
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        message = f"expected a whole number from {low} to {high}; found {text[:40]!r}"
        raise ApiError.one(422, f"query.{name}", message)
    return int(text)


def _choice(request: Request, name: str, allowed: tuple[str, ...]) -> str | None:
    value = request.query_params.get(name)
    if value is not None and value not in allowed:
        message = f"expected one of {', '.join(allowed)}; found {value[:40]!r}"
        raise ApiError.one(422, f"query.{name}", message)
    return value


def _token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _fields(body: Any, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """``body`` as an object with exactly the ``required`` fields and some ``optional``."""
    if not isinstance(body, dict):
        found = type(body).__name__
        raise ApiError.one(422, "body: $", f"expected an object; found {found}")
    problems = [
        Problem(f"body: $.{key}", f"unknown field; allowed: {', '.join(required + optional)}")
        for key in body
        if key not in required + optional
    ]
    problems += [
        Problem("body: $", f"expected a field {key!r}; found none")
        for key in required
        if key not in body
    ]
    if problems:
        raise ApiError(422, problems)
    return body


def _version_field(body: dict[str, Any], name: str) -> int:
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiError.one(
            422, f"body: $.{name}", f"expected a whole number of 0 or more; found {value!r}"
        )
    return value


def _edits(body: Any, max_changes: int) -> tuple[int, list[Edit]]:
    """``{"base": N, "changes": [{"kind", "id", "value"}, ...]}`` as its base and edits."""
    fields = _fields(body, ("base", "changes"))
    base = _version_field(fields, "base")
    changes = fields["changes"]
    if not isinstance(changes, list) or not 1 <= len(changes) <= max_changes:
        message = f"expected a list of 1 to {max_changes} changes"
        raise ApiError.one(422, "body: $.changes", message)
    problems, edits = [], []
    for index, change in enumerate(changes):
        where = f"body: $.changes[{index}]"
        if not isinstance(change, dict) or set(change) != {"kind", "id", "value"}:
            problems.append(Problem(where, "expected an object with kind, id and value"))
            continue
        kind, ident, value = change["kind"], change["id"], change["value"]
        if kind not in ("item", "evidence"):
            problems.append(Problem(f"{where}.kind", f"expected item or evidence; found {kind!r}"))
        if not isinstance(ident, str) or not _ID.match(ident):
            problems.append(
                Problem(f"{where}.id", f"expected an item or evidence id; found {ident!r}")
            )
        if (
            kind == "evidence"
            and value is not None
            and (not isinstance(value, dict) or "id" in value)
        ):
            problems.append(
                Problem(f"{where}.value", "expected a piece of evidence without its id, or null")
            )
        edits.append(Edit(str(kind), str(ident), value))
    if problems:
        raise ApiError(422, problems)
    return base, edits


class WorkspaceApi:
    """The ``/workspaces`` endpoints over one :class:`~kla_model.workspace.Desk`."""

    def __init__(self, desk: Desk, rulesets: Rulesets) -> None:
        self.desk = desk
        self.rulesets = rulesets
        self.rate = RateLimit(desk.limits.changes_per_minute)

    def routes(self) -> list[BaseRoute]:
        base = "/workspaces/{workspace}"
        table: list[tuple[str, Handler, list[str]]] = [
            ("/workspaces", self.create, ["POST"]),
            (base, self.read, ["GET"]),
            (f"{base}/changes", self.change, ["POST"]),
            (f"{base}/history", self.history, ["GET"]),
            (f"{base}/history.csv", self.history_csv, ["GET"]),
            (f"{base}/history.jsonl", self.history_jsonl, ["GET"]),
            (f"{base}/submission", self.submission, ["GET"]),
            (f"{base}/restore", self.restore, ["POST"]),
            (f"{base}/score", self.score, ["GET"]),
            (f"{base}/plan", self.plan, ["GET"]),
            (f"{base}/tasks", self.tasks, ["GET"]),
            (f"{base}/assignment", self.assignment, ["PUT"]),
            (f"{base}/links", self.links, ["GET", "POST"]),
            (f"{base}/links/{{link}}", self.revoke_link, ["DELETE"]),
        ]
        return [Route(path, _guarded(handler), methods=methods) for path, handler, methods in table]

    # -- what every handler does first --------------------------------------------------------

    async def _body(self, request: Request) -> Any:
        kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if kind != "application/json":
            found = kind or "none"
            raise ApiError.one(
                415, "header.content-type", f"expected application/json; found {found}"
            )
        body = await read_body(request, self.desk.limits.max_body)
        return await run_in_threadpool(parse_body, body)

    async def _link(self, request: Request) -> tuple[str, Link]:
        workspace_id = _id(request, "workspace")
        token = _token(request)
        link = await run_in_threadpool(self.desk.authenticate, workspace_id, token)
        return workspace_id, link

    def _take(self, link: Link, count: int) -> None:
        wait = self.rate.take(link.id, count)
        if wait is not None:
            per_minute = self.desk.limits.changes_per_minute
            raise _TooManyError(wait, per_minute)

    # -- the workspace -------------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        requested = request.query_params.get("ruleset")
        if requested is not None:
            self.rulesets.named(requested)
        body = await self._body(request)

        def created() -> dict[str, Any]:
            fields = _fields(body, ("submission", "assignment"))
            submission = kla.Submission.from_mapping(fields["submission"], source="body.submission")
            ruleset = self.rulesets.choose(requested, submission.year)
            snapshot, link, token = self.desk.create(
                ruleset, fields["submission"], fields["assignment"]
            )
            return {
                "workspace": self.desk.view(snapshot, link),
                "link": _issued(snapshot.id, link, token),
            }

        return JSONResponse(await run_in_threadpool(created), status_code=201)

    async def read(self, request: Request) -> Response:
        workspace_id, link = await self._link(request)

        def viewed() -> dict[str, Any]:
            return self.desk.view(self.desk.store.snapshot(workspace_id), link)

        return JSONResponse(await run_in_threadpool(viewed))

    async def change(self, request: Request) -> Response:
        workspace_id, link = await self._link(request)
        body = await self._body(request)
        base, edits = _edits(body, self.desk.limits.max_changes)
        self._take(link, len(edits))
        version, changes = await run_in_threadpool(
            self.desk.change, workspace_id, link, base, edits
        )
        return JSONResponse({"version": version, "changes": [c.to_dict() for c in changes]})

    async def restore(self, request: Request) -> Response:
        workspace_id, link = await self._link(request)
        fields = _fields(await self._body(request), ("base", "version"))
        base, version = _version_field(fields, "base"), _version_field(fields, "version")
        self.desk.require_coordinator(link, ("memulihkan versi lama", "restore an earlier version"))
        self._take(link, 1)
        result = await run_in_threadpool(self.desk.restore, workspace_id, link, base, version)
        return JSONResponse({"version": result[0], "changes": [c.to_dict() for c in result[1]]})

    async def assignment(self, request: Request) -> Response:
        workspace_id, link = await self._link(request)
        fields = _fields(await self._body(request), ("base", "assignment"))
        base = _version_field(fields, "base")
        self.desk.require_coordinator(link, ("mengubah penugasan", "change the assignment"))
        self._take(link, 1)
        edits = [Edit("assignment", "assignment", fields["assignment"])]
        if not isinstance(fields["assignment"], dict):
            raise ApiError.one(422, "body: $.assignment", "expected an assignment object")
        version, changes = await run_in_threadpool(
            self.desk.change, workspace_id, link, base, edits
        )
        return JSONResponse({"version": version, "changes": [c.to_dict() for c in changes]})

    # -- history and export --------------------------------------------------------------------

    async def history(self, request: Request) -> Response:
        workspace_id, _ = await self._link(request)
        after = _whole(request, "after", 0, 0, 10**12) or 0
        limit = _whole(request, "limit", HISTORY_PAGE[0], 1, HISTORY_PAGE[1])

        def page() -> dict[str, Any]:
            version = self.desk.store.snapshot(workspace_id).version
            changes = self.desk.store.history(workspace_id, after, limit)
            return {"version": version, "changes": [c.to_dict() for c in changes]}

        return JSONResponse(await run_in_threadpool(page))

    async def history_csv(self, request: Request) -> Response:
        workspace_id, _ = await self._link(request)
        text = await run_in_threadpool(lambda: history_csv(self.desk.store.history(workspace_id)))
        return PlainTextResponse(text, media_type="text/csv; charset=utf-8")

    async def history_jsonl(self, request: Request) -> Response:
        workspace_id, _ = await self._link(request)
        text = await run_in_threadpool(lambda: history_jsonl(self.desk.store.history(workspace_id)))
        return PlainTextResponse(text, media_type="application/jsonl")

    async def submission(self, request: Request) -> Response:
        workspace_id, _ = await self._link(request)
        version = _whole(request, "version", None, 1, 10**12)
        form = _choice(request, "format", ("json", "yaml")) or "json"

        def exported() -> tuple[dict[str, Any], Snapshot]:
            snapshot = self.desk.store.snapshot(workspace_id)
            state = None if version is None else self.desk.state_at(workspace_id, version)
            return self.desk.submission(snapshot, state), snapshot

        data, snapshot = await run_in_threadpool(exported)
        if form == "json":
            return JSONResponse(data)
        name = re.sub(
            r"[^A-Za-z0-9._-]", "-", f"{snapshot.meta.region['code']}-{snapshot.meta.year}"
        )
        return PlainTextResponse(
            submission_yaml(data),
            media_type="application/yaml",
            headers={"Content-Disposition": f'attachment; filename="{name}.yaml"'},
        )

    # -- the live views: the same library calls as POST /score, /plan and /tasks ------------------

    async def _live(
        self, request: Request, work: Callable[[kla.RuleSet, kla.Submission, Any], Any]
    ) -> Response:
        workspace_id, _ = await self._link(request)

        def answer() -> Any:
            snapshot = self.desk.store.snapshot(workspace_id)
            ruleset = self.desk.ruleset(snapshot)
            submission = kla.Submission.from_mapping(
                self.desk.submission(snapshot), source="workspace"
            )
            return work(ruleset, submission, self.desk.assignment(snapshot.state, ruleset))

        return JSONResponse(await run_in_threadpool(answer))

    async def score(self, request: Request) -> Response:
        stage = _choice(request, "stage", kla.STAGES)
        return await self._live(request, lambda rs, sub, _: kla.score(rs, sub, stage).to_dict())

    async def plan(self, request: Request) -> Response:
        stage = _choice(request, "stage", kla.STAGES)
        target = request.query_params.get("target")
        return await self._live(
            request, lambda rs, sub, _: kla.plan(rs, sub, target, None, (), stage=stage).to_dict()
        )

    async def tasks(self, request: Request) -> Response:
        stage = _choice(request, "stage", kla.STAGES)
        target = request.query_params.get("target")

        def shared(rs: kla.RuleSet, sub: kla.Submission, assignment: kla.Assignment) -> Any:
            return kla.task_force(
                rs, sub, assignment, target=target, cost=None, stage=stage
            ).to_dict()

        return await self._live(request, shared)

    # -- links ---------------------------------------------------------------------------------

    async def links(self, request: Request) -> Response:
        """One route for both methods, so that a 405 lists both in ``Allow``."""
        if request.method == "POST":
            return await self.issue_link(request)
        return await self.list_links(request)

    async def list_links(self, request: Request) -> Response:
        workspace_id, link = await self._link(request)
        self.desk.require_coordinator(link, ("melihat daftar tautan", "list the links"))
        links = await run_in_threadpool(self.desk.store.links, workspace_id)
        return JSONResponse({"links": [entry.to_dict() for entry in links]})

    async def issue_link(self, request: Request) -> Response:
        workspace_id, link = await self._link(request)
        body = await self._body(request)
        self.desk.require_coordinator(link, ("menerbitkan tautan", "issue links"))
        fields = _fields(body, (), ("agency", "role"))
        agency, role = fields.get("agency"), fields.get("role")
        if (agency is None) == (role is None) or role not in (None, "coordinator"):
            message = 'expected {"agency": "<agency id>"} or {"role": "coordinator"}'
            raise ApiError.one(422, "body: $", message)
        if agency is not None and (not isinstance(agency, str) or not _ID.match(agency)):
            raise ApiError.one(422, "body: $.agency", f"expected an agency id; found {agency!r}")
        issued, token = await run_in_threadpool(self.desk.issue_link, workspace_id, link, agency)
        return JSONResponse(_issued(workspace_id, issued, token), status_code=201)

    async def revoke_link(self, request: Request) -> Response:
        workspace_id, link = await self._link(request)
        link_id = _id(request, "link")
        revoked = await run_in_threadpool(self.desk.revoke, workspace_id, link, link_id)
        return JSONResponse(revoked.to_dict())


def _issued(workspace_id: str, link: Link, token: str) -> dict[str, Any]:
    """A link as issued: the only time its token is shown."""
    return {**link.to_dict(), "token": token, "link": fragment_link(workspace_id, token)}


def workspace_routes(config: ServiceConfig, rulesets: Rulesets) -> list[BaseRoute]:
    """The ``/workspaces`` routes over ``config.store`` (opened and migrated now); none
    without a store, so that a stateless service answers them 404."""
    if config.store is None:
        return []
    desk = Desk(open_store(config.store, utc_now()), rulesets.by_id, limits_of(config))
    return WorkspaceApi(desk, rulesets).routes()


def limits_of(config: ServiceConfig) -> Limits:
    return Limits(**config.workspace_limits)
