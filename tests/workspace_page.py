"""A real ``kla serve --store`` process and a workspace on it, for the page's workspace tests
and for the screenshots of docs/workspace.md (``python tests/workspace_screenshots.py``).

The server is started as a user starts it, on a free loopback port with a SQLite file, and
the workspace is made through its HTTP API (docs/workspace.md, "HTTP API"), as a coordinator
would: create it, then issue one link per agency.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

import kla_model as kla
from serve_started import started_server

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"
EXAMPLE_ASSIGNMENT = ROOT / "examples" / "kota-tangerang-2025-agencies.yaml"


class ServeError(RuntimeError):
    """``kla serve`` exited or did not answer; the message holds its log."""


@contextmanager
def store_server(folder: Path) -> Iterator[str]:
    """``kla serve --store folder/workspaces.sqlite3`` on a free loopback port; yields its URL.

    On leaving, the server is stopped and its log must hold no traceback.
    """
    log = folder / "serve.log"
    with started_server(log, "--store", str(folder / "workspaces.sqlite3")) as server:
        yield server.base
    if "Traceback" in log.read_text():
        raise ServeError(f"kla serve wrote a traceback:\n{log.read_text()}")


def example_submission() -> dict[str, Any]:
    """The example as docs/workspace.md's guide starts a workspace: without the verifiers'
    records (a workspace holds none)."""
    data = kla.load_submission(EXAMPLE).to_dict()
    data.pop("verification", None)
    return data


def example_assignment() -> dict[str, Any]:
    return kla.load_assignment(EXAMPLE_ASSIGNMENT).to_dict()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Workspace:
    """A workspace made through the API, with its coordinator's token."""

    def __init__(self, base: str, submission: dict[str, Any], assignment: dict[str, Any]) -> None:
        body = {"submission": submission, "assignment": assignment}
        created = httpx.post(f"{base}/workspaces", json=body, timeout=30)
        assert created.status_code == 201, created.text
        self.base = base
        self.id: str = created.json()["workspace"]["id"]
        self.coordinator: str = created.json()["link"]["token"]
        #: The public id of each link issued here, by its token.
        self.links: dict[str, str] = {}

    def issue(self, agency: str) -> str:
        """A new link's token for ``agency``."""
        issued = httpx.post(
            f"{self.base}/workspaces/{self.id}/links",
            json={"agency": agency},
            headers=bearer(self.coordinator),
            timeout=30,
        )
        assert issued.status_code == 201, issued.text
        token: str = issued.json()["token"]
        self.links[token] = issued.json()["id"]
        return token

    def revoke(self, token: str) -> None:
        revoked = httpx.delete(
            f"{self.base}/workspaces/{self.id}/links/{self.links[token]}",
            headers=bearer(self.coordinator),
            timeout=30,
        )
        assert revoked.status_code == 200, revoked.text

    def page(self, token: str) -> str:
        """The page's address for a link, as the API words it (token after '#')."""
        return f"/#workspace={self.id}&token={token}"

    def read(self) -> dict[str, Any]:
        answer = httpx.get(
            f"{self.base}/workspaces/{self.id}", headers=bearer(self.coordinator), timeout=30
        )
        assert answer.status_code == 200, answer.text
        data: dict[str, Any] = answer.json()
        return data

    def change(self, item: str, value: Any, token: str | None = None) -> dict[str, Any]:
        """Change one item through the API, on the current version."""
        body = {
            "base": self.read()["version"],
            "changes": [{"kind": "item", "id": item, "value": value}],
        }
        answer = httpx.post(
            f"{self.base}/workspaces/{self.id}/changes",
            json=body,
            headers=bearer(token or self.coordinator),
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        data: dict[str, Any] = answer.json()
        return data
