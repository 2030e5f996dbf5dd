"""``kla serve`` as a real process, two workers, talked to over HTTP on a free loopback port."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from conftest import EXAMPLE
from serve_client import EXAMPLE_JSON
from serve_started import started_server

#: The type of a JSON body, which the service requires.
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with started_server(log, "--workers", "2") as started:
        yield started.base
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
