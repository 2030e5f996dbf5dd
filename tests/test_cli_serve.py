"""``kla serve``: its options, its refusal of a bad ruleset before starting, and the extra."""

from __future__ import annotations

import re
import sys
from typing import Any

import attrs
import pytest
import uvicorn

from kla_model.cli import main
from kla_model.serve.config import ENVIRONMENT, ServiceConfig


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run replaced by a recorder: what the command would start, without starting it."""
    calls: list[dict[str, Any]] = []

    def record(app: Any, **kwargs: Any) -> None:
        calls.append({"app": app, **kwargs})

    monkeypatch.setattr(uvicorn, "run", record)
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    return calls


def test_serve_starts_the_factory_with_the_options(
    started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = ["serve", "--port", "8123", "--ruleset", "perpres-25-2021", "--workers", "3"]
    assert main(argv) == 0
    [call] = started
    assert call["app"] == "kla_model.serve.app:app_from_env"
    assert (call["factory"], call["host"], call["port"], call["workers"]) == (
        True,
        "127.0.0.1",
        8123,
        3,
    )
    # each worker reads the configuration from the environment; the Host names are the
    # machine's own on the port listened on
    assert ServiceConfig.from_environment() == ServiceConfig(
        rulesets=("perpres-25-2021",),
        allowed_hosts=("localhost:8123", "127.0.0.1:8123", "[::1]:8123"),
    )
    # uvicorn keeps the connection limits, and speaks the protocol with a header deadline
    assert (call["timeout_keep_alive"], call["limit_concurrency"]) == (5, 100)
    assert call["http"] == "kla_model.serve.protocol:HeaderDeadlineProtocol"


def test_serve_takes_its_limits_and_allowed_names_as_options(
    started: list[dict[str, Any]],
) -> None:
    argv = [
        "serve",
        "--host",
        "10.1.2.3",
        "--max-body",
        "1000",
        "--max-batch-body",
        "5000",
        "--header-timeout",
        "2.5",
        "--body-timeout",
        "7",
        "--idle-timeout",
        "3",
        "--max-connections",
        "40",
        "--max-bodies",
        "4",
        "--max-batches",
        "1",
        "--allowed-origin",
        "https://portal.example.go.id",
    ]
    assert main(argv) == 0
    [call] = started
    config = ServiceConfig.from_environment()
    assert config == ServiceConfig(
        max_body=1000,
        max_batch_body=5000,
        header_timeout=2.5,
        body_timeout=7,
        idle_timeout=3,
        max_connections=40,
        max_bodies=4,
        max_batches=1,
        allowed_hosts=("localhost:8000", "127.0.0.1:8000", "[::1]:8000", "10.1.2.3:8000"),
        allowed_origins=("https://portal.example.go.id",),
    )
    assert (call["host"], call["timeout_keep_alive"], call["limit_concurrency"]) == (
        "10.1.2.3",
        3,
        40,
    )


def test_allowed_hosts_given_replace_the_default(started: list[dict[str, Any]]) -> None:
    argv = ["serve", "--allowed-host", "kla.example.go.id", "--allowed-host", "*"]
    assert main(argv) == 0
    assert ServiceConfig.from_environment().allowed_hosts == ("kla.example.go.id", "*")


def test_the_help_states_the_configuration_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    defaults = attrs.asdict(ServiceConfig())
    stated = dict(re.findall(r"--([a-z-]+) N [^()\[\]]*\(default: ([0-9.]+)\)", text))
    assert stated.pop("workers") == "1"
    # The workspace's limits are Limits' (a test of the workspace options holds them equal).
    workspace = {"max-workspaces", "max-history", "changes-per-minute", "max-workspace-body"}
    assert workspace <= stated.keys()
    service = {option: value for option, value in stated.items() if option not in workspace}
    assert len(service) == 8
    for option, value in service.items():
        assert float(value) == defaults[option.replace("-", "_")]


def test_a_bad_ruleset_is_refused_before_anything_starts(
    started: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--ruleset", "perpres-1999"]) == 1
    assert started == []
    assert capsys.readouterr().err.startswith("kla: ")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--workers", "0", "expected a whole number of at least 1; found 0"),
        ("--port", "70000", "expected a port from 0 to 65535; found 70000"),
        ("--body-timeout", "0", "expected seconds from 0 to 3600; found 0"),
        ("--header-timeout", "soon", "expected seconds from 0 to 3600; found soon"),
        ("--max-connections", "0", "expected a whole number of at least 1; found 0"),
    ],
)
def test_bad_numbers_are_usage_errors(
    capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", option, value])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_without_the_extra_the_command_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "kla_model.serve.config", None)
    assert main(["serve"]) == 1
    err = capsys.readouterr().err
    assert "kla serve needs the [serve] extra" in err
    assert "pip install 'kla_model[serve]'" in err


def test_the_cli_does_not_import_the_service_until_serve_runs() -> None:
    import subprocess  # noqa: PLC0415

    code = "import sys, kla_model.cli; print('kla_model.serve' in sys.modules, 'starlette' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
