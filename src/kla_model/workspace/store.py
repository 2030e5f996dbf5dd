"""The store: workspaces, links and histories in four tables, read and written in
transactions with parameterised SQL only (no value of a request is ever part of SQL text;
the table names are constants here).

A change is appended to ``kla_changes`` and copied to ``kla_current`` in one transaction
that first takes the workspace's write lock (:mod:`.backends`), and the workspace's
``version`` is the ``seq`` of its last change: either all of a request's changes are in
the log and the current values, or none.  :meth:`Store.disagreements` replays a log and
compares it with the current values, which is how the tests show a killed server left a
consistent store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from kla_model.workspace.backends import Backend, Tx, backend_for
from kla_model.workspace.migrate import migrations
from kla_model.workspace.model import Author, Change, Edit, Link, Meta, State, Target, replay
from kla_model.workspace.refusals import (
    ConflictError,
    NotFoundError,
    StoreFullError,
    WorkspaceError,
)

__all__ = ["OthersSince", "Planned", "Snapshot", "Store", "open_store"]

#: An edit to write, and the version it restores (``None`` for an ordinary change).
Planned = tuple[Edit, "int | None"]
#: ``others(target, after, link)``: the latest change to ``target`` after version ``after``
#: made by a link other than ``link``, or ``None`` (read in the writing transaction).
OthersSince = Callable[[Target, int, str], "Change | None"]


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


@attrs.frozen
class Snapshot:
    """A workspace as it is at one version: what it is, its state, and each target's last
    change (``last``: target -> the change, with its values left out)."""

    id: str
    created: str
    ruleset: Mapping[str, str]
    meta: Meta
    version: int
    state: State
    last: Mapping[Target, Change]


_CHANGE_COLUMNS = (
    "seq, changed_at, link, link_role, agency, kind, target, before_value, after_value, "
    "restored_from"
)


def _change(row: tuple[Any, ...]) -> Change:
    seq, at, link, role, agency, kind, target, before, after, restore = row
    author = Author(link, role, agency)
    return Change(int(seq), at, author, kind, target, _load(before), _load(after), restore)


def _link(row: tuple[Any, ...]) -> Link:
    ident, role, agency, created, revoked, token_sha256 = row
    return Link(ident, role, agency, created, revoked, token_sha256)


class Store:
    """Workspaces in a :class:`~kla_model.workspace.backends.Backend`."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    # -- schema ----------------------------------------------------------------------------

    def migrate(self, now: str) -> int:
        """Apply every migration the store lacks, in one transaction; the schema's version."""
        known = migrations()
        with self.backend.transaction(write=True) as tx:
            self.backend.lock_all(tx)
            tx.run(
                "CREATE TABLE IF NOT EXISTS kla_schema "
                "(version INTEGER PRIMARY KEY, applied TEXT NOT NULL)"
            )
            have = tx.rows("SELECT MAX(version) FROM kla_schema")[0][0] or 0
            if have > len(known):
                raise WorkspaceError.one(
                    "--store",
                    f"penyimpanan ini berskema versi {have}; versi ini hanya mengenal {len(known)}",
                    f"the store has schema version {have}; this kla_model knows up to "
                    f"{len(known)}: upgrade kla_model",
                )
            for version, statements in known[have:]:
                for statement in statements:
                    tx.run(statement)
                tx.run("INSERT INTO kla_schema (version, applied) VALUES (?, ?)", (version, now))
            return len(known)

    def schema_version(self) -> int:
        with self.backend.transaction(write=False) as tx:
            return int(tx.rows("SELECT MAX(version) FROM kla_schema")[0][0] or 0)

    # -- creating --------------------------------------------------------------------------

    def create(
        self,
        workspace: Snapshot,
        link: Link,
        edits: Iterable[Edit],
        max_workspaces: int,
    ) -> list[Change]:
        """Add ``workspace`` with its first ``link`` and the changes ``edits`` make, made by
        that link; :class:`StoreFullError` if the store holds ``max_workspaces`` already."""
        with self.backend.transaction(write=True) as tx:
            self.backend.lock_all(tx)
            count = tx.rows("SELECT COUNT(*) FROM kla_workspaces")[0][0]
            if count >= max_workspaces:
                raise StoreFullError.one(
                    "store",
                    f"penyimpanan sudah berisi {count} ruang kerja, batasnya {max_workspaces}",
                    f"the store holds {count} workspaces, its limit is {max_workspaces}",
                )
            tx.run(
                "INSERT INTO kla_workspaces (id, created, ruleset_id, ruleset_version, "
                "ruleset_sha256, meta, version) VALUES (?, ?, ?, ?, ?, ?, 0)",
                (
                    workspace.id,
                    workspace.created,
                    workspace.ruleset["id"],
                    workspace.ruleset["version"],
                    workspace.ruleset["sha256"],
                    _dump(workspace.meta.to_dict()),
                ),
            )
            self._insert_link(tx, workspace.id, link)
            planned: list[Planned] = [(edit, None) for edit in edits]
            return self._write(
                tx,
                workspace_id=workspace.id,
                version=0,
                state={},
                author=link.author,
                now=workspace.created,
                planned=planned,
            )

    # -- reading ---------------------------------------------------------------------------

    def _header(self, tx: Tx, workspace_id: str, lock: bool = False) -> tuple[Any, ...]:
        suffix = self.backend.lock_suffix if lock else ""
        rows = tx.rows(
            "SELECT id, created, ruleset_id, ruleset_version, ruleset_sha256, meta, version "
            "FROM kla_workspaces WHERE id = ?" + suffix,
            (workspace_id,),
        )
        if not rows:
            raise NotFoundError.one(
                "path.workspace",
                f"tidak ada ruang kerja {workspace_id!r}",
                f"no workspace has id {workspace_id!r}",
            )
        return rows[0]

    def _snapshot(self, tx: Tx, workspace_id: str, lock: bool = False) -> Snapshot:
        header = self._header(tx, workspace_id, lock)
        rows = tx.rows(
            "SELECT c.value, h.seq, h.changed_at, h.link, h.link_role, h.agency, h.kind, "
            "h.target, h.before_value, h.after_value, h.restored_from "
            "FROM kla_current c JOIN kla_changes h "
            "ON h.workspace = c.workspace AND h.seq = c.seq WHERE c.workspace = ?",
            (workspace_id,),
        )
        state: State = {}
        last: dict[Target, Change] = {}
        for row in rows:
            change = _change(row[1:])
            last[change.target] = change
            if row[0] is not None:
                state[change.target] = _load(row[0])
        ident, created, rs_id, rs_version, rs_sha, meta, version = header
        ruleset = {"id": rs_id, "version": rs_version, "sha256": rs_sha}
        return Snapshot(
            ident, created, ruleset, Meta.from_dict(_load(meta)), int(version), state, last
        )

    def snapshot(self, workspace_id: str) -> Snapshot:
        """The workspace now; :class:`NotFoundError` if there is none."""
        with self.backend.transaction(write=False) as tx:
            return self._snapshot(tx, workspace_id)

    def links(self, workspace_id: str) -> list[Link]:
        """Every link of the workspace, in the order issued; :class:`NotFoundError` if none."""
        with self.backend.transaction(write=False) as tx:
            self._header(tx, workspace_id)
            rows = tx.rows(
                "SELECT id, link_role, agency, created, revoked, token_sha256 FROM kla_links "
                "WHERE workspace = ? ORDER BY created, id",
                (workspace_id,),
            )
            return [_link(row) for row in rows]

    def history(self, workspace_id: str, after: int = 0, limit: int | None = None) -> list[Change]:
        """The changes with ``seq > after``, oldest first, at most ``limit``."""
        with self.backend.transaction(write=False) as tx:
            self._header(tx, workspace_id)
            sql = f"SELECT {_CHANGE_COLUMNS} FROM kla_changes WHERE workspace = ? AND seq > ? "
            sql += "ORDER BY seq"
            params: list[Any] = [workspace_id, after]
            if limit is not None:
                sql += " LIMIT ?"
                params.append(limit)
            return [_change(row) for row in tx.rows(sql, params)]

    def disagreements(self, workspace_id: str) -> list[str]:
        """Where the replayed log and the current values differ (none in a sound store)."""
        with self.backend.transaction(write=False) as tx:
            header = self._header(tx, workspace_id)
            rows = tx.rows(
                f"SELECT {_CHANGE_COLUMNS} FROM kla_changes WHERE workspace = ? ORDER BY seq",
                (workspace_id,),
            )
            changes = [_change(row) for row in rows]
            current = {
                (kind, target): _load(value)
                for kind, target, value in tx.rows(
                    "SELECT kind, target, value FROM kla_current WHERE workspace = ? "
                    "AND value IS NOT NULL",
                    (workspace_id,),
                )
            }
        found = []
        seqs = [change.seq for change in changes]
        if seqs != list(range(1, len(seqs) + 1)):
            found.append(f"the log's seq are not 1..{len(seqs)}")
        if int(header[6]) != len(seqs):
            found.append(f"version {header[6]} but {len(seqs)} changes in the log")
        replayed = replay(changes)
        for target in sorted(set(replayed) | set(current)):
            if replayed.get(target) != current.get(target):
                found.append(
                    f"{target}: log {replayed.get(target)!r}, current {current.get(target)!r}"
                )
        return found

    # -- changing --------------------------------------------------------------------------

    def apply(
        self,
        workspace_id: str,
        author: Author,
        now: str,
        plan: Callable[[Snapshot, OthersSince], list[Planned]],
        max_history: int,
    ) -> tuple[int, list[Change]]:
        """Lock the workspace, let ``plan`` decide from its snapshot (and, where it needs
        them, the earlier changes of other links) what to write (it raises to refuse), write
        it, and return the new version and the changes written."""
        with self.backend.transaction(write=True) as tx:
            snapshot = self._snapshot(tx, workspace_id, lock=True)

            def others(target: Target, after: int, link: str) -> Change | None:
                rows = tx.rows(
                    f"SELECT {_CHANGE_COLUMNS} FROM kla_changes WHERE workspace = ? "
                    "AND seq > ? AND kind = ? AND target = ? AND link <> ? "
                    "ORDER BY seq DESC LIMIT 1",
                    (workspace_id, after, *target, link),
                )
                return _change(rows[0]) if rows else None

            planned = plan(snapshot, others)
            if snapshot.version + len(planned) > max_history:
                raise StoreFullError.one(
                    "body: $.changes",
                    f"riwayat ruang kerja ini sudah {snapshot.version} perubahan, batasnya "
                    f"{max_history}",
                    f"this workspace's history has {snapshot.version} changes, its limit is "
                    f"{max_history}",
                )
            written = self._write(
                tx,
                workspace_id=workspace_id,
                version=snapshot.version,
                state=snapshot.state,
                author=author,
                now=now,
                planned=planned,
            )
            return snapshot.version + len(written), written

    def _write(
        self,
        tx: Tx,
        *,
        workspace_id: str,
        version: int,
        state: State,
        author: Author,
        now: str,
        planned: list[Planned],
    ) -> list[Change]:
        state = dict(state)
        written = []
        for offset, (edit, restore) in enumerate(planned, start=1):
            before = state.get(edit.target)
            change = Change(
                version + offset, now, author, edit.kind, edit.id, before, edit.value, restore
            )
            written.append(change)
            state[edit.target] = edit.value
        tx.many(
            f"INSERT INTO kla_changes (workspace, {_CHANGE_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    workspace_id,
                    c.seq,
                    c.at,
                    c.author.link,
                    c.author.role,
                    c.author.agency,
                    c.kind,
                    c.id,
                    _dump(c.before),
                    _dump(c.after),
                    c.restore,
                )
                for c in written
            ],
        )
        tx.many(
            "INSERT INTO kla_current (workspace, kind, target, value, seq) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace, kind, target) "
            "DO UPDATE SET value = excluded.value, seq = excluded.seq",
            [(workspace_id, c.kind, c.id, _dump(c.after), c.seq) for c in written],
        )
        tx.run(
            "UPDATE kla_workspaces SET version = ? WHERE id = ?",
            (version + len(written), workspace_id),
        )
        return written

    # -- links -----------------------------------------------------------------------------

    def _insert_link(self, tx: Tx, workspace_id: str, link: Link) -> None:
        tx.run(
            "INSERT INTO kla_links (workspace, id, link_role, agency, token_sha256, created, "
            "revoked) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (workspace_id, link.id, link.role, link.agency, link.token_sha256, link.created, None),
        )

    def add_link(self, workspace_id: str, link: Link, max_links: int) -> None:
        """Issue ``link``; :class:`StoreFullError` if the workspace has ``max_links`` already."""
        with self.backend.transaction(write=True) as tx:
            self._header(tx, workspace_id, lock=True)
            count = tx.rows("SELECT COUNT(*) FROM kla_links WHERE workspace = ?", (workspace_id,))
            if count[0][0] >= max_links:
                raise StoreFullError.one(
                    "body",
                    f"ruang kerja ini sudah punya {count[0][0]} tautan, batasnya {max_links}",
                    f"this workspace has {count[0][0]} links, its limit is {max_links}",
                )
            self._insert_link(tx, workspace_id, link)

    def revoke(self, workspace_id: str, link_id: str, now: str) -> Link:
        """Revoke a link (again: no change); the last coordinator link cannot be (409)."""
        with self.backend.transaction(write=True) as tx:
            self._header(tx, workspace_id, lock=True)
            rows = tx.rows(
                "SELECT id, link_role, agency, created, revoked, token_sha256 FROM kla_links "
                "WHERE workspace = ?",
                (workspace_id,),
            )
            links = {row[0]: _link(row) for row in rows}
            link = links.get(link_id)
            if link is None:
                raise NotFoundError.one(
                    "path.link",
                    f"ruang kerja ini tidak punya tautan {link_id!r}",
                    f"this workspace has no link {link_id!r}",
                )
            if link.revoked is not None:
                return link
            live = [x for x in links.values() if x.role == "coordinator" and x.revoked is None]
            if link.role == "coordinator" and len(live) == 1:
                raise ConflictError.one(
                    "path.link",
                    "tautan koordinator terakhir tidak dapat dicabut; terbitkan yang baru dahulu",
                    "the last coordinator link cannot be revoked; issue another one first",
                )
            tx.run(
                "UPDATE kla_links SET revoked = ? WHERE workspace = ? AND id = ?",
                (now, workspace_id, link_id),
            )
            return attrs.evolve(link, revoked=now)


def open_store(where: str, now: str) -> Store:
    """The store at ``where`` (a SQLite path or a ``postgresql://`` URL), migrated to the
    newest schema."""
    store = Store(backend_for(where))
    store.migrate(now)
    return store
