"""Rulesets: an evaluation instrument as data, read from YAML and checked before use.

Loading goes read (strict safe YAML) -> validate (JSON Schema) -> build and cross-check.
A ruleset is immutable; its ``sha256`` identifies its content, so a score card can say
exactly which numbers produced it.

A rule file may be an overlay (``extends:``, see :mod:`kla_model.rules.overlay`): its parent is
loaded first (a bundled name, or a path relative to the overlay file), the overlay's changes
are merged in, and the merged ruleset is validated in full.  Each ruleset declares the
evaluation rounds it applies to; :func:`ruleset_for` finds the one in force for a round.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model._base.json_schema import schema_problems, shown
from kla_model._base.strict_yaml import load_data_file, parse_yaml
from kla_model.errors import (
    Problem,
    RoundNotCoveredError,
    RuleSetError,
    UnknownRuleSetError,
)
from kla_model.rules.build import Built, build
from kla_model.rules.declared_window import Window, declared_window
from kla_model.rules.model import Group, Indicator, Item, Label
from kla_model.rules.overlay import is_overlay, merge, overlay_location
from kla_model.rules.points import Resolution
from kla_model.rules.read_ahead import bundled_folder, read_ahead
from kla_model.rules.references import ReferenceSeries
from kla_model.rules.rounds import warn_if_not_held
from kla_model.rules.ruleset_ref import RuleSetRef
from kla_model.rules.tiers import Tier, TierScale

__all__ = [
    "MAX_EXTENDS",
    "STATUSES",
    "MixedRoundsError",
    "NoRoundError",
    "RoundWindow",
    "RuleSet",
    "bundled_rulesets",
    "load_ruleset",
    "ruleset_for",
    "ruleset_for_rounds",
]

#: ``official`` numbers from a published instrument; ``provisional`` a reconstruction;
#: ``illustrative`` made up to show how something works.
STATUSES = ("official", "provisional", "illustrative")


_Derived = TypeVar("_Derived")


@attrs.frozen
class RoundWindow:
    """The evaluation rounds (years) a ruleset applies to; ``last`` is ``None`` while in force."""

    __repr__ = attrs_repr

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
    # Imported here: hashlib loads OpenSSL's library, a fiftieth of kla score's start, which
    # loads a bundled ruleset with its hash recorded (rules/read_ahead.py) and hashes nothing.
    import hashlib  # noqa: PLC0415

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


def _resolution(
    max_score: float, groups: tuple[Group, ...], items: Iterable[Item], tiers: TierScale
) -> Resolution:
    """The unit in which this ruleset's points, maxima and thresholds all add exactly."""
    numbers: list[float] = [max_score]
    proportional = False
    count = 0
    for item in items:
        count += 1
        numbers.append(item.max)
        numbers.extend(item.rule.point_values())
        proportional = proportional or item.rule.proportional
    numbers += [group.max for group in groups]
    numbers += [ind.max for group in groups for ind in group.indicators]
    numbers += [tier.min for tier in tiers.tiers]
    numbers += [c.min_points for tier in tiers.tiers for c in tier.requires]
    largest = max([max_score, *(abs(n) for n in numbers)])
    return Resolution.of(numbers, count, largest, proportional=proportional)


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
    #: How many years before the round a measured answer's data may be (``None``: no limit
    #: but the round itself).
    max_data_age: int | None = None
    sha256: str = ""
    #: The ruleset this one extends, when it was written as an overlay.
    extends: RuleSetRef | None = None
    origin: str = attrs.field(default="", eq=False)
    indicators: Mapping[str, Indicator] = attrs.field(init=False, eq=False, repr=False)
    items: Mapping[str, Item] = attrs.field(init=False, eq=False, repr=False)
    group_of: Mapping[str, str] = attrs.field(init=False, eq=False, repr=False)
    #: What a score card records of this ruleset: id, version, status, hash and parent.
    ref: RuleSetRef = attrs.field(init=False, eq=False, repr=False)
    #: The unit in which points add exactly (see :mod:`kla_model.rules.points`).
    resolution: Resolution = attrs.field(init=False, eq=False, repr=False)
    #: What the layers above derive from this ruleset, by name (see :meth:`derived`): a
    #: cache, not part of the value (no equality, hash, repr or content hash sees it), and
    #: the one thing in a ruleset that changes after it is made (``metadata["cache"]``).
    _derived: dict[str, object] = attrs.field(
        init=False, factory=dict, eq=False, repr=False, metadata={"cache": True}
    )

    def derived(self, name: str, make: Callable[[RuleSet], _Derived]) -> _Derived:
        """What a layer above derives from this ruleset (the scoring layer's compiled
        totals, a score card's layout), made by ``make`` on first use and kept while the
        ruleset lives, so that scoring one submission or a million makes it once.

        The ruleset is immutable, so nothing derived from it goes stale, and a ruleset
        changed with ``attrs.evolve`` is a new one with nothing derived yet.  Two threads
        asking at once may both make it; the first one kept is the one every caller gets.
        """
        found = self._derived.get(name)
        if found is None:
            found = self._derived.setdefault(name, make(self))
        return found  # type: ignore[return-value]  # ``name`` is only ever made by ``make``

    def __repr__(self) -> str:
        rounds = "" if self.applies_to is None else f", rounds {self.applies_to}"
        return (
            f"<RuleSet {self.id} {self.version} ({self.status}): {len(self.indicators)} "
            f"indicators, {len(self.items)} items, max {self.max_score:g}{rounds}>"
        )

    def __attrs_post_init__(self) -> None:
        indicators, items, group_of = _index(self.groups)
        object.__setattr__(self, "indicators", indicators)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "group_of", group_of)
        ref = RuleSetRef(self.id, self.version, self.status, self.sha256, self.extends)
        object.__setattr__(self, "ref", ref)
        resolution = _resolution(self.max_score, self.groups, items.values(), self.tiers)
        object.__setattr__(self, "resolution", resolution)

    def _sealed(self, sha256: str, extends: RuleSetRef | None) -> RuleSet:
        """This ruleset, just built and not yet handed to anyone, with its hash and parent.

        Set in place: ``attrs.evolve`` would build it a second time, indexing and tabulating
        every item again, when only ``ref`` derives from these two fields.
        """
        object.__setattr__(self, "sha256", sha256)
        object.__setattr__(self, "extends", extends)
        ref = RuleSetRef(self.id, self.version, self.status, sha256, extends)
        object.__setattr__(self, "ref", ref)
        return self

    def tier_for(self, total: float) -> Tier | None:
        """The tier a total reaches by the scale's thresholds (``None`` below the first).

        Must-pass conditions need the points per indicator, so they are checked when a
        submission is scored (``ScoreCard.tier``), not here.
        """
        return self.tiers.by_total(total)

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], source: str = "ruleset", *, allow: Iterable[str | Path] = ()
    ) -> RuleSet:
        """Validate and build a ruleset from parsed data, or raise :class:`RuleSetError`.

        ``data`` may be an overlay (``extends:``) of a bundled ruleset.  A mapping has no
        folder of its own, so a parent rule file is read only from inside a folder named in
        ``allow`` (a relative path is looked up from the current directory).
        """
        return _from_data(data, source, _Origin(None, _roots(allow), ()))

    @classmethod
    def _complete(cls, data: Mapping[str, Any], source: str) -> RuleSet:
        """Validate and build a complete (not overlay) ruleset mapping."""
        problems = schema_problems("ruleset", data, source)
        if problems:
            raise RuleSetError(source, problems)
        ruleset = cls._cross_checked(data, source)
        # Hash the built form, so that a default left out or written out gives the same hash.
        return ruleset._sealed(content_hash(ruleset.to_dict()), None)

    @classmethod
    def _cross_checked(cls, data: Mapping[str, Any], source: str) -> RuleSet:
        """Build a ruleset mapping that the schema accepts, not yet sealed with its hash."""
        built = build(data, source)
        if built.problems or built.tiers is None:
            raise RuleSetError(source, built.problems)
        try:
            return cls._built(data, built, source)
        except ValueError as unexact:  # totals too large to add exactly at its resolution
            raise RuleSetError(source, [Problem(f"{source}: $.max_score", str(unexact))]) from None

    @classmethod
    def _built(cls, data: Mapping[str, Any], built: Built, source: str) -> RuleSet:
        assert built.tiers is not None  # checked by the caller
        window = data.get("applies_to")
        description = data.get("description")
        return cls(
            id=data["id"],
            version=data["version"],
            status=data["status"],
            source=data["source"],
            label=Label.from_dict(data["label"]),
            description=None if description is None else Label.from_dict(description),
            applies_to=None if window is None else RoundWindow(window["from"], window.get("to")),
            max_data_age=data.get("max_data_age"),
            max_score=data["max_score"],  # as written: a total "out of 1000" stays 1000
            groups=built.groups,
            references=built.references,
            tiers=built.tiers,
            origin=source,
        )

    @classmethod
    def from_yaml(
        cls, text: str, source: str = "ruleset", *, allow: Iterable[str | Path] = ()
    ) -> RuleSet:
        """Read a ruleset from YAML text (an overlay's parent file only from ``allow``)."""
        return cls.from_mapping(parse_yaml(text, source, RuleSetError), source, allow=allow)

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
        if self.max_data_age is not None:
            data["max_data_age"] = self.max_data_age
        data["max_score"] = self.max_score
        if self.references:
            data["references"] = [series.to_dict() for series in self.references]
        data["groups"] = [group.to_dict() for group in self.groups]
        data["tiers"] = self.tiers.to_dict()
        return data


