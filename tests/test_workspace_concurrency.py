"""Concurrent editing loses nothing, and a killed server leaves a consistent store.

Against a real ``kla serve --store`` process with two worker processes (so two processes
write the store at once), on SQLite and on PostgreSQL:

- many writer threads, each an agency's link, change measured items that two agencies share
  (lead and support) while the coordinator changes any of them: every change the server
  accepted is in the log with its value and author, nothing else is, no accepted change
  overwrote one its author had not seen (no lost update), and the log replayed equals the
  current values;
- the server is killed with SIGKILL while writers are writing, then started again on the
  same store: the store's log and current values agree, every acknowledged change is there,
  and the workspace takes changes again.

Each test prints its figures (writers, changes, conflicts, seconds); ``docs/workspace.md``
quotes a run's.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from kla_model.workspace import open_store
from kla_model.workspace.desk import utc_now
from serve_started import free_port, wait_until_healthy
from workspace_stores import empty_submission, store_where

__all__ = ["store_where"]

RULESET = "perpres-25-2021"
#: The measured items (any value from 0 to 100 is valid): what the writers change.
ITEMS = (
    "I.1.1", "II.3.1", "III.1.1", "III.3.1", "III.4.1", "III.5.1", "IV.1.1",
    "IV.2.1", "IV.3.1", "V.1.1", "V.2.1", "V.3.1", "V.4.1",
)  # fmt: skip
AGENCIES = 8
CHANGES_EACH = 20


def assignment() -> dict[str, Any]:
    """Agencies w0..w7; each item led by one and supported by the next, so two agencies (and
    the coordinator) contend for every item."""
    return {
        "status": "illustrative",
        "coordinator": "w0",
        "agencies": [
            {"id": f"w{n}", "name": f"Agency {n}", "short": f"W{n}"} for n in range(AGENCIES)
        ],
        "owners": [
            {"id": item, "lead": f"w{i % AGENCIES}", "support": [f"w{(i + 1) % AGENCIES}"]}
            for i, item in enumerate(ITEMS)
        ],
    }


def _kind(where: str) -> str:
    return "postgresql" if where.startswith("postgresql://") else "sqlite"


@contextmanager
def server(where: str, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``kla serve --store where`` with two workers; its URL and process (its own group)."""
    port = free_port()
    command = [
        sys.executable, "-m", "kla_model", "serve", "--store", where, "--port", str(port),
        "--ruleset", RULESET, "--workers", "2", "--changes-per-minute", "1000000",
    ]  # fmt: skip
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log)
        yield url, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def create(url: str) -> tuple[str, str, list[str]]:
    """A workspace for an empty submission: its id, the coordinator's token, one per agency."""
    body = {"submission": empty_submission(), "assignment": assignment()}
    created = httpx.post(f"{url}/workspaces", json=body, timeout=30)
    assert created.status_code == 201, created.text
    ident, token = created.json()["workspace"]["id"], created.json()["link"]["token"]
    headers = {"Authorization": f"Bearer {token}"}
    tokens = []
    for n in range(AGENCIES):
        issued = httpx.post(
            f"{url}/workspaces/{ident}/links", json={"agency": f"w{n}"}, headers=headers, timeout=30
        )
        assert issued.status_code == 201, issued.text
        tokens.append(issued.json()["token"])
    return ident, token, tokens


class Writer(threading.Thread):
    """One link changing its items: reads the version, changes an item on it, records what
    the server answered."""

    def __init__(
        self, url: str, ident: str, token: str, number: int, *, items: list[str], count: int | None
    ) -> None:
        super().__init__(daemon=True)
        self.base_url, self.workspace_id, self.number, self.items, self.count = (
            url,
            ident,
            number,
            items,
            count,
        )
        self.headers = {"Authorization": f"Bearer {token}"}
        self.accepted: list[dict[str, Any]] = []  # {seq, id, value, base}
        self.conflicts = 0
        self.unexpected: list[str] = []
        self.stopped_by: str | None = None

    def run(self) -> None:
        rng = random.Random(self.number)
        n = 0
        with httpx.Client(
            base_url=self.base_url,
            headers=self.headers,
            timeout=60,
        ) as client:
            while n < (self.count or 1000):
                item = rng.choice(self.items)
                unique = (self.number * 1000 + n) / 100  # 0 to 89.99, none twice
                value = {"value": unique, "data_year": 2024}
                n += 1
                try:
                    here = f"/workspaces/{self.workspace_id}"
                    base = client.get(here).json()["version"]
                    body = {"base": base, "changes": [{"kind": "item", "id": item, "value": value}]}
                    answer = client.post(f"{here}/changes", json=body)
                except httpx.TransportError as gone:
                    self.stopped_by = type(gone).__name__
                    return
                if answer.status_code == 200 and len(answer.json()["changes"]) == 1:
                    (change,) = answer.json()["changes"]
                    self.accepted.append(
                        {"seq": change["seq"], "id": item, "value": value, "base": base}
                    )
                elif answer.status_code == 409:
                    self.conflicts += 1
                else:
                    self.unexpected.append(f"{answer.status_code} {answer.text[:300]}")


def _history(url: str, ident: str, token: str) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"}
    answer = httpx.get(f"{url}/workspaces/{ident}/history?limit=5000", headers=headers, timeout=60)
    assert answer.status_code == 200, answer.text
    changes: list[dict[str, Any]] = answer.json()["changes"]
    return changes


