"""Which ruleset produced a result: its id, version, status and content hash."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["STATUS_WORDS", "RuleSetRef"]

#: What each ruleset status means for the numbers a result shows, (Indonesian, English).
#: Every explanation and plan opens with it, so reconstructed points are never read as fact.
STATUS_WORDS: Mapping[str, tuple[str, str]] = {
    "official": ("resmi", "official"),
    "provisional": (
        "sementara: angka rekonstruksi, bukan angka resmi",
        "provisional: reconstructed numbers, not the official ones",
    ),
    "illustrative": (
        "ilustratif: angka contoh, bukan penilaian",
        "illustrative: made-up numbers, not an assessment",
    ),
}


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

    def provenance(self, lang: str = "id") -> str:
        """One sentence naming the ruleset, its version and what its status means.

        ``Aturan: perpres-25-2021 versi 2025.1 (sementara: angka rekonstruksi, bukan angka
        resmi).``  An overlay also names what it extends.
        """
        english = lang == "en"
        words = STATUS_WORDS.get(self.status, (self.status, self.status))[english]
        head = "Ruleset" if english else "Aturan"
        version = "version" if english else "versi"
        text = f"{head}: {self.id} {version} {self.version} ({words})"
        if self.extends is not None:
            extends = "extending" if english else "memperluas"
            text += f", {extends} {self.extends.id} {self.extends.version}"
        return text + "."

    def __repr__(self) -> str:
        return f"RuleSetRef({self.id!r}, {self.version!r}, {self.status!r})"

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