def _bundled_dir() -> Path:
    """The bundled rule files: inside the installed package, or ``rules/`` in a checkout."""
    return bundled_folder()


def bundled_rulesets() -> tuple[str, ...]:
    """The names of the rulesets shipped with kla_model, sorted.

    Only the rule files at the top of the bundled directory are rulesets; its
    subdirectories (``crosswalks/``) hold other kinds of file.
    """
    directory = _bundled_dir()
    files = directory.iterdir() if directory.is_dir() else iter(())
    names = (
        f.name.removesuffix(".yaml") for f in files if f.is_file() and f.name.endswith(".yaml")
    )
    return tuple(sorted(names))


_BUNDLED_KEY = "bundled:"
#: The longest chain of overlays a rule file may start: an overlay of an overlay of ... of a
#: ruleset, this many ``extends:`` deep at most.
MAX_EXTENDS = 8


@functools.cache
def _load_bundled(name: str) -> RuleSet:
    source = f"rules/{name}.yaml"
    # Its data as the strict YAML reader gives it, read ahead as JSON (rules/read_ahead.py),
    # schema-checked and hashed when the JSON was made.
    data, sha256 = read_ahead(_bundled_dir(), name)
    if not is_overlay(data):
        return RuleSet._cross_checked(data, source)._sealed(sha256, None)
    # Bundled files are the package's own; one may extend another bundled one by name.
    return _from_data(data, source, _Origin(None, (), (_BUNDLED_KEY + name,)))


