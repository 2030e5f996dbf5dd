"""Layer 5, beside :mod:`kla_model.views`: the task force's shared workspace, kept in a
store (SQLite or PostgreSQL).

A workspace is one district's submission for one round and ruleset, its agency assignment,
the links (tokens) that may read and change it, and the append-only history of every change
from which the current submission is always rebuilt.

- :mod:`.model`: the workspace's parts as data (links, changes, the state a history builds);
- :mod:`.rights`: which items a link may change;
- :mod:`.tokens`: making, hashing and comparing tokens;
- :mod:`.refusals`: the errors a workspace operation refuses with (conflict, forbidden, ...);
- :mod:`.migrate`: the numbered SQL files in ``migrations/`` applied in order;
- :mod:`.backends`: a SQLite file or a PostgreSQL server, one transaction at a time;
- :mod:`.store`: the tables read and written in transactions (parameterised SQL only);
- :mod:`.desk`: the operations: create, change, restore, links, checked against the ruleset;
- :mod:`.export`: the submission as YAML/JSON and the history as CSV/JSON Lines.

May import :mod:`kla_model.analysis`, :mod:`kla_model.tables` and below; nothing of
:mod:`kla_model.views`, :mod:`kla_model.serve` or :mod:`kla_model.cli`.  The PostgreSQL
driver (the ``[postgres]`` extra) is imported only when a ``postgresql://`` store is opened.
"""

from kla_model.workspace.desk import Desk, Limits
from kla_model.workspace.refusals import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    StoreFullError,
    UnauthorizedError,
    WorkspaceError,
)
from kla_model.workspace.store import open_store

__all__ = [
    "ConflictError",
    "Desk",
    "ForbiddenError",
    "Limits",
    "NotFoundError",
    "StoreFullError",
    "UnauthorizedError",
    "WorkspaceError",
    "open_store",
]
