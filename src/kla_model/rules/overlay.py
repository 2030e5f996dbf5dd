"""Overlays: a rule file that ``extends:`` another and changes only what it names.

The people holding the official instrument (KepMen PPPA 21/2023) can put its numbers over a
bundled provisional ruleset without copying, or touching, anything else.  An overlay
addresses what it changes by id: ``groups``, ``indicators`` and ``items`` by their ids,
a rule's ``levels`` and ``options`` by theirs, ``references`` by series id and the tier
``scale`` by tier id.  It cannot add or remove groups, indicators or items: a different
structure is a different ruleset, written in full.

This module only merges plain data: :func:`merge` takes the parent's mapping and the
overlay's and returns the merged mapping, or every problem found, each located in the
overlay file.  Loading the parent, and validating the merged ruleset in full, is the
business of :mod:`kla_model.rules.ruleset`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from typing import Any

from kla_model._base.json_schema import json_path
from kla_model._base.suggest import did_you_mean
from kla_model.errors import Problem
from kla_model.rules.point_rules import RULE_CLASSES

__all__ = ["REPLACED_FIELDS", "is_overlay", "merge", "overlay_location"]

#: Top-level fields an overlay replaces as a whole when it names them.
REPLACED_FIELDS = (
    "id",
    "version",
    "status",
    "source",
    "label",
    "description",
    "applies_to",
    "max_data_age",
    "max_score",
)

#: Rule fields that are small mappings, changed key by key.
_MERGED_RULE_FIELDS = ("from", "to", "points")

Path = list[str | int]


def is_overlay(data: object) -> bool:
    """Whether parsed rule-file data is an overlay (it names a parent in ``extends``)."""
    return isinstance(data, Mapping) and "extends" in data


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[Problem] = []

    def add(self, path: Path, message: str) -> None:
        self.found.append(Problem(f"{self.source}: {json_path(path)}", message))


def _unknown(what: str, found: str, known: Iterable[str]) -> str:
    hint = did_you_mean(found, known)
    return (
        f"expected the id of an existing {what}; found {found!r}{hint}: "
        "an overlay changes what its parent has and cannot add to it"
    )


def _by_id(entries: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in entries}


def _patch_fields(target: dict[str, Any], patch: Mapping[str, Any]) -> None:
    for key, value in patch.items():
        target[key] = copy.deepcopy(value)


def _patch_by_id(
    entries: list[dict[str, Any]],
    patches: Mapping[str, Mapping[str, Any]],
    what: str,
    path: Path,
    out: _Problems,
) -> None:
    """Change the entries named in ``patches`` (a mapping id -> changed fields) in place."""
    index = _by_id(entries)
    for entry_id, patch in patches.items():
        if entry_id not in index:
            out.add([*path, entry_id], _unknown(what, entry_id, index))
        else:
            _patch_fields(index[entry_id], patch)


def _rule(
    rule: dict[str, Any], patch: Mapping[str, Any], item_id: str, path: Path, out: _Problems
) -> dict[str, Any]:
    """The item's rule with ``patch`` applied; a rule of another kind replaces it whole."""
    kind = patch.get("kind", rule["kind"])
    if kind != rule["kind"]:
        for field in ("levels", "options"):
            if isinstance(patch.get(field), Mapping):
                out.add(
                    [*path, field],
                    f"expected a list of {field}: a rule of another kind ({kind!r} instead "
                    f"of {rule['kind']!r}) is written in full; found changes by id",
                )
        return copy.deepcopy(dict(patch))
    merged = copy.deepcopy(rule)
    allowed = RULE_CLASSES[kind].fields  # what a rule of its kind may have changed
    for field, value in patch.items():
        if field == "kind":
            continue
        if field not in allowed:
            has = ", ".join(allowed) or "nothing but its kind"
            out.add(
                [*path, field],
                f"item {item_id}'s rule is of kind {kind!r}, which has no {field!r} "
                f"(it has {has}); to change the kind, give 'kind' and the rule in full",
            )
        elif field in ("levels", "options") and isinstance(value, Mapping):
            what = f"{field.removesuffix('s')} of item {item_id}"
            _patch_by_id(merged[field], value, what, [*path, field], out)
        elif field in _MERGED_RULE_FIELDS:
            merged[field] = {**merged[field], **copy.deepcopy(value)}
        else:
            merged[field] = copy.deepcopy(value)
    return merged


def _items(merged: dict[str, Any], patches: Mapping[str, Any], out: _Problems) -> None:
    items = {
        item["id"]: item
        for group in merged["groups"]
        for indicator in group["indicators"]
        for item in indicator["items"]
    }
    for item_id, patch in patches.items():
        path: Path = ["items", item_id]
        if item_id not in items:
            out.add(path, _unknown("item", item_id, items))
            continue
        item = items[item_id]
        _patch_fields(item, {key: value for key, value in patch.items() if key != "rule"})
        if "rule" in patch:
            item["rule"] = _rule(item["rule"], patch["rule"], item_id, [*path, "rule"], out)


