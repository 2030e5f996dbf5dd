"""Rulesets: an evaluation instrument as data, read from YAML and checked before use.

Loading goes read (strict safe YAML) -> validate (JSON Schema) -> build and cross-check.
A ruleset is immutable; its ``sha256`` identifies its content, so a score card can say
exactly which numbers produced it.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from kla_model._build import build
from kla_model._schema import schema_problems
from kla_model._yaml import load_data_file, parse_yaml
from kla_model.errors import Problem, RuleSetError, UnknownRuleSetError
from kla_model.model import Group, Indicator, Item, Label
from kla_model.references import ReferenceSeries
from kla_model.tiers import Tier, TierScale

__all__ = ["STATUSES", "RoundWindow", "RuleSet", "bundled_rulesets", "load_ruleset"]

#: ``official`` numbers from a published instrument; ``provisional`` a reconstruction;
#: ``illustrative`` made up to show how something works.
STATUSES = ("official", "provisional", "illustrative")


@attrs.frozen
class RoundWindow:
    """The evaluation rounds (years) a ruleset applies to; ``last`` is ``None`` while in force."""

    first: int
    last: int | None = None

    def __contains__(self, year: object) -> bool:
        if not isinstance(year, int):
            return False
        return self.first <= year and (self.last is None or year <= self.last)

    def __str__(self) -> str:
        return f"{self.first}-{'' if self.last is None else self.last}"

    def to_dict(self) -> dict[str, int]:
        return {"from": self.first} | ({} if self.last is None else {"to": self.last})


def _canonical_numbers(value: Any) -> Any:
    """``1000.0`` as ``1000``, so that how a number is spelt does not change the hash."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _canonical_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical_numbers(item) for item in value]
    return value


def content_hash(data: Mapping[str, Any]) -> str:
    """SHA-256 of the ruleset's content, independent of YAML layout, comments, key order and
    number spelling."""
    canonical = json.dumps(
        _canonical_numbers(dict(data)), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _index(
    groups: tuple[Group, ...],
) -> tuple[Mapping[str, Indicator], Mapping[str, Item], Mapping[str, str]]:
    indicators = {ind.id: ind for group in groups for ind in group.indicators}
    items = {item.id: item for ind in indicators.values() for item in ind.items}
    group_of = {ind.id: group.id for group in groups for ind in group.indicators}
    return MappingProxyType(indicators), MappingProxyType(items), MappingProxyType(group_of)


@attrs.frozen
class RuleSet:
    """A complete evaluation instrument: groups, indicators, items, references and tiers."""

    id: str
    version: str
    status: str = attrs.field(validator=attrs.validators.in_(STATUSES))
    source: str
    label: Label
    max_score: float
    groups: tuple[Group, ...]
    tiers: TierScale
    references: tuple[ReferenceSeries, ...] = ()
    description: Label | None = None
    applies_to: RoundWindow | None = None
    sha256: str = ""
    origin: str = attrs.field(default="", eq=False)
    indicators: Mapping[str, Indicator] = attrs.field(init=False, eq=False, repr=False)
    items: Mapping[str, Item] = attrs.field(init=False, eq=False, repr=False)
    group_of: Mapping[str, str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        indicators, items, group_of = _index(self.groups)
        object.__setattr__(self, "indicators", indicators)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "group_of", group_of)

    def tier_for(self, total: float) -> Tier | None:
        """The tier a total reaches by the scale's thresholds (``None`` below the first).

        Must-pass conditions need the points per indicator, so they are checked when a
        submission is scored (``ScoreCard.tier``), not here.
        """
        return self.tiers.by_total(total)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "ruleset") -> RuleSet:
        """Validate and build a ruleset from parsed data, or raise :class:`RuleSetError`."""
        if not isinstance(data, Mapping):
            found = type(data).__name__
            raise RuleSetError(source, [Problem(source, f"expected a mapping; found {found}")])
        data = dict(data)
        problems = schema_problems("ruleset", data, source)
        if problems:
            raise RuleSetError(source, problems)
        built = build(data, source)
        if built.problems or built.tiers is None:
            raise RuleSetError(source, built.problems)
        window = data.get("applies_to")
        description = data.get("description")
        ruleset = cls(
            id=data["id"],
            version=data["version"],
            status=data["status"],
            source=data["source"],
            label=Label.from_dict(data["label"]),
            description=None if description is None else Label.from_dict(description),
            applies_to=None if window is None else RoundWindow(window["from"], window.get("to")),
            max_score=data["max_score"],  # as written: a total "out of 1000" stays 1000
            groups=built.groups,
            references=built.references,
            tiers=built.tiers,
            origin=source,
        )
        # Hash the built form, so that a default left out or written out gives the same hash.
        return attrs.evolve(ruleset, sha256=content_hash(ruleset.to_dict()))

    @classmethod
    def from_yaml(cls, text: str, source: str = "ruleset") -> RuleSet:
        """Read a ruleset from YAML text."""
        return cls.from_mapping(parse_yaml(text, source, RuleSetError), source)

    def to_dict(self) -> dict[str, Any]:
        """The ruleset as it is written in a rule file (valid against the ruleset schema)."""
        data: dict[str, Any] = {
            "id": self.id,
            "version": self.version,
            "status": self.status,
            "source": self.source,
            "label": self.label.to_dict(),
        }
        if self.description is not None:
            data["description"] = self.description.to_dict()
        if self.applies_to is not None:
            data["applies_to"] = self.applies_to.to_dict()
        data["max_score"] = self.max_score
        if self.references:
            data["references"] = [series.to_dict() for series in self.references]
        data["groups"] = [group.to_dict() for group in self.groups]
        data["tiers"] = self.tiers.to_dict()
        return data


def _bundled_dir() -> Traversable:
    """The bundled rule files: inside the installed package, or ``rules/`` in a checkout."""
    packaged = resources.files("kla_model").joinpath("rules")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def bundled_rulesets() -> tuple[str, ...]:
    """The names of the rulesets shipped with kla_model, sorted."""
    files = _bundled_dir().iterdir() if _bundled_dir().is_dir() else iter(())
    return tuple(sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml")))


@functools.cache
def _load_bundled(name: str) -> RuleSet:
    text = _bundled_dir().joinpath(f"{name}.yaml").read_text("utf-8")
    return RuleSet.from_yaml(text, source=f"rules/{name}.yaml")


def _looks_like_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml", ".json")) or "/" in name or "\\" in name


def load_ruleset(name_or_path: str | Path) -> RuleSet:
    """A bundled ruleset by name (``"perpres-25-2021"``), or a rule file by path."""
    if isinstance(name_or_path, str) and not _looks_like_path(name_or_path):
        if name_or_path in bundled_rulesets():
            return _load_bundled(name_or_path)
        if not Path(name_or_path).is_file():
            known = ", ".join(bundled_rulesets())
            raise UnknownRuleSetError(
                f"ruleset {name_or_path!r}: expected a bundled ruleset name ({known}) "
                "or the path of a rule file; found neither"
            )
    data = load_data_file(name_or_path, RuleSetError)
    return RuleSet.from_mapping(data, source=str(name_or_path))
