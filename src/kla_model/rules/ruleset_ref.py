"""Which ruleset produced a result: its id, version, status and content hash."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["RuleSetRef"]


@attrs.frozen
class RuleSetRef:
    """Which ruleset produced a card: enough to reproduce it or to refuse to compare.

    A ruleset written as an overlay (``extends:``) names the ruleset it extends, which may
    itself extend another: the card then names the whole chain.
    """

    id: str
    version: str
    status: str
    sha256: str
    extends: RuleSetRef | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "version": self.version,
            "status": self.status,
            "sha256": self.sha256,
        }
        if self.extends is not None:
            data["extends"] = self.extends.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSetRef:
        parent = data.get("extends")
        return cls(
            id=data["id"],
            version=data["version"],
            status=data["status"],
            sha256=data["sha256"],
            extends=None if parent is None else cls.from_dict(parent),
        )
