"""The service's guards in-process: the Host allow-list, other sites, body types, the body
gate, a batch's row and line limits and the headers every answer carries (issue 23)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kla_model.serve import ServiceConfig, create_app
from kla_model.serve.batch import MAX_CELLS, MAX_LINE
from kla_model.serve.guard import host_allowed
from kla_model.serve.limits import BodyGate
from serve_client import EXAMPLE_JSON, call, example_data
from serve_client import problems as plain_problems

NAMES = st.from_regex(r"[a-z][a-z0-9.-]{0,20}", fullmatch=True)
PORTS = st.integers(min_value=1, max_value=65535).map(str)


@given(NAMES, PORTS, PORTS)
def test_a_host_is_allowed_by_its_name_and_only_on_the_port_named(
    name: str, port: str, other: str
) -> None:
    assert host_allowed(name, [name])
    assert host_allowed(f"{name}:{port}", [name])
    assert host_allowed(f"{name.upper()}:{port}", [f"{name}:{port}"])
    assert host_allowed(f"{name}:{other}", [f"{name}:{port}"]) == (port == other)
    assert not host_allowed(f"x{name}:{port}", [name, f"{name}:{port}"])
    assert host_allowed(f"anything.example:{port}", ["*"])


def test_ipv6_hosts_are_told_apart_from_their_port() -> None:
    assert host_allowed("[::1]:8000", ["[::1]"])
    assert host_allowed("[::1]", ["[::1]:8000"]) is False
    assert host_allowed("[::1]:8000", ["[::1]:8000"])
    assert not host_allowed("[::2]:8000", ["[::1]"])


@pytest.fixture(scope="module")
def service() -> Starlette:
    return create_app(["perpres-25-2021"])


def test_an_in_process_app_answers_only_local_names_by_default(service: Starlette) -> None:
    refused = call(service, "GET", "/health", headers={"Host": "kla.example.go.id"})
    assert refused.status_code == 421
    assert plain_problems(refused)[0]["message"].endswith("found 'kla.example.go.id'")
    assert call(service, "GET", "/health").status_code == 200


def test_configured_hosts_and_origins_are_answered() -> None:
    config = ServiceConfig(
        rulesets=("perpres-25-2021",),
        allowed_hosts=("kla.example.go.id",),
        allowed_origins=("https://portal.example.go.id",),
    )
    app = create_app(config=config)
    host = {"Host": "kla.example.go.id"}
    assert call(app, "GET", "/health", headers=host).status_code == 200
    assert call(app, "GET", "/health").status_code == 421  # localhost is no longer listed
    body = EXAMPLE_JSON.read_bytes()
    portal = {**host, "Origin": "https://portal.example.go.id", "Sec-Fetch-Site": "cross-site"}
    json_type = {"Content-Type": "application/json"}
    scored = call(app, "POST", "/score", content=body, headers={**portal, **json_type})
    assert scored.status_code == 200
    other = {**portal, "Origin": "https://other.example"}
    refused = call(app, "POST", "/score", content=body, headers={**other, **json_type})
    assert refused.status_code == 403


def test_a_read_from_another_site_is_answered(service: Starlette) -> None:
    """A link to the page from elsewhere must work; the browser keeps the answer from the
    other site's script anyway (no CORS headers)."""
    headers = {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}
    response = call(service, "GET", "/", headers=headers)
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_refusals_carry_the_security_headers(service: Starlette) -> None:
    refused = call(service, "GET", "/health", headers={"Host": "evil.example"})
    assert refused.headers["x-content-type-options"] == "nosniff"
    assert refused.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in refused.headers["content-security-policy"]


def test_a_batch_row_of_too_many_cells_is_refused_before_it_is_split(service: Starlette) -> None:
    body = b"region_code,year\n" + b"," * (MAX_CELLS + 5) + b"\n"
    response = call(service, "POST", "/batch", content=body, headers={"Content-Type": "text/csv"})
    assert response.status_code == 422
    assert plain_problems(response) == [
        {"location": "body: row 2", "message": "expected at most 2,000 cells in a row; found more"}
    ]


def test_cells_are_counted_per_row_even_across_lines(service: Starlette) -> None:
    row = '"' + "\n".join([","] * (MAX_CELLS + 5)) + '"'  # commas inside one quoted cell
    body = ("region_code,year\n" + ",".join([row] * 2) + "\n").encode()
    response = call(service, "POST", "/batch", content=body, headers={"Content-Type": "text/csv"})
    assert response.status_code == 422  # the count is an upper bound: quoted commas count
    assert "expected at most 2,000 cells in a row" in plain_problems(response)[0]["message"]


def test_a_json_lines_line_past_the_limit_is_its_own_problem(service: Starlette) -> None:
    good = json.dumps(example_data())
    long_line = '{"note": "' + "x" * MAX_LINE + '"}'
    body = "\n".join([good, long_line, good]).encode()
    response = call(
        service, "POST", "/batch", content=body, headers={"Content-Type": "application/x-ndjson"}
    )
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line["row"] for line in lines] == [1, 2, 3]
    [problem] = lines[1]["problems"]
    assert (problem["location"], problem["message"]) == (
        "body: line 2",
        f"expected a line of at most 2,000,000 characters; found {len(long_line) + 1:,}",
    )
    assert "result" in lines[0] and "result" in lines[2]


def test_the_body_gate_lets_a_set_number_through_and_turns_the_rest_away() -> None:
    """Two places, three clients: two are worked on at once, the third waits its time out
    and gets 503 (before a byte of its body is read)."""
    release = asyncio.Event()
    running = 0
    most = 0

    async def slow(request: Request) -> JSONResponse:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await release.wait()
        running -= 1
        return JSONResponse({"ok": True})

    inner = Starlette(routes=[Route("/score", slow, methods=["POST"])])
    gated = BodyGate(inner, bodies=2, batches=1, seconds=0.5)

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=gated)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            tasks = [asyncio.create_task(client.post("/score", content=b"{}")) for _ in range(3)]
            await asyncio.sleep(1.0)
            release.set()
            return list(await asyncio.gather(*tasks))

    answers = asyncio.run(run())
    assert sorted(answer.status_code for answer in answers) == [200, 200, 503]
    assert most == 2
    [busy] = [answer for answer in answers if answer.status_code == 503]
    assert busy.headers["retry-after"] == "5"
    assert plain_problems(busy) == [
        {"location": "server", "message": "busy: expected a free place within 0.5 s"}
    ]


def test_the_openapi_document_names_the_new_refusals(service: Starlette) -> None:
    document: Any = call(service, "GET", "/openapi.json").json()
    responses = document["paths"]["/score"]["post"]["responses"]
    assert {"403", "408", "415", "421", "503"} <= set(responses)
