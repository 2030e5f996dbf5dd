"""Crosswalks: carrying a submission's answers from one instrument's indicators to another's.

KLA changed instrument between the 2017 and 2018 rounds (31 indicators to 24).  A crosswalk
file lists every indicator of the older ruleset once: mapped to an indicator of the newer
one, item by item, or dropped with the reason it has no counterpart.
:func:`kla_model.carry_over` uses it to turn a legacy submission into one the newer ruleset
can score, so that a district's scores across the change of instrument can be compared.

A crosswalk is checked against both rulesets when it is loaded: ids that exist, every old
indicator and item listed exactly once, no new item fed twice, and answers that the new
item's rule accepts.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from kla_model._base.json_schema import json_path, schema_problems
from kla_model._base.strict_yaml import load_data_file, parse_yaml
from kla_model.errors import Problem, RuleSetError, UnknownRuleSetError
from kla_model.rules.answers import ItemAnswer
from kla_model.rules.model import Item, Label
from kla_model.rules.point_rules import LevelsRule
from kla_model.rules.ruleset import RuleSet, _bundled_dir, load_ruleset

__all__ = [
    "Crosswalk",
    "IndicatorLink",
    "ItemLink",
    "bundled_crosswalks",
    "crosswalk_from_mapping",
    "load_crosswalk",
]

JsonPath = list[str | int]


def _frozen(value: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    return None if value is None else MappingProxyType(dict(value))


@attrs.frozen
class ItemLink:
    """Where one old item's answer goes: a new item (copied, or through ``levels``), or nowhere."""

    from_id: str
    to_id: str | None = None
    #: Old level id -> answer of the new item; ``None`` copies the answer as it is.
    levels: Mapping[str, ItemAnswer] | None = attrs.field(
        default=None, converter=_frozen, hash=False
    )
    dropped: str | None = None

    def carry(self, answer: ItemAnswer) -> ItemAnswer:
        """The new item's answer for the old item's ``answer``."""
        return answer if self.levels is None else self.levels[str(answer)]


@attrs.frozen
class IndicatorLink:
    """Where one old indicator goes: a new indicator, item by item, or nowhere (``dropped``)."""

    from_id: str
    to_id: str | None
    match: str | None
    note: str | None
    dropped: str | None
    items: tuple[ItemLink, ...]


@attrs.frozen
class Crosswalk:
    """A checked crosswalk between two loaded rulesets."""

    id: str
    label: Label
    source: str
    from_ruleset: RuleSet = attrs.field(repr=False)
    to_ruleset: RuleSet = attrs.field(repr=False)
    indicators: tuple[IndicatorLink, ...]
    origin: str = attrs.field(default="", eq=False)

    def link(self, indicator_id: str) -> IndicatorLink:
        """The link of the old indicator ``indicator_id``; ``KeyError`` if it has none."""
        for link in self.indicators:
            if link.from_id == indicator_id:
                return link
        raise KeyError(indicator_id)

    @property
    def dropped(self) -> dict[str, str]:
        """Every old indicator or item with no counterpart, with the reason."""
        found: dict[str, str] = {}
        for link in self.indicators:
            if link.dropped is not None:
                found[link.from_id] = link.dropped
            found |= {item.from_id: item.dropped for item in link.items if item.dropped}
        return found

    @property
    def uncovered(self) -> tuple[str, ...]:
        """The new indicators no old indicator carries over to, in the new ruleset's order."""
        fed = {link.to_id for link in self.indicators}
        return tuple(i for i in self.to_ruleset.indicators if i not in fed)


# --- Loading and checking ----------------------------------------------------------------------


class _Checks:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, path: JsonPath, message: str) -> None:
        self.problems.append(Problem(f"{self.source}: {json_path(path)}", message))


def _as_answer(value: Any) -> ItemAnswer:
    return tuple(value) if isinstance(value, list) else value


