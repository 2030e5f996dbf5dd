"""The ways a workspace operation is refused; the service answers each with its status.

Every message is bilingual, Indonesian first and English after `` / ``, since it is shown to
the agencies' staff as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kla_model.errors import Problem, ProblemsError

__all__ = [
    "ConflictError",
    "ForbiddenError",
    "NotFoundError",
    "StoreFullError",
    "UnauthorizedError",
    "WorkspaceError",
]


def bilingual(indonesian: str, english: str) -> str:
    """One message in both languages, Indonesian first."""
    return f"{indonesian} / {english}"


class WorkspaceError(ProblemsError):
    """A workspace operation refused, with every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        super().__init__("workspace", problems)

    @classmethod
    def one(cls, location: str, indonesian: str, english: str) -> WorkspaceError:
        return cls([Problem(location, bilingual(indonesian, english))])


class UnauthorizedError(WorkspaceError, PermissionError):
    """No token, or one this workspace does not know or has revoked (HTTP 401)."""


class ForbiddenError(WorkspaceError, PermissionError):
    """A valid link asking for what it may not do (HTTP 403)."""


class NotFoundError(WorkspaceError, LookupError):
    """No such workspace or link (HTTP 404)."""


class StoreFullError(WorkspaceError):
    """The store's bound on workspaces, or a history's bound on changes, is reached (507)."""


class ConflictError(WorkspaceError):
    """A change made on an old version to what another link changed since (HTTP 409).

    ``conflicts`` are the current values, as ``{"kind", "id", "version", "value", "by"}``.
    """

    def __init__(
        self,
        problems: Iterable[Problem],
        version: int | None = None,
        conflicts: Iterable[dict[str, Any]] = (),
    ) -> None:
        super().__init__(problems)
        self.version = version
        self.conflicts = tuple(conflicts)
