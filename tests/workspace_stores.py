"""The two stores the workspace tests run on: a SQLite file always, PostgreSQL when
``KLA_TEST_POSTGRES`` names a server (a URL); under CI (``CI=true``) PostgreSQL is required,
and its absence fails the tests instead of skipping them.  ``.ci/run`` starts a throwaway
cluster with ``.ci/postgres`` and sets the variable.

Each PostgreSQL test gets a database of its own, dropped afterwards, so that the store's
counts (workspaces in the store) start from nothing, as a new SQLite file does.
"""

from __future__ import annotations

import copy
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
STORES = ("sqlite", "postgresql")


def postgres_url() -> str:
    """The server's URL; fails under CI and skips locally without ``KLA_TEST_POSTGRES``."""
    url = os.environ.get("KLA_TEST_POSTGRES")
    if url:
        return url
    reason = "KLA_TEST_POSTGRES is not set (.ci/postgres start DIR prints a URL for it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the PostgreSQL store's tests must run under CI: {reason}")
    pytest.skip(reason)


def _admin(url: str, statement: str) -> None:
    import psycopg  # noqa: PLC0415 (the [postgres] extra)

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture(params=STORES)
def store_where(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a new, empty store is: a SQLite path, or a ``postgresql://`` URL of a new
    database."""
    if request.param == "sqlite":
        yield str(tmp_path / "workspaces.sqlite3")
        return
    server = postgres_url()
    name = "kla_test_" + secrets.token_hex(6)
    _admin(server, f"CREATE DATABASE {name}")
    parts = urlsplit(server)
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        _admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def example_submission() -> dict[str, Any]:
    """The example submission as a workspace starts from: without its verification records
    (a workspace prepares a self-assessment), its evidence all from the self-assessment."""
    text = (ROOT / "examples" / "kota-tangerang-2025.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    data.pop("verification")
    for piece in data["evidence"]:
        piece.pop("submitted", None)
    return data


def example_assignment() -> dict[str, Any]:
    path = ROOT / "examples" / "kota-tangerang-2025-agencies.yaml"
    return dict(yaml.safe_load(path.read_text("utf-8")))


def empty_submission() -> dict[str, Any]:
    data = example_submission()
    return {"region": copy.deepcopy(data["region"]), "year": data["year"], "answers": {}}