def _tiers(merged: dict[str, Any], patch: Mapping[str, Any], out: _Problems) -> None:
    tiers = merged["tiers"]
    if "none_label" in patch:
        tiers["none_label"] = copy.deepcopy(patch["none_label"])
    scale = patch.get("scale")
    if isinstance(scale, list):
        tiers["scale"] = copy.deepcopy(scale)
    elif isinstance(scale, Mapping):
        _patch_by_id(tiers["scale"], scale, "tier", ["tiers", "scale"], out)


def merge(
    parent: Mapping[str, Any], overlay: Mapping[str, Any], source: str
) -> tuple[dict[str, Any], tuple[Problem, ...]]:
    """The parent ruleset's mapping with ``overlay`` applied, and the problems found.

    ``parent`` is a complete ruleset mapping (as ``RuleSet.to_dict()`` gives), ``overlay`` a
    schema-valid overlay mapping; ``source`` names the overlay file in the problems.
    Neither input is changed.  The merged mapping still has to be validated in full.
    """
    out = _Problems(source)
    merged = copy.deepcopy(dict(parent))
    for field in REPLACED_FIELDS:
        if field in overlay:
            merged[field] = copy.deepcopy(overlay[field])
    groups = merged["groups"]
    _patch_by_id(groups, overlay.get("groups", {}), "group", ["groups"], out)
    indicators = [indicator for group in groups for indicator in group["indicators"]]
    _patch_by_id(indicators, overlay.get("indicators", {}), "indicator", ["indicators"], out)
    _items(merged, overlay.get("items", {}), out)
    references = merged.setdefault("references", [])
    _patch_by_id(references, overlay.get("references", {}), "reference series", ["references"], out)
    if not references:
        del merged["references"]
    _tiers(merged, overlay.get("tiers", {}), out)
    return merged, tuple(out.found)


# --- Locating problems of the merged ruleset in the overlay's terms --------------------------

_ITEM = re.compile(r"^\$\.groups\[(\d+)\]\.indicators\[(\d+)\]\.items\[(\d+)\](.*)$")
_INDICATOR = re.compile(r"^\$\.groups\[(\d+)\]\.indicators\[(\d+)\](.*)$")
_GROUP = re.compile(r"^\$\.groups\[(\d+)\](.*)$")
_TIER = re.compile(r"^\$\.tiers\.scale\[(\d+)\](.*)$")
_SERIES = re.compile(r"^\$\.references\[(\d+)\](.*)$")
_OPTION = re.compile(r"^\.rule\.(levels|options)\[(\d+)\](.*)$")


def _id_at(entries: Any, index: str) -> str | None:
    try:
        found = entries[int(index)]["id"]
    except (IndexError, KeyError, TypeError):
        return None
    return found if isinstance(found, str) else None


def _in_item(item: Any, rest: str) -> str:
    """``.rule.levels[2].points`` -> ``.rule.levels.perda.points``, as the overlay writes it."""
    match = _OPTION.match(rest)
    if match is None or not isinstance(item, Mapping) or not isinstance(item.get("rule"), Mapping):
        return rest
    field, index, tail = match.groups()
    option_id = _id_at(item["rule"].get(field), index)
    if option_id is None:
        return rest
    return json_path(["rule", field, option_id])[1:] + tail


def _relocated_indicator(groups: Any, path: str) -> str | None:
    """An item's or indicator's path by its id, or ``None`` if ``path`` is neither."""
    if match := _ITEM.match(path):
        g, i, n, rest = match.groups()
        try:
            item = groups[int(g)]["indicators"][int(i)]["items"][int(n)]
        except (IndexError, KeyError, TypeError):
            return path
        item_id = item.get("id") if isinstance(item, Mapping) else None
        if not isinstance(item_id, str):
            return path
        return json_path(["items", item_id]) + _in_item(item, rest)
    if match := _INDICATOR.match(path):
        g, i, rest = match.groups()
        try:
            indicator_id = _id_at(groups[int(g)]["indicators"], i)
        except (IndexError, KeyError, TypeError):
            return path
        return path if indicator_id is None else json_path(["indicators", indicator_id]) + rest
    return None


def _relocated(merged: Mapping[str, Any], path: str) -> str:
    groups = merged.get("groups", [])
    found = _relocated_indicator(groups, path)
    if found is not None:
        return found
    for pattern, entries, prefix in (
        (_GROUP, groups, ["groups"]),
        (_TIER, merged.get("tiers", {}).get("scale", []), ["tiers", "scale"]),
        (_SERIES, merged.get("references", []), ["references"]),
    ):
        if match := pattern.match(path):
            index, rest = match.groups()
            entry_id = _id_at(entries, index)
            return path if entry_id is None else json_path([*prefix, entry_id]) + rest
    return path


def overlay_location(problem: Problem, merged: Mapping[str, Any], source: str) -> Problem:
    """A problem of the merged ruleset, located where the overlay ``source`` would fix it.

    ``$.groups[0].indicators[0].max`` becomes ``$.indicators["K.1"].max``: the overlay
    addresses what it changes by id, not by position.
    """
    prefix = f"{source}: "
    if not problem.location.startswith(prefix):
        return problem
    path = problem.location.removeprefix(prefix)
    return Problem(prefix + _relocated(merged, path), problem.message)