def _kind_problem(old: Item, new: Item) -> str | None:
    """Why ``old``'s answers cannot be copied to ``new`` unchanged, or ``None``."""
    old_kind, new_kind = old.rule.kind, new.rule.kind
    # A number with its data year may be copied between any two measured kinds.
    if old.rule.measured and new.rule.measured:
        old_unit, new_unit = getattr(old.rule, "unit", None), getattr(new.rule, "unit", None)
        if old_unit != new_unit:
            return f"expected the same unit to copy a number; found {old_unit!r} -> {new_unit!r}"
        return None
    if old_kind != new_kind:
        return (
            f"expected rules taking the same kind of answer to copy it; found {old_kind} -> "
            f"{new_kind}: give 'levels' to map each old level to a new answer"
        )
    ids = _id_field(old.rule.fields)
    if ids is not None:
        missing = sorted(
            {o.id for o in getattr(old.rule, ids)} - {o.id for o in getattr(new.rule, ids)}
        )
        if missing:
            return f"expected every old {ids[:-1]} id in {new.id}; missing {', '.join(missing)}"
    return None


def _id_field(fields: tuple[str, ...]) -> str | None:
    """The field of a rule's mapping that lists the ids its answers name (levels, options)."""
    return next((field for field in fields if field in ("levels", "options")), None)


def _check_levels(
    old: Item, new: Item, levels: Mapping[str, Any], path: JsonPath, out: _Checks
) -> None:
    if old.rule.answer_form != "level":
        out.add(path, f"expected 'levels' only for a levels item; {old.id} is {old.rule.kind}")
        return
    assert isinstance(old.rule, LevelsRule)  # the one kind answered by a level (for typing)
    expected = [level.id for level in old.rule.levels]
    missing = [level for level in expected if level not in levels]
    extra = [level for level in levels if level not in expected]
    if missing or extra:
        out.add(
            path,
            f"expected exactly the levels of {old.id} ({', '.join(expected)}); "
            f"missing {missing or 'none'}, unknown {extra or 'none'}",
        )
    for level, answer in levels.items():
        problem = new.rule.problem(_as_answer(answer))
        if problem is not None:
            out.add([*path, level], f"{new.id}: {problem}")


def _item_link(
    data: Mapping[str, Any],
    indicators: tuple[str, str | None],
    pair: tuple[RuleSet, RuleSet],
    path: JsonPath,
    out: _Checks,
) -> ItemLink:
    """One item's link; ``indicators`` are the old indicator and the new one (if it exists)."""
    old_rs, new_rs = pair
    old_ind, new_ind = indicators
    old = old_rs.items.get(data["from"])
    if old is None or old not in old_rs.indicators[old_ind].items:
        out.add([*path, "from"], f"expected an item of {old_ind}; found {data['from']!r}")
        old = None
    if "dropped" in data:
        return ItemLink(data["from"], dropped=data["dropped"])
    new = new_rs.items.get(data["to"])
    if new is None or new_ind is None or new not in new_rs.indicators[new_ind].items:
        out.add([*path, "to"], f"expected an item of {new_ind}; found {data['to']!r}")
    elif old is not None:
        if "levels" in data:
            _check_levels(old, new, data["levels"], [*path, "levels"], out)
        else:
            problem = _kind_problem(old, new)
            if problem is not None:
                out.add(path, f"{old.id} -> {new.id}: {problem}")
    levels = data.get("levels")
    mapped = None if levels is None else {k: _as_answer(v) for k, v in levels.items()}
    return ItemLink(data["from"], data["to"], mapped)


def _indicator_link(
    data: Mapping[str, Any], pair: tuple[RuleSet, RuleSet], path: JsonPath, out: _Checks
) -> IndicatorLink:
    old_rs, new_rs = pair
    from_id = data["from"]
    if from_id not in old_rs.indicators:
        out.add([*path, "from"], f"expected an indicator of {old_rs.id}; found {from_id!r}")
        return IndicatorLink(from_id, None, None, None, data.get("dropped", ""), ())
    if "dropped" in data:
        return IndicatorLink(from_id, None, None, None, data["dropped"], ())
    to_id = data["to"]
    if to_id not in new_rs.indicators:
        out.add([*path, "to"], f"expected an indicator of {new_rs.id}; found {to_id!r}")
    new_ind = to_id if to_id in new_rs.indicators else None
    items = tuple(
        _item_link(item, (from_id, new_ind), pair, [*path, "items", n], out)
        for n, item in enumerate(data["items"])
    )
    listed = Counter(item.from_id for item in items)
    expected = [item.id for item in old_rs.indicators[from_id].items]
    unlisted = [item for item in expected if item not in listed]
    twice = sorted(item for item, count in listed.items() if count > 1)
    if unlisted or twice:
        out.add(
            [*path, "items"],
            f"expected each item of {from_id} listed once; "
            f"not listed: {unlisted or 'none'}, listed twice: {twice or 'none'}",
        )
    return IndicatorLink(from_id, to_id, data["match"], data.get("note"), None, items)


