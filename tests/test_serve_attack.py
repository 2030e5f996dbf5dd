"""``kla serve`` under attack, as a real process over real sockets: slow and idle clients are
timed out, a foreign ``Host`` or site is refused, only the documented body types are read,
memory stays bounded under many clients sending their largest bodies, and every answer
carries the security headers (issue 23)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from kla_model.serve.config import ServiceConfig
from serve_client import EXAMPLE_JSON
from serve_client import problems as plain_problems
from serve_started import (
    Started,
    connect,
    free_port,
    seconds_until_closed,
    started_server,
    wait_until_healthy,
)

#: The limits the server under attack is started with: short, so that the tests are.
HEADER_SECONDS, BODY_SECONDS, IDLE_SECONDS = 2, 3, 2
#: Slack for a loaded machine: a limit holds if the connection closes this soon after it.
SLACK = 2.5
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Started]:
    log = tmp_path_factory.mktemp("attack") / "serve.log"
    options = [
        "--ruleset",
        "perpres-25-2021",
        "--header-timeout",
        str(HEADER_SECONDS),
        "--body-timeout",
        str(BODY_SECONDS),
        "--idle-timeout",
        str(IDLE_SECONDS),
        "--max-connections",
        "60",
    ]
    with started_server(log, *options) as started:
        yield started
    text = log.read_text()
    assert "Traceback" not in text
    assert "unexpected error" not in text


def _request_head(server: Started, method: str, path: str, **headers: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _status_and_body(sock: socket.socket) -> tuple[int, bytes]:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


# -- slow and idle clients (point 5) ------------------------------------------------------------


def test_unfinished_headers_are_closed_within_the_header_timeout(server: Started) -> None:
    with connect(server.port) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        waited = seconds_until_closed(sock)
    assert HEADER_SECONDS - 0.5 <= waited <= HEADER_SECONDS + SLACK


def test_headers_trickled_a_byte_at_a_time_are_closed_within_the_header_timeout(
    server: Started,
) -> None:
    head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 1000
    start = time.monotonic()
    with connect(server.port) as sock:
        try:
            for byte in head:
                sock.sendall(bytes([byte]))
                time.sleep(0.1)
            pytest.fail("the server read headers trickled for longer than the header timeout")
        except (BrokenPipeError, ConnectionResetError):
            pass
    assert time.monotonic() - start <= HEADER_SECONDS + SLACK


@pytest.mark.parametrize("pause", [None, 0.25], ids=["never-sent", "a-byte-at-a-time"])
def test_a_body_that_does_not_arrive_is_answered_408_within_the_body_timeout(
    server: Started, pause: float | None
) -> None:
    head = _request_head(
        server, "POST", "/score", Content_Type="application/json", Content_Length="1000"
    )
    start = time.monotonic()
    with connect(server.port) as sock:
        sock.sendall(head)
        if pause is not None:
            sock.settimeout(pause)
            try:
                for _ in range(1000):
                    sock.sendall(b" ")
                    if sock.recv(65536, socket.MSG_PEEK):
                        break
            except (TimeoutError, BlockingIOError):
                pass
            sock.settimeout(30)
            while not sock.recv(1, socket.MSG_PEEK):
                pass
        status, body = _status_and_body(sock)
    assert status == 408
    problem = json.loads(body)["problems"][0]
    assert (problem["location"], problem["message"]) == (
        "body",
        f"the body did not arrive within {BODY_SECONDS} seconds",
    )
    assert time.monotonic() - start <= BODY_SECONDS + SLACK


def test_an_idle_connection_is_closed_within_the_idle_timeout(server: Started) -> None:
    with connect(server.port) as sock:
        sock.sendall(_request_head(server, "GET", "/health"))
        assert b"200 OK" in sock.recv(65536)
        waited = seconds_until_closed(sock)
    assert waited <= IDLE_SECONDS + SLACK


def test_health_answers_with_many_slow_connections_open_and_they_are_closed(
    server: Started,
) -> None:
    slow = [connect(server.port) for _ in range(40)]
    try:
        for sock in slow:
            sock.sendall(b"POST /score HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        start = time.monotonic()
        response = httpx.get(f"{server.base}/health", timeout=5)
        assert response.status_code == 200
        assert time.monotonic() - start < 2
        waited = max(seconds_until_closed(sock) for sock in slow)
        assert waited <= HEADER_SECONDS + SLACK
    finally:
        for sock in slow:
            sock.close()


def test_a_client_leaving_mid_upload_is_no_incident(server: Started) -> None:
    before = server.log.read_text()
    head = _request_head(
        server, "POST", "/score", Content_Type="application/json", Content_Length="100000"
    )
    for _ in range(20):
        with connect(server.port) as sock:
            sock.sendall(head + b'{"region": ')
        time.sleep(0.02)
    time.sleep(0.5)
    assert httpx.get(f"{server.base}/health", timeout=5).status_code == 200
    logged = server.log.read_text()[len(before) :]
    assert "Traceback" not in logged
    assert "unexpected error" not in logged
    assert len(logged.splitlines()) <= 2  # the /health line, and nothing per upload


# -- Host, site and body type (points 7 and 8) -------------------------------------------------


def test_a_foreign_host_is_refused_with_421(server: Started) -> None:
    response = httpx.get(
        f"{server.base}/rulesets/perpres-25-2021", headers={"Host": "evil.example"}, timeout=5
    )
    assert response.status_code == 421
    [problem] = plain_problems(response)
    assert problem["location"] == "header.host"
    assert problem["message"] == (
        f"expected a Host this service answers (localhost:{server.port}, "
        f"127.0.0.1:{server.port}, [::1]:{server.port}: see --allowed-host); found 'evil.example'"
    )
    wrong_port = httpx.get(f"{server.base}/health", headers={"Host": "127.0.0.1:1"}, timeout=5)
    assert wrong_port.status_code == 421
    for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}"):
        assert httpx.get(f"{server.base}/health", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    ("headers", "location", "found"),
    [
        ({"Origin": "http://evil.example"}, "header.origin", "found Origin 'http://evil.example'"),
        ({"Origin": "null"}, "header.origin", "found Origin 'null'"),
        ({"Sec-Fetch-Site": "cross-site"}, "header.sec-fetch-site", "from a 'cross-site' page"),
        ({"Sec-Fetch-Site": "same-site"}, "header.sec-fetch-site", "from a 'same-site' page"),
    ],
)
def test_a_post_from_another_site_is_refused_with_403(
    server: Started, headers: dict[str, str], location: str, found: str
) -> None:
    body = EXAMPLE_JSON.read_bytes()
    response = httpx.post(
        f"{server.base}/score", content=body, headers={**JSON, **headers}, timeout=10
    )
    assert response.status_code == 403
    [problem] = plain_problems(response)
    assert problem["location"] == location
    assert problem["message"].startswith("expected a request from this service's own page; ")
    assert found in problem["message"]
    assert "--allowed-origin" in problem["message"]


def test_a_post_from_the_page_itself_is_scored(server: Started) -> None:
    own = {"Origin": server.base, "Sec-Fetch-Site": "same-origin", **JSON}
    body = EXAMPLE_JSON.read_bytes()
    response = httpx.post(f"{server.base}/score", content=body, headers=own, timeout=10)
    assert response.status_code == 200
    assert response.json()["total"] == 710.75


@pytest.mark.parametrize(
    ("content_type", "found"),
    [
        ("text/plain", "text/plain"),
        ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),
        ("multipart/form-data; boundary=x", "multipart/form-data"),
        (None, "no Content-Type"),
    ],
)
def test_only_json_bodies_are_read(server: Started, content_type: str | None, found: str) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    body = EXAMPLE_JSON.read_bytes()
    for path in ("/score", "/validate", "/plan", "/tasks", "/explain", "/stages", "/evidence"):
        response = httpx.post(f"{server.base}{path}", content=body, headers=headers, timeout=10)
        assert response.status_code == 415, path
        assert plain_problems(response) == [
            {
                "location": "header.content-type",
                "message": f"expected application/json; found {found}",
            }
        ]


def test_the_page_posts_files_as_yaml_or_json_only(server: Started) -> None:
    yaml_text = Path(EXAMPLE_JSON.with_suffix(".yaml")).read_bytes()
    url = f"{server.base}/page/submission?name=x.yaml"
    as_yaml = httpx.post(url, content=yaml_text, headers={"Content-Type": "application/yaml"})
    assert as_yaml.status_code == 200
    assert as_yaml.json()["region"]["name"] == "Kota Tangerang"
    as_text = httpx.post(url, content=yaml_text, headers={"Content-Type": "text/plain"})
    assert as_text.status_code == 415
    assert plain_problems(as_text)[0]["message"] == (
        "expected application/json or application/yaml or application/x-yaml or text/yaml; "
        "found text/plain"
    )


# -- headers (point 11) -------------------------------------------------------------------------


def test_the_page_has_the_same_security_headers_by_either_address(server: Started) -> None:
    names = ("content-security-policy", "x-content-type-options", "referrer-policy")
    root = httpx.get(f"{server.base}/", timeout=5)
    static = httpx.get(f"{server.base}/static/index.html", timeout=5)
    assert root.status_code == static.status_code == 200
    assert [root.headers[name] for name in names] == [static.headers[name] for name in names]
    csp = static.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


def test_json_answers_are_nosniff_and_not_stored(server: Started) -> None:
    body = EXAMPLE_JSON.read_bytes()
    answers = [
        httpx.post(f"{server.base}/score", content=body, headers=JSON, timeout=10),
        httpx.post(f"{server.base}/score", content=b"{", headers=JSON, timeout=10),
        httpx.get(f"{server.base}/health", timeout=5),
        httpx.get(f"{server.base}/nowhere", timeout=5),
    ]
    assert [answer.status_code for answer in answers] == [200, 400, 200, 404]
    for answer in answers:
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["cache-control"] == "no-store"


# -- memory (point 6) ---------------------------------------------------------------------------


def _post(server: Started, path: str, body: bytes, content_type: str) -> int:
    try:
        response = httpx.post(
            f"{server.base}{path}", content=body, headers={"Content-Type": content_type}, timeout=60
        )
    except httpx.TransportError:
        return 0  # refused while sending (503 and closed): no answer to read
    return response.status_code


def test_memory_stays_bounded_under_64_clients_sending_the_largest_bodies(
    server: Started,
) -> None:
    """Half send the largest JSON body (2 MB of small values: the most Python objects per
    byte), half the largest batch (16 MB: one CSV row of millions of cells)."""
    json_body = b"[" + b"0," * 999_990 + b"0]"
    csv_body = b"region_code,year\n" + b"," * 15_999_000
    assert len(json_body) <= 2_000_000 and len(csv_body) <= 16_000_000
    before = server.rss_kib()
    jobs = [("/score", json_body, "application/json")] * 32
    jobs += [("/batch", csv_body, "text/csv")] * 32
    with ThreadPoolExecutor(max_workers=64) as pool:
        statuses = list(pool.map(lambda job: _post(server, *job), jobs))
    grown_mib = (server.peak_rss_kib() - before) / 1024
    assert set(statuses) <= {408, 422, 503, 0}, statuses
    assert statuses.count(422) >= 1  # some were read and refused, not only turned away
    print(f"peak RSS grew by {grown_mib:.0f} MiB; answers {sorted(statuses)}")
    assert grown_mib < 300, f"the server grew by {grown_mib:.0f} MiB"
    assert httpx.get(f"{server.base}/health", timeout=5).status_code == 200


def test_headers_larger_than_64_kib_close_the_connection(server: Started) -> None:
    with connect(server.port) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 70_000)
        assert seconds_until_closed(sock) < 1  # at once, not at the header timeout


def _answer(sock: socket.socket) -> bytes:
    """One whole answer read from ``sock`` (its headers, and its body by Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def _two_requests_on_one_connection(port: int) -> list[bytes]:
    head = f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    answers = []
    with connect(port) as sock:
        for _ in range(2):
            sock.sendall(head)
            answers.append(_answer(sock))
    return answers


def test_the_h11_protocol_keeps_the_same_deadline(tmp_path: Path) -> None:
    """Where httptools is not installed, uvicorn speaks h11; the header deadline holds there
    too, and kept-alive connections still serve request after request."""
    port = free_port()
    config = ServiceConfig(rulesets=("desa-kelurahan",), header_timeout=HEADER_SECONDS)
    code = (
        "import uvicorn; uvicorn.run('kla_model.serve.app:app_from_env', factory=True, "
        f"port={port}, http='kla_model.serve.protocol:HeaderDeadlineH11', log_level='warning')"
    )
    log = tmp_path / "h11.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", code],
            env={**os.environ, **config.to_environment()},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process, log)
        answers = _two_requests_on_one_connection(port)
        assert all(answer.startswith(b"HTTP/1.1 200") for answer in answers)
        with connect(port) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            waited = seconds_until_closed(sock)
        assert HEADER_SECONDS - 0.5 <= waited <= HEADER_SECONDS + SLACK
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert "Traceback" not in log.read_text()


def test_the_compiled_protocol_serves_request_after_request(server: Started) -> None:
    answers = _two_requests_on_one_connection(server.port)
    assert all(answer.startswith(b"HTTP/1.1 200") for answer in answers)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "expected at most 25,000 lists and mappings"),
        (b'{"year": NaN}', "expected a finite number; found nan"),
        (b'{"year": Infinity}', "expected a finite number; found inf"),
    ],
    ids=["deep", "nan", "infinity"],
)
def test_deep_json_and_non_numbers_are_refused_with_4xx(
    server: Started, body: bytes, message: str
) -> None:
    response = httpx.post(f"{server.base}/score", content=body, headers=JSON, timeout=10)
    assert 400 <= response.status_code < 500
    assert message in plain_problems(response)[0]["message"]