def _looks_like_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml", ".json")) or "/" in name or "\\" in name


def _shown_key(key: str) -> str:
    return key.removeprefix(_BUNDLED_KEY)


def _cycle(chain: tuple[str, ...], key: str) -> str:
    shown = [_shown_key(k) for k in (*chain[chain.index(key) :], key)]
    return (
        "expected a parent that does not extend this file again; "
        f"found a cycle: {' -> '.join(shown)}"
    )


@attrs.frozen
class _Origin:
    """Where a rule file's parent may be read from: its own folder (``None`` for a mapping),
    the folders the caller allowed, and the chain of files that led here."""

    __repr__ = attrs_repr

    folder: Path | None
    allowed: tuple[Path, ...]
    chain: tuple[str, ...]

    def permits(self, path: Path) -> bool:
        roots = (*(() if self.folder is None else (self.folder,)), *self.allowed)
        return any(path.is_relative_to(root) for root in roots)


def _roots(allow: Iterable[str | Path]) -> tuple[Path, ...]:
    return tuple(Path(root).resolve() for root in allow)


def _parent_file(data: Mapping[str, Any], source: str, origin: _Origin) -> tuple[Path, str]:
    """The parent file an overlay names, resolved, if it may be read; its chain key."""
    name = data["extends"]
    where = f"{source}: $.extends"
    base = Path.cwd() if origin.folder is None else origin.folder
    path = (base / name).resolve()
    key = str(path)
    if key in origin.chain:
        raise RuleSetError(source, [Problem(where, _cycle(origin.chain, key))])
    if not origin.permits(path):
        inside = "" if origin.folder is None else f"inside the overlay's folder {origin.folder} "
        message = (
            f"expected a bundled ruleset name or a rule file {inside}or a folder the caller "
            f"allows (allow=[...]); found {shown(name)}, outside them: kla_model reads no "
            "other file"
        )
        raise RuleSetError(source, [Problem(where, message)])
    if not path.is_file():
        at = shown(str(base / name))
        message = f"expected a rule file at {at} (relative to the overlay); found none"
        raise RuleSetError(source, [Problem(where, message)])
    return path, key


