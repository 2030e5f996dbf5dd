"""The domain's nouns: bilingual labels, regions, groups, indicators and scored items.

All classes are frozen: a ruleset is shared by every score computed with it, so nothing
may change it after it is built.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

import attrs

from kla_model._base.attrs_repr import attrs_repr

if TYPE_CHECKING:
    from kla_model.rules.point_rules import PointRule

__all__ = [
    "EVIDENCE_KINDS",
    "INDICATOR_TYPES",
    "REGION_KINDS",
    "EvidenceRule",
    "Group",
    "Indicator",
    "Item",
    "Label",
    "Lang",
    "Region",
]

Lang = Literal["id", "en"]

#: ``pct`` a percentage, ``rate`` a prevalence where lower is better, ``inst`` an institution.
INDICATOR_TYPES = ("pct", "rate", "inst")
REGION_KINDS = ("kabupaten", "kota", "desa", "kelurahan")
EVIDENCE_KINDS = (
    "regulation",
    "head_regulation",
    "decree",
    "report",
    "dataset",
    "photo",
    "minutes",
    "other",
)


def _non_empty(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value:
        raise ValueError(f"{attribute.name} must not be empty")


def _points(_: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{attribute.name} must be a finite number >= 0, not {value!r}")


@attrs.frozen
class Label:
    """A text in Indonesian (``id``, shown first) and English (``en``)."""

    __repr__ = attrs_repr

    id: str = attrs.field(validator=_non_empty)
    en: str = attrs.field(validator=_non_empty)

    def text(self, lang: Lang = "id") -> str:
        """The text in ``lang``."""
        return self.id if lang == "id" else self.en

    def __str__(self) -> str:
        return self.id if self.id == self.en else f"{self.id} / {self.en}"

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "en": self.en}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Label:
        return cls(id=data["id"], en=data["en"])


@attrs.frozen
class Region:
    """A regency (*kabupaten*), city (*kota*) or village whose submission is scored."""

    __repr__ = attrs_repr

    code: str = attrs.field(validator=_non_empty)
    name: str = attrs.field(validator=_non_empty)
    kind: str = attrs.field(validator=attrs.validators.in_(REGION_KINDS))
    province: str = attrs.field(validator=_non_empty)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "kind": self.kind, "province": self.province}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Region:
        return cls(
            code=data["code"], name=data["name"], kind=data["kind"], province=data["province"]
        )


@attrs.frozen
class EvidenceRule:
    """Which kinds of supporting document (*data dukung*) an item accepts, and if it needs one."""

    __repr__ = attrs_repr

    required: bool
    kinds: tuple[str, ...] = attrs.field(
        validator=attrs.validators.deep_iterable(attrs.validators.in_(EVIDENCE_KINDS))
    )

    def to_dict(self) -> dict[str, Any]:
        return {"required": self.required, "kinds": list(self.kinds)}


@attrs.frozen
class Item:
    """A scored question of an indicator: its maximum and the rule that gives its points."""

    __repr__ = attrs_repr

    id: str = attrs.field(validator=_non_empty)
    label: Label
    max: float = attrs.field(validator=_points)
    rule: PointRule
    evidence: EvidenceRule | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "label": self.label.to_dict(),
            "max": self.max,
            "rule": self.rule.to_dict(),
        }
        if self.evidence is not None:
            data["evidence"] = self.evidence.to_dict()
        return data


@attrs.frozen
class Indicator:
    """One of the evaluation's indicators; its points are the sum of its items' points."""

    __repr__ = attrs_repr

    id: str = attrs.field(validator=_non_empty)
    number: int | None
    label: Label
    type: str = attrs.field(validator=attrs.validators.in_(INDICATOR_TYPES))
    source: str
    max: float = attrs.field(validator=_points)
    items: tuple[Item, ...] = attrs.field(validator=attrs.validators.min_len(1))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id}
        if self.number is not None:
            data["number"] = self.number
        data |= {
            "label": self.label.to_dict(),
            "type": self.type,
            "source": self.source,
            "max": self.max,
            "items": [item.to_dict() for item in self.items],
        }
        return data


@attrs.frozen
class Group:
    """Institutional strengthening (*kelembagaan*) or one of the five clusters (*klaster*)."""

    __repr__ = attrs_repr

    id: str = attrs.field(validator=_non_empty)
    label: Label
    max: float = attrs.field(validator=_points)
    indicators: tuple[Indicator, ...] = attrs.field(validator=attrs.validators.min_len(1))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label.to_dict(),
            "max": self.max,
            "indicators": [indicator.to_dict() for indicator in self.indicators],
        }
