"""``kla serve``: its options, its refusal of a bad ruleset before starting, and the extra."""

from __future__ import annotations

import sys
from typing import Any

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
    # each worker reads the configuration from the environment
    assert ServiceConfig.from_environment() == ServiceConfig(rulesets=("perpres-25-2021",))


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