def _bundled_parent(data: Mapping[str, Any], source: str, origin: _Origin) -> RuleSet:
    name = data["extends"]
    where = f"{source}: $.extends"
    if name not in bundled_rulesets():
        known = ", ".join(bundled_rulesets())
        message = (
            f"expected a bundled ruleset name ({known}) or the path of a rule file "
            f"(ending in .yaml, .yml or .json); found {shown(name)}"
        )
        raise RuleSetError(source, [Problem(where, message)])
    key = _BUNDLED_KEY + name
    if key in origin.chain:
        raise RuleSetError(source, [Problem(where, _cycle(origin.chain, key))])
    return _load_bundled(name)


def _overlay_chain(
    data: Mapping[str, Any], source: str, origin: _Origin
) -> tuple[list[tuple[Mapping[str, Any], str]], RuleSet]:
    """The overlays from ``data`` up (each schema-checked), and the ruleset at the top.

    Iterative and bounded: a chain deeper than :data:`MAX_EXTENDS` is refused, naming it.
    """
    overlays: list[tuple[Mapping[str, Any], str]] = []
    current: Any = data
    while True:
        problems = schema_problems("overlay", current, source)
        if problems:
            raise RuleSetError(source, problems)
        overlays.append((current, source))
        if not _looks_like_path(current["extends"]):
            return overlays, _bundled_parent(current, source, origin)
        if len(overlays) >= MAX_EXTENDS:
            chain = " -> ".join([*map(_shown_key, origin.chain), shown(current["extends"])])
            message = (
                f"expected at most {MAX_EXTENDS} overlays, each extending the next; "
                f"found a longer chain: {chain}"
            )
            raise RuleSetError(source, [Problem(f"{source}: $.extends", message)])
        path, key = _parent_file(current, source, origin)
        current, source = load_data_file(path, RuleSetError), str(path)
        origin = _Origin(path.parent, origin.allowed, (*origin.chain, key))
        if not isinstance(current, Mapping):
            found = type(current).__name__
            raise RuleSetError(source, [Problem(source, f"expected a mapping; found {found}")])
        if not is_overlay(current):
            return overlays, RuleSet._complete(dict(current), source)


def _merged_once(
    parent_data: dict[str, Any], overlay: Mapping[str, Any], source: str, parent_id: str
) -> dict[str, Any]:
    merged, merge_problems = merge(parent_data, overlay, source)
    if merge_problems:
        raise RuleSetError(f"{source} (extending {parent_id})", merge_problems)
    return merged


