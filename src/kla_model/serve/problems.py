"""Errors as responses: every refusal is ``{"problems": [{"location", "message", "message_id",
"message_en"}]}``: ``message`` is the library's English (as it always was), ``message_en``
the same text and ``message_id`` its Indonesian (:mod:`kla_model.serve.problem_words`).

The library raises :class:`~kla_model.KlaError`; a :class:`~kla_model.ProblemsError` already
lists every problem with its location, and any other ``KlaError`` is one problem.  The
service adds :class:`ApiError` for what only HTTP has (a body too large, a ruleset that is
not loaded).  Anything else is a bug: it is logged here, with its traceback, and the client
gets a generic message and an id to quote, never the traceback.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from kla_model.errors import KlaError, Problem, ProblemsError
from kla_model.serve.problem_words import indonesian

__all__ = ["ApiError", "CatchAll", "http_error", "incident", "kla_error", "problems_body"]

logger = logging.getLogger("kla_model.serve")


class ApiError(Exception):
    """A request the service refuses, with the HTTP status and the problems to report."""

    def __init__(
        self, status: int, problems: Iterable[Problem], headers: Mapping[str, str] | None = None
    ) -> None:
        self.status = status
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.headers = dict(headers or {})
        super().__init__("; ".join(map(str, self.problems)))

    @classmethod
    def one(cls, status: int, location: str, message: str) -> ApiError:
        return cls(status, [Problem(location, message)])


def problems_body(problems: Iterable[Problem]) -> dict[str, Any]:
    """The JSON body of an error response (schema ``problems``): each problem in both
    languages, so that a client shows the one its user reads."""
    return {"problems": [problem_data(p) for p in problems]}


def problem_data(problem: Problem) -> dict[str, str]:
    """One problem as JSON: ``message`` kept for the clients that read it, and the message in
    each language."""
    return {
        "location": problem.location,
        "message": problem.message,
        "message_id": indonesian(problem.message),
        "message_en": problem.message,
    }


def error_problems(error: KlaError, location: str = "body") -> tuple[Problem, ...]:
    """The problems of a library error: its own list, or its message as one problem."""
    if isinstance(error, ProblemsError):
        return error.problems
    return (Problem(location, str(error)),)


def respond(status: int, problems: Iterable[Problem]) -> JSONResponse:
    return JSONResponse(problems_body(problems), status_code=status)


async def api_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    response = respond(error.status, error.problems)
    response.headers.update(error.headers)
    return response


async def kla_error(request: Request, error: Exception) -> Response:
    """A library error is the client's input at fault: 422 with every problem."""
    assert isinstance(error, KlaError)
    return respond(422, error_problems(error))


async def http_error(request: Request, error: Exception) -> Response:
    """Starlette's own refusals (no such path, method not allowed) in the same shape."""
    assert isinstance(error, HTTPException)
    problem = Problem(request.url.path, str(error.detail))
    return Response(
        content=JSONResponse(problems_body([problem])).body,
        status_code=error.status_code,
        headers=dict(error.headers or {}),
        media_type="application/json",
    )


def incident(location: str, what: str) -> Problem:
    """Log the exception being handled, with its traceback and a new incident id, and return
    the problem to tell the client: the id only."""
    number = uuid.uuid4().hex[:12]
    logger.exception("unexpected error %s in %s", number, what)
    return Problem(location, f"an internal error occurred; it was logged as {number}")


class CatchAll:
    """ASGI middleware: an unexpected exception is logged and answered without a traceback.

    It answers 500 only if the response has not started (a streamed batch catches its rows'
    errors itself and reports them in the stream).  A client that went away before its body
    arrived is no fault of the service: one line of log, no traceback, and no answer, since
    nobody is there to read it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except ClientDisconnect:
            logger.info("client went away during %s %s", scope.get("method"), scope.get("path"))
        except Exception:
            problem = incident("server", f"{scope.get('method')} {scope.get('path')}")
            if started:
                raise
            await respond(500, [problem])(scope, receive, send)