def _writers(
    url: str, ident: str, coordinator: str, tokens: list[str], count: int | None
) -> list[Writer]:
    owned = {
        n: [it for i, it in enumerate(ITEMS) if n in (i % AGENCIES, (i + 1) % AGENCIES)]
        for n in range(AGENCIES)
    }
    writers = [
        Writer(url, ident, tokens[n], n, items=owned[n], count=count) for n in range(AGENCIES)
    ]
    writers.append(Writer(url, ident, coordinator, AGENCIES, items=list(ITEMS), count=count))
    return writers


def _check_log(log: list[dict[str, Any]], writers: list[Writer], links: dict[int, str]) -> None:
    """Every accepted change is in the log as accepted; no accepted change overwrote a change
    of another link made after its base."""
    by_seq = {change["seq"]: change for change in log}
    assert sorted(by_seq) == list(range(1, len(log) + 1))
    for writer in writers:
        for accepted in writer.accepted:
            entry = by_seq[accepted["seq"]]
            assert (entry["kind"], entry["id"], entry["after"]) == (
                "item",
                accepted["id"],
                accepted["value"],
            )
            assert entry["by"]["link"] == links[writer.number]
            earlier = [
                c
                for c in log
                if c["id"] == accepted["id"] and accepted["base"] < c["seq"] < accepted["seq"]
            ]
            assert all(c["by"]["link"] == entry["by"]["link"] for c in earlier), (accepted, earlier)


def _links(url: str, ident: str, coordinator: str) -> dict[int, str]:
    headers = {"Authorization": f"Bearer {coordinator}"}
    listed = httpx.get(f"{url}/workspaces/{ident}/links", headers=headers, timeout=30).json()[
        "links"
    ]
    found = {int(link["agency"][1:]): link["id"] for link in listed if link["role"] == "agency"}
    found[AGENCIES] = next(link["id"] for link in listed if link["role"] == "coordinator")
    return found


def test_concurrent_writers_lose_nothing(store_where: str, tmp_path: Path) -> None:
    with server(store_where, tmp_path / "serve.log") as (url, _):
        ident, coordinator, tokens = create(url)
        links = _links(url, ident, coordinator)
        start_version = len(_history(url, ident, coordinator))
        writers = _writers(url, ident, coordinator, tokens, CHANGES_EACH)
        started = time.perf_counter()
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(timeout=600)
        seconds = time.perf_counter() - started
        assert [w.unexpected for w in writers] == [[] for _ in writers]
        assert all(w.stopped_by is None for w in writers)
        log = _history(url, ident, coordinator)
        accepted = sum(len(w.accepted) for w in writers)
        conflicts = sum(w.conflicts for w in writers)
        assert accepted + conflicts == len(writers) * CHANGES_EACH
        assert len(log) == start_version + accepted  # nothing landed that was not acknowledged
        _check_log(log, writers, links)
        final = httpx.get(
            f"{url}/workspaces/{ident}/submission",
            headers={"Authorization": f"Bearer {coordinator}"},
        ).json()
    assert open_store(store_where, utc_now()).disagreements(ident) == []
    last = {c["id"]: c["after"] for c in log if c["kind"] == "item"}
    exported = {item: final["answers"][item.rsplit(".", 1)[0]] for item in last}
    assert exported == last
    print(
        f"\n[{_kind(store_where)}] writers={len(writers)} "
        f"attempts={len(writers) * CHANGES_EACH} accepted={accepted} conflicts={conflicts} seconds={seconds:.1f}"
    )


def test_a_server_killed_mid_write_leaves_the_log_and_current_state_agreeing(
    store_where: str, tmp_path: Path
) -> None:
    log_file = tmp_path / "serve.log"
    with server(store_where, log_file) as (url, process):
        ident, coordinator, tokens = create(url)
        links = _links(url, ident, coordinator)
        writers = _writers(url, ident, coordinator, tokens, None)
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + 60
        while sum(len(w.accepted) for w in writers) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)  # mid-write: the writers are still sending
        process.wait(timeout=30)
        for writer in writers:
            writer.join(timeout=120)
    assert all(w.stopped_by is not None for w in writers)
    acknowledged = sum(len(w.accepted) for w in writers)
    assert acknowledged >= 40
    store = open_store(store_where, utc_now())
    assert store.disagreements(ident) == []
    with server(store_where, log_file) as (url, _):
        log = _history(url, ident, coordinator)
        _check_log(log, writers, links)
        headers = {"Authorization": f"Bearer {coordinator}"}
        body = {
            "base": len(log),
            "changes": [
                {"kind": "item", "id": "I.1.1", "value": {"value": 1.5, "data_year": 2024}}
            ],
        }
        again = httpx.post(
            f"{url}/workspaces/{ident}/changes", json=body, headers=headers, timeout=30
        )
        assert again.status_code == 200, again.text
        assert again.json()["version"] == len(log) + 1
    assert store.disagreements(ident) == []
    unacknowledged = len(log) - 1 - acknowledged  # change 1 is the assignment
    assert unacknowledged >= 0
    print(
        f"\n[{_kind(store_where)} kill] writers={len(writers)} acknowledged={acknowledged} in_log={len(log) - 1} "
        f"landed_unacknowledged={unacknowledged} conflicts={sum(w.conflicts for w in writers)}"
    )