def _merged(data: Mapping[str, Any], source: str, origin: _Origin) -> RuleSet:
    """An overlay (or a chain of them) over its parent, validated in full once, at the end."""
    overlays, top = _overlay_chain(data, source, origin)
    merged, ref = top.to_dict(), top.ref
    for overlay, overlay_source in reversed(overlays[1:]):
        what = f"{ref.id} {ref.version}"
        merged = _merged_once(merged, overlay, overlay_source, what)
        # A middle overlay is checked for shape only (the next merge needs it), not built.
        problems = schema_problems("ruleset", merged, overlay_source)
        if problems:
            relocated = [overlay_location(p, merged, overlay_source) for p in problems]
            raise RuleSetError(f"{overlay_source} (extending {what})", relocated)
        digest = content_hash({**merged, "extends": ref.to_dict()})
        ref = RuleSetRef(merged["id"], merged["version"], merged["status"], digest, ref)
    what = f"{source} (extending {ref.id} {ref.version})"
    merged = _merged_once(merged, data, source, f"{ref.id} {ref.version}")
    try:
        ruleset = RuleSet._complete(merged, source)
    except RuleSetError as invalid:
        relocated = [overlay_location(p, merged, source) for p in invalid.problems]
        raise RuleSetError(what, relocated) from None
    # The parent's hash is part of the content: an overlay never hashes like its parent.
    digest = content_hash({**merged, "extends": ref.to_dict()})
    return ruleset._sealed(digest, ref)


def _from_data(data: Any, source: str, origin: _Origin) -> RuleSet:
    if not isinstance(data, Mapping):
        found = type(data).__name__
        raise RuleSetError(source, [Problem(source, f"expected a mapping; found {found}")])
    if is_overlay(data):
        return _merged(data, source, origin)
    return RuleSet._complete(dict(data), source)


def load_ruleset(name_or_path: str | Path, *, allow: Iterable[str | Path] = ()) -> RuleSet:
    """A bundled ruleset by name (``"perpres-25-2021"``), or a rule file by path.

    A rule file may be an overlay that ``extends:`` another ruleset: a bundled name, or a
    rule file inside the overlay's own folder (or below it), given relative to the overlay.
    A parent anywhere else is read only from inside a folder named in ``allow``; chains are
    at most :data:`MAX_EXTENDS` overlays deep.  The merged ruleset is returned.
    """
    if isinstance(name_or_path, str) and not _looks_like_path(name_or_path):
        if name_or_path in bundled_rulesets():
            return _load_bundled(name_or_path)
        if not Path(name_or_path).is_file():
            known = ", ".join(bundled_rulesets())
            raise UnknownRuleSetError(
                f"ruleset {shown(name_or_path)}: expected a bundled ruleset name ({known}) "
                "or the path of a rule file; found neither"
            )
    path = Path(name_or_path)
    data = load_data_file(path, RuleSetError)
    resolved = path.resolve()
    origin = _Origin(resolved.parent, _roots(allow), (str(resolved),))
    return _from_data(data, str(name_or_path), origin)


class NoRoundError(RoundNotCoveredError):
    """A table has no row with a round (a whole-number year) to choose a ruleset by."""


class MixedRoundsError(RoundNotCoveredError):
    """A table's rounds are in force under different rulesets; ``in_force`` says which."""

    def __init__(self, in_force: Mapping[int, RuleSet]) -> None:
        self.in_force = MappingProxyType(dict(in_force))
        rounds = ", ".join(f"{year}: {ruleset.id}" for year, ruleset in in_force.items())
        super().__init__(f"expected rounds of one ruleset; found {rounds}")


