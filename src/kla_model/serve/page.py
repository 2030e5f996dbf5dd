"""The self-assessment page: ``GET /`` and its static files, and reading an uploaded file.

The page itself is plain HTML, CSS and JavaScript modules shipped in ``static/`` beside this
module (no CDN, no build step), so it works offline.  It talks to the service's own JSON
endpoints, like any other client.  The one thing a browser cannot do without a library is read
YAML, so ``POST /page/submission`` reads an uploaded submission file (YAML or JSON) with the
library's strict reader, exactly as ``kla score`` reads a file, and answers the submission as
JSON (``Submission.to_dict()``), or 422 with every problem; ``POST /page/assignment`` does the
same for a task force's assignment file (``kla tasks --assign``), for the per-agency view.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

import kla_model as kla
from kla_model._base.capped import SHOWN_CHARS
from kla_model._base.strict_yaml import parse_json, parse_yaml
from kla_model._base.unsafe_text import UNSAFE
from kla_model.errors import AssignmentError, ProblemsError, SubmissionError
from kla_model.serve.headers import SECURITY_HEADERS
from kla_model.serve.limits import MAX_BYTES, check_depth, decode, read_body
from kla_model.serve.problems import ApiError

__all__ = ["STATIC", "page_routes"]

#: The page's files: index.html, the JavaScript modules and the style sheet.
STATIC = Path(__file__).parent / "static"

#: The example the page loads with one click: shipped in the wheel beside this module (see
#: pyproject.toml), read from the checkout's ``examples/`` when running from a source tree.
EXAMPLE_NAME = "kota-tangerang-2025.yaml"
#: The illustrative assignment of the example's task force, shipped the same way.
EXAMPLE_ASSIGNMENT_NAME = "kota-tangerang-2025-agencies.yaml"


def example_path(name: str = EXAMPLE_NAME) -> Path:
    shipped = Path(__file__).parent / "example" / name
    return shipped if shipped.is_file() else Path(__file__).parents[3] / "examples" / name


#: The types of an uploaded file's body: JSON, or YAML under any of its usual names.
FILE_TYPES = ("application/json", "application/yaml", "application/x-yaml", "text/yaml")


async def index(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", headers=SECURITY_HEADERS)


async def example(request: Request) -> Response:
    """The bundled example submission as JSON, read as ``kla score`` reads it."""
    return JSONResponse(kla.load_submission(example_path()).to_dict())


async def example_assignment(request: Request) -> Response:
    """The example's illustrative assignment as JSON, read as ``kla tasks --assign`` reads it."""
    return JSONResponse(kla.load_assignment(example_path(EXAMPLE_ASSIGNMENT_NAME)).to_dict())


async def read_submission(request: Request) -> Response:
    """An uploaded submission file (YAML, or JSON, which is YAML too) as the submission's JSON.

    The strict reader refuses duplicate keys, anchors and tags as ``kla score`` does; the
    submission is then checked against its schema, so the page gets either a file it can
    edit or every problem with its place in the file.  Reading is CPU work: it runs in the
    thread pool, like the API's own parsing, so the event loop stays free.
    """
    body = await read_body(request, MAX_BYTES, FILE_TYPES)
    return JSONResponse(await run_in_threadpool(submission_data, body, file_name(request)))


async def read_assignment(request: Request) -> Response:
    """An uploaded assignment file as the assignment's JSON, read as :func:`read_submission`
    reads a submission (checked against its schema; ids are checked by ``POST /tasks``, which
    knows the ruleset)."""
    body = await read_body(request, MAX_BYTES, FILE_TYPES)
    return JSONResponse(await run_in_threadpool(assignment_data, body, file_name(request)))


def file_name(request: Request) -> str:
    """``?name=``, the file's name that every problem's location repeats: cut at 80
    characters, control characters shown as ``?`` (``upload`` if none)."""
    name = request.query_params.get("name") or "upload"
    return UNSAFE.sub("?", name[:SHOWN_CHARS])


def _file_data(body: bytes, name: str, what: str, error: type[ProblemsError]) -> Any:
    """The parsed data of an uploaded file; raises for an empty, broken or too deep one.

    As the ``kla`` commands read files: a ``.json`` name is read as JSON, anything else as YAML.
    """
    source = f"file {name}"
    text = decode(body)
    if not text.strip():
        raise ApiError.one(422, source, f"expected {what} file; the file is empty")
    parse = parse_json if name.lower().endswith(".json") else parse_yaml
    data = parse(text, source, error)
    problem = check_depth(data, source)
    if problem is not None:
        raise ApiError(422, [problem])
    return data


def submission_data(body: bytes, name: str) -> dict[str, Any]:
    """The submission in an uploaded file's ``body``, as plain data; raises for a bad file."""
    data = _file_data(body, name, "a submission", SubmissionError)
    return kla.Submission.from_mapping(data, source=f"file {name}").to_dict()


def assignment_data(body: bytes, name: str) -> dict[str, Any]:
    """The assignment in an uploaded file's ``body``, as plain data; raises for a bad file."""
    data = _file_data(body, name, "an assignment", AssignmentError)
    return kla.Assignment.from_mapping(data, source=f"file {name}").to_dict()


def page_routes() -> list[BaseRoute]:
    """The page's routes, mounted beside the API's by :func:`~kla_model.serve.create_app`."""
    return [
        Route("/", index),
        Route("/page/example", example),
        Route("/page/submission", read_submission, methods=["POST"]),
        Route("/page/example-assignment", example_assignment),
        Route("/page/assignment", read_assignment, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
