"""``kla serve`` as a real process, two workers, talked to over HTTP on a free loopback port."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from conftest import EXAMPLE
from serve_client import EXAMPLE_JSON

#: How long the server may take to start (two worker processes, each loading the rulesets).
START_SECONDS = 60
#: The type of a JSON body, which the service requires.
JSON = {"Content-Type": "application/json"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_healthy(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"kla serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"kla serve did not answer /health in {START_SECONDS} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    command = [sys.executable, "-m", "kla_model", "serve", "--port", str(port), "--workers", "2"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_healthy(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert "Traceback" not in log.read_text()


def test_a_started_server_scores_like_kla_score(server: str) -> None:
    cli = subprocess.run(
        [sys.executable, "-m", "kla_model", "score", "--format", "json", str(EXAMPLE)],
        capture_output=True,
        check=True,
    )
    expected = json.loads(cli.stdout)
    response = httpx.post(
        f"{server}/score", content=EXAMPLE_JSON.read_bytes(), headers=JSON, timeout=10
    )
    assert response.status_code == 200
    assert response.json()["total"] == expected["total"] == 710.75
    assert response.json() == expected


def test_a_started_server_answers_concurrent_requests_alike(server: str) -> None:
    body = EXAMPLE_JSON.read_bytes()

    def total(_: int) -> float:
        answer = httpx.post(
            f"{server}/score?stage=self_assessment", content=body, headers=JSON, timeout=20
        )
        value: float = answer.json()["total"]
        return value

    with ThreadPoolExecutor(max_workers=8) as pool:
        totals = list(pool.map(total, range(32)))
    assert totals == [763.25] * 32


def test_a_started_server_refuses_bad_input_without_a_traceback(server: str) -> None:
    response = httpx.post(f"{server}/score", content=b"{", headers=JSON, timeout=10)
    assert response.status_code == 400
    assert response.json()["problems"][0]["message"].startswith("invalid JSON")
    assert "server" not in response.headers  # the server header is not sent