def ruleset_for_rounds(rounds: Iterable[int], rulesets: Iterable[RuleSet] | None = None) -> RuleSet:
    """The one ruleset in force for every round in ``rounds`` (a table's years), chosen among
    ``rulesets`` (default: the bundled ones) as :func:`ruleset_for` chooses for each: what
    ``kla batch`` and the service's ``POST /batch`` score a table with when none is named.

    Raises :class:`NoRoundError` for no round, :func:`ruleset_for`'s error for the first
    round (in order) no ruleset covers, and :class:`MixedRoundsError` for rounds of several
    rulesets; the callers word each for their users (which option names a ruleset).
    """
    candidates = None if rulesets is None else tuple(rulesets)
    in_force = {year: ruleset_for(year, candidates) for year in sorted(set(rounds))}
    if not in_force:
        raise NoRoundError("expected a row with a year to choose a ruleset by; found none")
    if len({ruleset.id for ruleset in in_force.values()}) > 1:
        raise MixedRoundsError(in_force)
    return next(iter(in_force.values()))


def _windows(rulesets: Iterable[RuleSet]) -> str:
    shown = [f"{rs.id} {rs.applies_to}" for rs in rulesets if rs.applies_to is not None]
    return ", ".join(shown) or "none declares its rounds"


@functools.cache
def _bundled_window(name: str) -> Window | None:
    """The rounds a bundled rule file declares, read without parsing or building all of it
    (:mod:`kla_model.rules.declared_window`); a file not written plainly is refused."""
    source = f"rules/{name}.yaml"
    try:
        return declared_window(_bundled_dir().joinpath(f"{name}.yaml").read_text("utf-8"))
    except ValueError as unplain:
        raise RuleSetError(source, [Problem(f"{source}: $.applies_to", str(unplain))]) from None


def _may_apply(name: str, round: int) -> bool:
    """Whether bundled ruleset ``name`` is in force for ``round`` by the rounds its file
    declares (``False`` for a file that declares none, which is never in force)."""
    window = _bundled_window(name)
    if window is None:
        return False
    first, last = window
    return first <= round and (last is None or round <= last)


def ruleset_for(round: int, rulesets: Iterable[RuleSet] | None = None) -> RuleSet:
    """The ruleset in force for evaluation round ``round`` (a year).

    Chooses among ``rulesets`` (default: the bundled ones) by the rounds each declares in
    ``applies_to``; a ruleset that declares none (like the illustrative village-level one)
    is never chosen.  Raises :class:`RoundNotCoveredError` naming the round and the windows
    when no ruleset, or more than one, applies.  For a year in which, as far as the record
    of :mod:`kla_model.rules.rounds` shows, no round was held (2014, 2016, 2020, 2024), it
    still returns the ruleset whose window covers the year, and warns with
    :class:`~kla_model.errors.RoundNotHeldWarning`.
    """
    if not isinstance(round, int) or isinstance(round, bool):
        raise RoundNotCoveredError(
            f"round: expected an evaluation round as a year (an integer); found {shown(round)}"
        )
    if rulesets is None:
        # Build only the bundled rulesets whose files declare the round (reading a file's
        # window is cheap; parsing, checking and building a ruleset is not); their built
        # windows decide.  All of them are built only to word an error.
        likely = [load_ruleset(name) for name in bundled_rulesets() if _may_apply(name, round)]
        in_force = [rs for rs in likely if rs.applies_to is not None and round in rs.applies_to]
        if len(in_force) == 1:
            warn_if_not_held(round)
            return in_force[0]
    candidates = (
        [load_ruleset(name) for name in bundled_rulesets()] if rulesets is None else list(rulesets)
    )
    in_force = [rs for rs in candidates if rs.applies_to is not None and round in rs.applies_to]
    if not in_force:
        raise RoundNotCoveredError(
            f"round {round}: expected a round that a ruleset applies to; "
            f"none does (rounds by ruleset: {_windows(candidates)})"
        )
    if len(in_force) > 1:
        raise RoundNotCoveredError(
            f"round {round}: expected exactly one ruleset in force; "
            f"{len(in_force)} apply ({_windows(in_force)})"
        )
    warn_if_not_held(round)
    return in_force[0]
