"""Where a store lives: a SQLite file or a PostgreSQL server, one transaction at a time.

Both give the store the same small interface, :class:`Backend`: a transaction (:class:`Tx`)
that reads rows and runs statements with parameters, never with values in the SQL text.
The SQL is written once with ``?`` placeholders; the PostgreSQL backend turns them into
psycopg's ``%s``.

Writes are serialised per workspace: SQLite's ``BEGIN IMMEDIATE`` takes the database's one
write lock before the first read, so a transaction's reads and writes see no other writer;
on PostgreSQL a write transaction first locks the workspace's row (``SELECT ... FOR
UPDATE``), and :attr:`Backend.lock_suffix` is that clause.  Each thread has its own
connection (the service runs store calls in its thread pool).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from kla_model.errors import KlaError, MissingExtraError

__all__ = ["Backend", "PostgresBackend", "SqliteBackend", "Tx", "backend_for"]

Params = Sequence[Any]


class Tx(Protocol):
    """One open transaction."""

    def rows(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]: ...

    def run(self, sql: str, params: Params = ()) -> None: ...

    def many(self, sql: str, params: Iterable[Params]) -> None: ...


class Backend(Protocol):
    kind: str
    #: What a write transaction appends to the ``SELECT`` of the row it locks.
    lock_suffix: str

    def transaction(self, write: bool) -> Any: ...

    def lock_all(self, tx: Tx) -> None:
        """Serialise with every other writer (creating a workspace, migrating)."""

    def close(self) -> None: ...


class _CursorTx:
    """A transaction over a DB-API connection; ``convert`` adapts the placeholders."""

    def __init__(self, connection: Any, placeholder: str) -> None:
        self.connection = connection
        self.placeholder = placeholder

    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def rows(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        cursor = self.connection.execute(self._sql(sql), tuple(params))
        return [tuple(row) for row in cursor.fetchall()]

    def run(self, sql: str, params: Params = ()) -> None:
        self.connection.execute(self._sql(sql), tuple(params))

    def many(self, sql: str, params: Iterable[Params]) -> None:
        cursor = self.connection.cursor()
        cursor.executemany(self._sql(sql), [tuple(entry) for entry in params])


class SqliteBackend:
    """A SQLite file in WAL mode: readers never wait for the writer, commits are durable
    (``synchronous=FULL``), and a killed process leaves the last committed state."""

    kind = "sqlite"
    lock_suffix = ""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        parent = Path(self.path).parent
        if not parent.is_dir():
            raise KlaError(f"--store {self.path}: expected a file in an existing folder")
        connection = self._connection()
        connection.execute("PRAGMA journal_mode=WAL")

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                self.path, timeout=60, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA synchronous=FULL")
            self._local.connection = connection
        return connection

    @contextmanager
    def transaction(self, write: bool) -> Iterator[Tx]:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield _CursorTx(connection, "?")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def lock_all(self, tx: Tx) -> None:
        """``BEGIN IMMEDIATE`` already holds the one write lock."""

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None


class PostgresBackend:
    """A PostgreSQL database through psycopg 3 (the ``[postgres]`` extra)."""

    kind = "postgresql"
    lock_suffix = " FOR UPDATE"

    def __init__(self, url: str) -> None:
        try:
            import psycopg  # noqa: PLC0415  (the optional extra, imported only when used)
        except ImportError:
            raise MissingExtraError(
                "--store postgresql://...: needs the [postgres] extra (psycopg is not "
                "installed): pip install 'kla_model[postgres]'"
            ) from None
        self.psycopg = psycopg
        self.url = url
        self._local = threading.local()
        self._connection()  # fail at start, not at the first request

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.closed:
            try:
                connection = self.psycopg.connect(self.url, autocommit=True, connect_timeout=10)
            except self.psycopg.OperationalError as failed:
                raise KlaError(f"--store: cannot connect to PostgreSQL: {failed}") from None
            self._local.connection = connection
        return connection

    @contextmanager
    def transaction(self, write: bool) -> Iterator[Tx]:
        connection = self._connection()
        try:
            with connection.transaction():
                if not write:  # one snapshot for every read of the transaction
                    connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                yield _CursorTx(connection, "%s")
        except self.psycopg.OperationalError:
            connection.close()  # reconnect on the next call (a restarted server)
            raise

    def lock_all(self, tx: Tx) -> None:
        # One advisory lock for the operations that span workspaces (its number: "kla").
        tx.run("SELECT pg_advisory_xact_lock(?)", (0x6B6C61,))

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None


def backend_for(where: str) -> Backend:
    """A ``postgresql://`` (or ``postgres://``) URL, else a SQLite file path."""
    if where.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(where)
    return SqliteBackend(where)