def _coverage(links: tuple[IndicatorLink, ...], old_rs: RuleSet, out: _Checks) -> None:
    listed = Counter(link.from_id for link in links)
    unlisted = [i for i in old_rs.indicators if i not in listed]
    twice = sorted(i for i, count in listed.items() if count > 1)
    if unlisted or twice:
        out.add(
            ["indicators"],
            f"expected every indicator of {old_rs.id} listed once, mapped or dropped; "
            f"not listed: {unlisted or 'none'}, listed twice: {twice or 'none'}",
        )
    targets = Counter(item.to_id for link in links for item in link.items if item.to_id)
    for item_id, count in sorted(targets.items()):
        if count > 1:
            message = f"expected each new item fed once; {item_id} is fed {count} times"
            out.add(["indicators"], message)


def _ruleset(name: str, given: RuleSet | None, path: JsonPath, source: str) -> RuleSet:
    if given is None:
        return load_ruleset(name)
    if given.id != name:
        where = f"{source}: {json_path(path)}"
        message = f"expected the ruleset {name!r} the crosswalk names; found {given.id!r}"
        raise RuleSetError(source, [Problem(where, message)])
    return given


def crosswalk_from_mapping(
    data: Any,
    source: str = "crosswalk",
    from_ruleset: RuleSet | None = None,
    to_ruleset: RuleSet | None = None,
) -> Crosswalk:
    """Validate and check a crosswalk mapping; its rulesets are loaded by name unless given."""
    if not isinstance(data, Mapping):
        found = type(data).__name__
        raise RuleSetError(source, [Problem(source, f"expected a mapping; found {found}")])
    problems = schema_problems("crosswalk", data, source)
    if problems:
        raise RuleSetError(source, problems)
    pair = (
        _ruleset(data["from"], from_ruleset, ["from"], source),
        _ruleset(data["to"], to_ruleset, ["to"], source),
    )
    out = _Checks(source)
    links = tuple(
        _indicator_link(link, pair, ["indicators", i], out)
        for i, link in enumerate(data["indicators"])
    )
    _coverage(links, pair[0], out)
    if out.problems:
        raise RuleSetError(source, out.problems)
    return Crosswalk(
        id=data["id"],
        label=Label.from_dict(data["label"]),
        source=data["source"],
        from_ruleset=pair[0],
        to_ruleset=pair[1],
        indicators=links,
        origin=source,
    )


def _crosswalk_dir() -> Path:
    return _bundled_dir().joinpath("crosswalks")


def bundled_crosswalks() -> tuple[str, ...]:
    """The names of the crosswalks shipped with kla_model, sorted."""
    directory = _crosswalk_dir()
    files = directory.iterdir() if directory.is_dir() else iter(())
    return tuple(sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml")))


@functools.cache
def _load_bundled(name: str) -> Crosswalk:
    text = _crosswalk_dir().joinpath(f"{name}.yaml").read_text("utf-8")
    source = f"rules/crosswalks/{name}.yaml"
    return crosswalk_from_mapping(parse_yaml(text, source, RuleSetError), source)


def load_crosswalk(
    name_or_path: str | Path,
    from_ruleset: RuleSet | None = None,
    to_ruleset: RuleSet | None = None,
) -> Crosswalk:
    """A bundled crosswalk by name, or a crosswalk file by path, checked against its rulesets.

    The rulesets are the bundled ones the file names (``from``, ``to``), unless given; a
    given ruleset must have the id the file names (an overlay of it, say, needs its own
    crosswalk or the same id).
    """
    if isinstance(name_or_path, str) and name_or_path in bundled_crosswalks():
        if from_ruleset is None and to_ruleset is None:
            return _load_bundled(name_or_path)
        name_or_path = str(_crosswalk_dir().joinpath(f"{name_or_path}.yaml"))
    path = Path(name_or_path)
    if not path.is_file():
        known = ", ".join(bundled_crosswalks())
        raise UnknownRuleSetError(
            f"crosswalk {str(name_or_path)!r}: expected a bundled crosswalk name ({known}) "
            "or the path of a crosswalk file; found neither"
        )
    data = load_data_file(path, RuleSetError)
    return crosswalk_from_mapping(data, str(name_or_path), from_ruleset, to_ruleset)
