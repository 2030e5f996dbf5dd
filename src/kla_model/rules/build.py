"""Turn a schema-valid ruleset mapping into domain objects, and check what the schema cannot.

The JSON Schema checks each value on its own; this module checks the rules that span
objects: unique ids, maxima that add up (items to indicator, indicators to group, groups to
the ruleset), each point rule's own numbers, reference series that exist, and a tier scale
in ascending order whose conditions name real indicators and groups.  Every problem is
collected, with its JSON path, before anything is raised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model._base.json_schema import json_path
from kla_model.errors import Problem
from kla_model.rules.model import EvidenceRule, Group, Indicator, Item, Label
from kla_model.rules.point_rules import RULE_CLASSES, rule_from_mapping, same_points
from kla_model.rules.points import MAX_DECIMALS, decimal_places, decimal_sum
from kla_model.rules.references import ReferencePoint, ReferenceSeries
from kla_model.rules.tiers import NO_TIER_LABEL, Tier, TierScale

__all__ = ["Built", "build"]

Path = list[str | int]


@attrs.frozen
class Built:
    """The parts of a ruleset, or the problems that kept it from being built."""

    __repr__ = attrs_repr

    groups: tuple[Group, ...]
    references: tuple[ReferenceSeries, ...]
    tiers: TierScale | None
    problems: tuple[Problem, ...]


class _Collector:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, path: Path, message: str) -> None:
        self.problems.append(Problem(f"{self.source}: {json_path(path)}", message))


def _duplicates(ids: Iterable[tuple[Path, str]], what: str, out: _Collector) -> None:
    listed = list(ids)
    counts = Counter(value for _, value in listed)
    for path, value in listed:
        if counts[value] > 1:
            out.add(path, f"duplicate {what} id {value!r}")


def _series(data: Mapping[str, Any], out: _Collector) -> dict[str, ReferenceSeries]:
    series: dict[str, ReferenceSeries] = {}
    for index, entry in enumerate(data.get("references", [])):
        years = [value["year"] for value in entry["values"]]
        if years != sorted(set(years)):
            out.add(
                ["references", index, "values"],
                f"expected distinct years in ascending order; found {years}",
            )
            continue
        points = tuple(
            ReferencePoint(v["year"], float(v["value"]), v.get("source")) for v in entry["values"]
        )
        series[entry["id"]] = ReferenceSeries(
            entry["id"], Label.from_dict(entry["label"]), entry["source"], entry["unit"], points
        )
    _duplicates(
        ((["references", i, "id"], e["id"]) for i, e in enumerate(data.get("references", []))),
        "reference series",
        out,
    )
    return series


def _item(
    data: Mapping[str, Any], path: Path, series: Mapping[str, ReferenceSeries], out: _Collector
) -> Item:
    item_max = float(data["max"])
    rule = rule_from_mapping(data["rule"], item_max, series)
    for subpath, message in rule.inconsistencies(item_max):
        out.add([*path, "rule", *subpath], message)
    evidence = data.get("evidence")
    return Item(
        id=data["id"],
        label=Label.from_dict(data["label"]),
        max=item_max,
        rule=rule,
        evidence=None
        if evidence is None
        else EvidenceRule(evidence["required"], tuple(evidence["kinds"])),
    )


def _sum_check(
    parts: Iterable[float], whole: float, path: Path, what: str, out: _Collector
) -> None:
    total = decimal_sum(parts)  # the decimals as written, added exactly
    if not same_points(total, whole):
        out.add(path, f"expected {what} to add up to {whole:g}; they add up to {total:g}")


def _indicator(
    data: Mapping[str, Any], path: Path, series: Mapping[str, ReferenceSeries], out: _Collector
) -> Indicator:
    items = tuple(
        _item(item, [*path, "items", i], series, out) for i, item in enumerate(data["items"])
    )
    _sum_check(
        (float(item["max"]) for item in data["items"]),
        float(data["max"]),
        [*path, "max"],
        "the item maxima",
        out,
    )
    return Indicator(
        id=data["id"],
        number=data.get("number"),
        label=Label.from_dict(data["label"]),
        type=data["type"],
        source=data["source"],
        max=float(data["max"]),
        items=items,
    )


def _groups(
    data: Mapping[str, Any], series: Mapping[str, ReferenceSeries], out: _Collector
) -> tuple[Group, ...]:
    groups = []
    for g, group in enumerate(data["groups"]):
        path: Path = ["groups", g]
        indicators = tuple(
            _indicator(ind, [*path, "indicators", i], series, out)
            for i, ind in enumerate(group["indicators"])
        )
        _sum_check(
            (float(i["max"]) for i in group["indicators"]),
            float(group["max"]),
            [*path, "max"],
            "the indicator maxima",
            out,
        )
        groups.append(
            Group(group["id"], Label.from_dict(group["label"]), float(group["max"]), indicators)
        )
    _sum_check(
        (float(g["max"]) for g in data["groups"]),
        float(data["max_score"]),
        ["max_score"],
        "the group maxima",
        out,
    )
    return tuple(groups)


def _check_ids(data: Mapping[str, Any], out: _Collector) -> None:
    groups = list(enumerate(data["groups"]))
    _duplicates(((["groups", g, "id"], group["id"]) for g, group in groups), "group", out)
    indicators = [(g, i, ind) for g, group in groups for i, ind in enumerate(group["indicators"])]
    _duplicates(
        ((["groups", g, "indicators", i, "id"], ind["id"]) for g, i, ind in indicators),
        "indicator",
        out,
    )
    _duplicates(
        (
            (["groups", g, "indicators", i, "items", n, "id"], item["id"])
            for g, i, ind in indicators
            for n, item in enumerate(ind["items"])
        ),
        "item",
        out,
    )


def _rank(tier: Tier) -> tuple[float, int]:
    """Orders thresholds: ``>= 600`` comes before ``> 600``."""
    return (tier.min, 0 if tier.min_inclusive else 1)


def _tiers(data: Mapping[str, Any], groups: tuple[Group, ...], out: _Collector) -> TierScale:
    scale = data["tiers"]
    tiers = tuple(Tier.from_dict(tier) for tier in scale["scale"])
    _duplicates(
        ((["tiers", "scale", i, "id"], tier.id) for i, tier in enumerate(tiers)), "tier", out
    )
    maxima = {("group", g.id): g.max for g in groups}
    maxima |= {("indicator", i.id): i.max for g in groups for i in g.indicators}
    max_score = float(data["max_score"])
    for index, tier in enumerate(tiers):
        path: Path = ["tiers", "scale", index]
        if index and _rank(tier) <= _rank(tiers[index - 1]):
            out.add(
                [*path, "min"],
                f"expected a threshold above the previous tier's ({tiers[index - 1].threshold}); "
                f"found {tier.threshold}: tiers are listed from lowest to highest",
            )
        if tier.min > max_score or (tier.min == max_score and not tier.min_inclusive):
            out.add(
                [*path, "min"],
                f"expected a threshold a total of at most {max_score:g} can reach; "
                f"found {tier.threshold}",
            )
        for c, condition in enumerate(tier.requires):
            key = (condition.scope, condition.id)
            if key not in maxima:
                out.add(
                    [*path, "requires", c, "id"],
                    f"expected an existing {condition.scope} id; found {condition.id!r}",
                )
            elif condition.min_points > maxima[key]:
                out.add(
                    [*path, "requires", c, "min_points"],
                    f"expected at most the {condition.scope}'s max {maxima[key]:g}; "
                    f"found {condition.min_points:g}",
                )
    none_label = scale.get("none_label")
    return TierScale(tiers, NO_TIER_LABEL if none_label is None else Label.from_dict(none_label))


def _check_series_references(
    data: Mapping[str, Any], series: Mapping[str, ReferenceSeries], out: _Collector
) -> None:
    known = ", ".join(sorted(series)) or "none"
    for g, group in enumerate(data["groups"]):
        for i, indicator in enumerate(group["indicators"]):
            for n, item in enumerate(indicator["items"]):
                rule = item["rule"]
                if "series" in rule and rule["series"] not in series:
                    path: Path = ["groups", g, "indicators", i, "items", n, "rule", "series"]
                    found = rule["series"]
                    out.add(path, f"expected a reference series id ({known}); found {found!r}")


def _found(data: Any, keys: tuple[str, ...], path: Path) -> Iterable[tuple[Path, Any]]:
    """The values at ``keys`` under ``data`` (``*``: every entry of a list), with their paths."""
    if not keys:
        yield path, data
        return
    key, rest = keys[0], keys[1:]
    if key == "*":
        for index, entry in enumerate(data):
            yield from _found(entry, rest, [*path, index])
    elif isinstance(data, Mapping) and key in data:
        yield from _found(data[key], rest, [*path, key])


def _point_numbers(data: Mapping[str, Any]) -> Iterable[tuple[Path, Any]]:
    """Every point value, maximum and threshold of a ruleset mapping, with its path."""
    yield ["max_score"], data["max_score"]
    for g, group in enumerate(data["groups"]):
        yield ["groups", g, "max"], group["max"]
        for i, indicator in enumerate(group["indicators"]):
            at: Path = ["groups", g, "indicators", i]
            yield [*at, "max"], indicator["max"]
            for n, item in enumerate(indicator["items"]):
                yield [*at, "items", n, "max"], item["max"]
                rule = item["rule"]
                for keys in RULE_CLASSES[rule["kind"]].point_paths:
                    yield from _found(rule, keys, [*at, "items", n, "rule"])
    for t, tier in enumerate(data["tiers"]["scale"]):
        yield ["tiers", "scale", t, "min"], tier["min"]
        for c, condition in enumerate(tier.get("requires", ())):
            yield ["tiers", "scale", t, "requires", c, "min_points"], condition["min_points"]


def _check_decimals(data: Mapping[str, Any], out: _Collector) -> None:
    """Points are added exactly in units of the finest decimal place (``rules/points.py``),
    which must stay within :data:`MAX_DECIMALS`."""
    for path, value in _point_numbers(data):
        if decimal_places(value) > MAX_DECIMALS:
            out.add(path, f"expected at most {MAX_DECIMALS} decimal places; found {value!r}")


def build(data: Mapping[str, Any], source: str) -> Built:
    """Build and cross-check a ruleset mapping that already passed the JSON Schema.

    Problems that make objects impossible to build (duplicate ids, unknown series) are
    reported first, alone; the sums, point rules and tier scale are checked while building.
    """
    out = _Collector(source)
    window = data.get("applies_to")
    if window and "to" in window and window["to"] < window["from"]:
        found = window["to"]
        out.add(["applies_to", "to"], f"expected a round from {window['from']} on; found {found}")
    _check_ids(data, out)
    series = _series(data, out)
    _check_series_references(data, series, out)
    _check_decimals(data, out)
    if out.problems:
        return Built((), (), None, tuple(out.problems))
    groups = _groups(data, series, out)
    tiers = _tiers(data, groups, out)
    return Built(groups, tuple(series.values()), tiers, tuple(out.problems))
