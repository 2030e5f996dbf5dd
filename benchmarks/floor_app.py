"""The framework floor for ``kla serve``: a Starlette app that reads a POST body, parses it as
JSON and answers a small fixed JSON, run by uvicorn exactly as ``kla serve`` runs.

Whatever ``/score`` costs beyond this app (and beyond the library's own work on the body,
which ``benchmarks/serve_load.py --compare`` measures in-process) is the service's overhead.
``/read`` does what ``/score`` does before it scores: the body parsed by the service's strict
reader (duplicate keys, control characters, depth) and read as a submission (the schema
check, the answers, evidence and records), then the same small fixed answer.  Between the two
lies the part of a request that is the input's reading, which stays as it is whatever the
scoring costs::

    python benchmarks/floor_app.py --port 8001 --workers 2
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kla_model import Submission
from kla_model.serve.limits import parse_body

#: The fixed answer: a small body, like a total and a tier.
ANSWER = {"total": 763.25, "tier": "nindya"}


async def score(request: Request) -> Response:
    json.loads(await request.body())
    return JSONResponse(ANSWER)


async def read(request: Request) -> Response:
    Submission.from_mapping(parse_body(await request.body()), source="body")
    return JSONResponse(ANSWER)


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[
        Route("/score", score, methods=["POST"]),
        Route("/read", read, methods=["POST"]),
        Route("/health", health),
    ]
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    # The settings of kla_model.serve.run.serve: the same server, the same access log.
    uvicorn.run(
        "floor_app:app",
        app_dir=str(Path(__file__).resolve().parent),
        host="127.0.0.1",
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        server_header=False,
        log_level="info",
    )


if __name__ == "__main__":
    main()
