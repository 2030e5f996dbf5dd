"""The service's limits, and reading a request body within them.

A request body is read as a stream and counted as it arrives: a client that sends more than
the limit is refused with 413 at the first byte past it, whatever its ``Content-Length``
says (a header can lie, and a chunked body has none).  A JSON body is then parsed with the
library's strict reader (duplicate keys refused) and refused if nested deeper than
:data:`MAX_DEPTH`: no submission or cost mapping is deeper than a handful of levels, and a
bound keeps schema validation's recursion small.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from kla_model._base.strict_yaml import MAX_BYTES, parse_json
from kla_model.errors import Problem, SubmissionError
from kla_model.serve.problems import ApiError

__all__ = ["MAX_BATCH_BYTES", "MAX_BYTES", "MAX_DEPTH", "check_depth", "parse_body", "read_body"]

#: The largest batch body: some 25,000 rows of the wide table (all 514 districts many times
#: over), or some 700 JSON submissions the size of the example with its evidence.
MAX_BATCH_BYTES = 16_000_000
#: The deepest nesting of arrays and objects a JSON body may have.
MAX_DEPTH = 32


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or :class:`ApiError` 413 as soon as it grows past ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
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
    """A body read by :func:`read_body`, parsed as JSON within :data:`MAX_DEPTH`; else 400."""
    text = decode(body)
    if not text.strip():
        raise ApiError.one(400, "body", "expected a JSON document; the body is empty")
    try:
        data = parse_json(text, "body", SubmissionError)
    except SubmissionError as bad:
        raise ApiError(400, bad.problems) from None
    problem = check_depth(data, "body")
    if problem is not None:
        raise ApiError(400, [problem])
    return data


def check_depth(data: Any, source: str, limit: int = MAX_DEPTH) -> Problem | None:
    """A problem if ``data`` nests arrays and objects deeper than ``limit``; else ``None``."""
    # A level at a time, the containers of the next level gathered by one comprehension:
    # this runs on every body, and a walk with a stack entry per value costs ten times more.
    level = [data] if isinstance(data, (dict, list)) else []
    depth = 1
    while level:
        if depth > limit:
            return Problem(source, f"expected at most {limit} levels of nesting; found more")
        level = [
            child
            for value in level
            for child in (value.values() if isinstance(value, dict) else value)
            if isinstance(child, (dict, list))
        ]
        depth += 1
    return None
