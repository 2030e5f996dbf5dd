"""The store's schema, from version 1 on: numbered SQL files applied in order.

``migrations/NNNN_what.sql`` is version ``NNNN``.  A store records the versions it has in
``kla_schema``; opening a store applies every later file, each in its own transaction with
its row in ``kla_schema``, so a store is always at one whole version.  A file is never
edited once released: a change to the schema is a new file.  The files are portable SQL that
SQLite and PostgreSQL both run, with no semicolon but between statements.
"""

from __future__ import annotations

import re
from importlib import resources

__all__ = ["MIGRATIONS", "migrations"]

MIGRATIONS = "kla_model.workspace.migrations"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, list[str]]]:
    """Every migration as (version, its statements), in order of version."""
    found = []
    for entry in resources.files(MIGRATIONS).iterdir():
        match = _NAME.match(entry.name)
        if match:
            text = entry.read_text(encoding="utf-8")
            lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
            statements = [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
            found.append((int(match.group(1)), statements))
    found.sort()
    versions = [version for version, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"{MIGRATIONS}: expected versions 1, 2, ... in order; found {versions}")
    return found
