"""What a change costs when planning the way to a tier, and which indicators cannot change.

One *change* is raising an item to a higher level or band, answering yes, bringing a rate
past its reference, or ticking one checklist option.  Each change of an item costs the
item's own cost if one is given, else its indicator's, else ``default`` (1), so by default a
plan's cost is its number of changes.  Costs are read from a YAML or JSON file (schema
``costs``) like::

    default: 1
    indicators: {I.1: 3}
    items: {K.1.2: 2}
    fixed: [II.1]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from kla_model._base.capped import MAX_PROBLEMS, first_problems
from kla_model._base.json_schema import json_path, schema_problems, shown
from kla_model._base.strict_yaml import load_data_file
from kla_model._base.suggest import did_you_mean
from kla_model.errors import PlanError, Problem
from kla_model.rules.ruleset import RuleSet

__all__ = ["Costs", "load_costs"]


def _frozen(value: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType({key: float(cost) for key, cost in value.items()})


def _ids(ids: Iterable[str]) -> tuple[str, ...]:
    """The ids in their first order, each once (the order locates problems in a file)."""
    return tuple(dict.fromkeys(ids))


#: The largest cost of one change: a trillion (of rupiah, say).  A plan has at most some
#: thousands of changes, so its total stays far inside the range of a float, where whole
#: numbers are still exact; a larger cost is refused, as the ``costs`` schema says.
MAX_COST = 1_000_000_000_000


def _cost_problem(cost: float) -> str | None:
    if not math.isfinite(cost):
        return f"expected a finite number; found {cost}"
    if cost < 0:
        return f"expected a number >= 0; found {cost:g}"
    if cost > MAX_COST:
        return f"expected a number <= {MAX_COST:g}; found {cost:g}"
    return None


@attrs.frozen
class Costs:
    """The cost of one change, per item or indicator, and the ids that cannot change."""

    default: float = 1.0
    indicators: Mapping[str, float] = attrs.field(factory=dict, converter=_frozen, hash=False)
    items: Mapping[str, float] = attrs.field(factory=dict, converter=_frozen, hash=False)
    fixed: tuple[str, ...] = attrs.field(factory=tuple, converter=_ids)
    #: Where the costs come from, for error messages; not part of their value.
    origin: str = attrs.field(default="costs", eq=False)

    def of(self, item_id: str, indicator_id: str) -> float:
        """The cost of one change of item ``item_id`` of indicator ``indicator_id``."""
        if item_id in self.items:
            return self.items[item_id]
        return self.indicators.get(indicator_id, self.default)

    def is_fixed(self, item_id: str, indicator_id: str) -> bool:
        """Whether the item, or its whole indicator, cannot change."""
        return item_id in self.fixed or indicator_id in self.fixed

    def with_fixed(self, ids: Iterable[str]) -> Costs:
        """These costs with ``ids`` fixed as well."""
        return attrs.evolve(self, fixed=(*self.fixed, *ids))

    def problems(self, ruleset: RuleSet) -> list[Problem]:
        """Every negative, too large or non-finite cost and every id ``ruleset`` does not
        have (the first hundred: checking stops there)."""
        return first_problems(self._problems(ruleset), self.origin)

    def _problems(self, ruleset: RuleSet) -> Iterator[Problem]:
        where = self.origin
        problem = _cost_problem(self.default)
        if problem is not None:
            yield Problem(f"{where}: {json_path(['default'])}", problem)
        for field, known, other, other_field in (
            ("indicators", ruleset.indicators, ruleset.items, "items"),
            ("items", ruleset.items, ruleset.indicators, "indicators"),
        ):
            costs: Mapping[str, float] = getattr(self, field)
            for key, cost in costs.items():
                location = f"{where}: {json_path([field, key])}"
                if key not in known:
                    noun = field.removesuffix("s")
                    if key in other:
                        message = (
                            f"expected an {noun} id; found {shown(key)}, which is "
                            f"{'an item' if field == 'indicators' else 'an indicator'} "
                            f"(list it under {other_field})"
                        )
                    else:
                        message = f"unknown {noun} id {shown(key)}{did_you_mean(key, known)}"
                    yield Problem(location, message)
                problem = _cost_problem(cost)
                if problem is not None:
                    yield Problem(location, problem)
        ids = [*ruleset.indicators, *ruleset.items]
        for index, fixed_id in enumerate(self.fixed):
            if fixed_id not in ruleset.indicators and fixed_id not in ruleset.items:
                location = f"{where}: {json_path(['fixed', index])}"
                yield Problem(
                    location,
                    f"unknown indicator or item id {shown(fixed_id)}{did_you_mean(fixed_id, ids)}",
                )

    def to_dict(self) -> dict[str, Any]:
        """The costs as written in a cost file."""
        data: dict[str, Any] = {"default": self.default}
        if self.indicators:
            data["indicators"] = dict(self.indicators)
        if self.items:
            data["items"] = dict(self.items)
        if self.fixed:
            data["fixed"] = list(self.fixed)
        return data

    @classmethod
    def from_mapping(
        cls, data: Any, source: str = "costs", ruleset: RuleSet | None = None
    ) -> Costs:
        """Costs from parsed YAML/JSON, or :class:`PlanError` listing every problem.

        With ``ruleset``, ids it does not have are problems too.
        """
        if not isinstance(data, Mapping):
            found = type(data).__name__
            raise PlanError(source, [Problem(source, f"expected a mapping; found {found}")])
        problems = schema_problems("costs", dict(data), source)
        if not problems:
            problems = list(_non_finite(data, source))
        if ruleset is not None:
            problems += _ids_only(data, source).problems(ruleset)
        problems = first_problems(iter(problems), source)
        if problems:
            raise PlanError(source, problems)
        return cls(
            default=float(data.get("default", 1.0)),
            indicators=data.get("indicators", {}),
            items=data.get("items", {}),
            fixed=data.get("fixed", ()),
            origin=source,
        )

    @classmethod
    def by_id(cls, costs: Mapping[str, float], ruleset: RuleSet, source: str = "cost") -> Costs:
        """Costs from one mapping whose keys are indicator or item ids, checked against them."""
        problems: list[Problem] = []
        indicators, items = {}, {}
        ids = [*ruleset.indicators, *ruleset.items]
        for key, cost in costs.items():
            if len(problems) > MAX_PROBLEMS:
                break
            location = f"{source}: {json_path([key])}"
            if key in ruleset.indicators:
                indicators[key] = cost
            elif key in ruleset.items:
                items[key] = cost
            else:
                message = f"unknown indicator or item id {shown(key)}{did_you_mean(str(key), ids)}"
                problems.append(Problem(location, message))
                continue
            problem = _cost_problem(float(cost))
            if problem is not None:
                problems.append(Problem(location, problem))
        if problems:
            raise PlanError(source, first_problems(iter(problems), source))
        return cls(indicators=indicators, items=items, origin=source)


def _ids_only(data: Mapping[str, Any], source: str) -> Costs:
    """The ids named in cost data that may not be schema-valid (every cost 0)."""

    def keys(field: str) -> dict[str, float]:
        found = data.get(field)
        return {str(key): 0.0 for key in found} if isinstance(found, Mapping) else {}

    fixed = data.get("fixed")
    ids = [i for i in fixed if isinstance(i, str)] if isinstance(fixed, list) else []
    return Costs(indicators=keys("indicators"), items=keys("items"), fixed=ids, origin=source)


def _non_finite(data: Mapping[str, Any], source: str) -> Iterator[Problem]:
    """JSON Schema accepts infinity as a number; a cost may not be infinite."""
    places: list[tuple[list[str | int], Any]] = [(["default"], data.get("default", 1.0))]
    for field in ("indicators", "items"):
        places += [([field, key], cost) for key, cost in data.get(field, {}).items()]
    for path, cost in places:
        if isinstance(cost, float) and not math.isfinite(cost):
            yield Problem(
                f"{source}: {json_path(path)}", f"expected a finite number; found {shown(cost)}"
            )


def load_costs(path: str | Path, ruleset: RuleSet | None = None) -> Costs:
    """Read costs from a YAML or JSON file (``.json`` is read as JSON).

    With ``ruleset``, ids it does not have are reported with the file's other problems.
    """
    return Costs.from_mapping(load_data_file(path, PlanError), str(path), ruleset)
