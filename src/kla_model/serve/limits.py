"""The service's limits, and reading a request body within them.

A request body is read as a stream and counted as it arrives: a client that sends more than
the limit is refused with 413 at the first byte past it, whatever its ``Content-Length``
says (a header can lie, and a chunked body has none).  It must be of a type the endpoint
takes (415 otherwise: a page on another site can post ``text/plain`` or a form without
asking, but not ``application/json``), and it must arrive within the body timeout (408
otherwise: a body trickled a byte at a time, or never finished, does not hold the server).
A JSON body is then parsed with the library's strict reader (duplicate keys refused) and
refused if nested deeper than :data:`MAX_DEPTH`: no submission or cost mapping is deeper
than a handful of levels, and a bound keeps schema validation's recursion small.

:class:`BodyGate` bounds how many requests hold a body at once, so that memory is bounded
however many clients send their largest bodies together.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from kla_model._base.strict_yaml import MAX_BYTES, parse_json
from kla_model._base.suggest import hints_limited, new_budget
from kla_model.errors import Problem, SubmissionError
from kla_model.serve.problems import ApiError, respond

__all__ = [
    "JSON_TYPES",
    "MAX_BATCH_BYTES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "BodyGate",
    "check_depth",
    "parse_body",
    "read_body",
]

#: The largest batch body: some 25,000 rows of the wide table (all 514 districts many times
#: over), or some 700 JSON submissions the size of the example with its evidence.
MAX_BATCH_BYTES = 16_000_000
#: The deepest nesting of arrays and objects a JSON body may have.
MAX_DEPTH = 32


#: The did-you-mean hints one request may look for (each costs up to some milliseconds);
#: problems past them are reported without a hint.
HINTS_PER_REQUEST = 20
#: The media type of every JSON body.
JSON_TYPES = ("application/json",)
#: How long a body may take to arrive when the app sets no timeout of its own.
BODY_SECONDS = 60.0


def media_type(request: Request) -> str:
    """The ``Content-Type`` without its parameters, lower case (``""`` if none)."""
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def check_type(request: Request, types: Iterable[str]) -> None:
    """:class:`ApiError` 415 unless the body is of one of ``types``."""
    types = tuple(types)
    found = media_type(request)
    if found not in types:
        expected = " or ".join(types)
        shown = found[:80] or "no Content-Type"
        raise ApiError.one(415, "header.content-type", f"expected {expected}; found {shown}")


async def read_body(
    request: Request, limit: int, types: Iterable[str] = JSON_TYPES, seconds: float | None = None
) -> bytes:
    """The request body, if of one of ``types`` (415), at most ``limit`` bytes (413 as soon as
    it grows past) and arrived within ``seconds`` (408; default: the app's ``body_timeout``)."""
    check_type(request, types)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    if seconds is None:
        seconds = getattr(request.app.state, "body_timeout", BODY_SECONDS)
    try:
        async with asyncio.timeout(seconds):
            return await _counted(request, limit)
    except TimeoutError:
        message = f"the body did not arrive within {seconds:g} seconds"
        raise ApiError(408, [Problem("body", message)], {"Connection": "close"}) from None


async def _counted(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> ApiError:
    return ApiError.one(413, "body", f"the body is larger than the limit of {limit:,} bytes")


def decode(body: bytes) -> str:
    """The body as UTF-8 text (a byte-order mark is dropped), or :class:`ApiError` 400."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        message = f"expected UTF-8 text; byte {bad.start} is not ({bad.reason})"
        raise ApiError.one(400, "body", message) from None


def parse_body(body: bytes) -> Any:
    """A body read by :func:`read_body`, parsed as JSON within :data:`MAX_DEPTH`; else 400
    (or 422 for text refused at its place in the document)."""
    text = decode(body)
    if not text.strip():
        raise ApiError.one(400, "body", "expected a JSON document; the body is empty")
    try:
        data = parse_json(text, "body", SubmissionError)
    except SubmissionError as bad:
        # Not JSON at all: 400.  JSON whose text is refused where it stands (a control
        # character spelt as an escape, located by its path): the input is invalid, 422.
        located = bad.problems[0].location.startswith("body: $")
        raise ApiError(422 if located else 400, bad.problems) from None
    problem = check_depth(data, "body")
    if problem is not None:
        raise ApiError(400, [problem])
    return data


def check_depth(data: Any, source: str, limit: int = MAX_DEPTH) -> Problem | None:
    """A problem if parsed ``data`` nests arrays and objects deeper than ``limit``; else
    ``None``.  Parsed: its containers are exact ``dict`` and ``list`` objects, as the JSON
    and YAML readers make them."""
    # A level at a time, the containers of the next level gathered by one comprehension:
    # this runs on every body, and a walk with a stack entry per value costs ten times more.
    # A type looked up in a set is half the cost of isinstance with a tuple of two.
    level = [data] if type(data) in _CONTAINERS else []
    depth = 1
    while level:
        if depth > limit:
            return Problem(source, f"expected at most {limit} levels of nesting; found more")
        level = [
            child
            for value in level
            for child in (value.values() if type(value) is dict else value)
            if type(child) in _CONTAINERS
        ]
        depth += 1
    return None


#: The containers of parsed data (see :func:`check_depth`).
_CONTAINERS = frozenset({dict, list})


class BodyGate:
    """ASGI middleware: at most ``bodies`` requests with a body (``POST``), and of them at
    most ``batches`` to ``/batch``, are read and worked on at once; the others wait, before
    a byte of their body is read, at most ``seconds``, and are then answered 503.

    Memory is then bounded by the largest bodies times these counts, however many clients
    send at once: a body not yet read waits in the network, not in the server.  And each
    request may look for at most :data:`HINTS_PER_REQUEST` did-you-mean hints, however many
    submissions its body holds.
    """

    def __init__(
        self, app: ASGIApp, bodies: int = 8, batches: int = 2, seconds: float = BODY_SECONDS
    ) -> None:
        self.app = app
        self.bodies = asyncio.Semaphore(bodies)
        self.batches = asyncio.Semaphore(batches)
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        gates = [self.bodies]
        if scope["path"] == "/batch":
            gates.append(self.batches)
        await self._through(gates, scope, receive, send)

    async def _through(
        self, gates: list[asyncio.Semaphore], scope: Scope, receive: Receive, send: Send
    ) -> None:
        if not gates:
            with hints_limited(new_budget(HINTS_PER_REQUEST)):
                await self.app(scope, receive, send)
            return
        gate, rest = gates[-1], gates[:-1]
        try:
            async with asyncio.timeout(self.seconds):
                await gate.acquire()
        except TimeoutError:
            problem = Problem("server", f"busy: expected a free place within {self.seconds:g} s")
            busy = respond(503, [problem])
            busy.headers["Retry-After"] = "5"
            busy.headers["Connection"] = "close"
            await busy(scope, receive, send)
            return
        try:
            await self._through(rest, scope, receive, send)
        finally:
            gate.release()
