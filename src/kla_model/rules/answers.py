"""Answers as values: what a district (or a verifier correcting it) says about an item.

These values are shared by a submission's answers and by a verifier's corrections, so they
live apart from both.  :mod:`kla_model.submissions.submission` re-exports every name here.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model._base.frozen import FrozenDict
from kla_model._base.json_schema import json_path
from kla_model.errors import Problem

__all__ = [
    "IndicatorAnswer",
    "ItemAnswer",
    "ItemAnswers",
    "Measurement",
    "answer_to_data",
    "data_year_problem",
    "indicator_answer_from_data",
    "item_answer_from_data",
    "non_finite_problem",
    "trace_input",
]


@attrs.frozen
class Measurement:
    """A number a district reports, with the year its data describes."""

    __repr__ = attrs_repr

    value: float
    data_year: int | None = None

    @functools.cached_property
    def record(self) -> Mapping[str, Any]:
        """The measurement as a read-only record, made once, when a score card's trace first
        shows it (not when the measurement is read: most are only scored)."""
        return FrozenDict(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": self.value}
        if self.data_year is not None:
            data["data_year"] = self.data_year
        return data


#: ``True``/``False`` for a boolean item, a level id, the ticked option ids of a
#: checklist, or a :class:`Measurement` for a number.
ItemAnswer: TypeAlias = bool | str | tuple[str, ...] | Measurement


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen
class ItemAnswers:
    """The answers of an indicator with several items, keyed by item id."""

    __repr__ = attrs_repr

    items: Mapping[str, ItemAnswer] = attrs.field(converter=_frozen_mapping, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {"items": {item_id: answer_to_data(a) for item_id, a in self.items.items()}}


#: An indicator with one item may be answered with that item's answer directly.
IndicatorAnswer: TypeAlias = ItemAnswer | ItemAnswers


def answer_to_data(answer: IndicatorAnswer) -> Any:
    """An answer as plain JSON-safe data, as it is written in a submission file."""
    if isinstance(answer, (Measurement, ItemAnswers)):
        return answer.to_dict()
    if isinstance(answer, tuple):
        return list(answer)
    return answer


def trace_input(answer: ItemAnswer) -> Any:
    """An answer as a score card's trace shows it: read-only, and made without copying."""
    return answer.record if isinstance(answer, Measurement) else answer


def item_answer_from_data(data: Any) -> ItemAnswer:
    """An item answer from schema-valid data (``true``, a level id, a list, ``{value, ...}``)."""
    if isinstance(data, (bool, str)):
        return data
    if isinstance(data, list):
        return tuple(data)
    year = data.get("data_year")
    return Measurement(value=float(data["value"]), data_year=None if year is None else int(year))


def indicator_answer_from_data(data: Any) -> IndicatorAnswer:
    """An indicator answer from schema-valid data: ``{items: {...}}`` or one item's answer."""
    if isinstance(data, dict) and "items" in data:
        return ItemAnswers(
            {key: item_answer_from_data(value) for key, value in data["items"].items()}
        )
    return item_answer_from_data(data)


def non_finite_problem(data: Any, path: list[str | int], source: str) -> Problem | None:
    """JSON Schema accepts NaN and infinity as numbers; kla_model does not."""
    number = data.get("value") if isinstance(data, dict) else None
    if isinstance(number, float) and not math.isfinite(number):
        where = json_path([*path, "value"])
        return Problem(f"{source}: {where}", f"expected a finite number; found {number}")
    return None


def data_year_problem(answer: object, round: int, max_age: int | None) -> str | None:
    """What is wrong with a measured answer's data year in evaluation round ``round``.

    Data cannot describe a year after the round it is submitted to, whatever the ruleset; a
    ruleset that declares ``max_data_age`` (``max_age``) also refuses data more than that
    many years older than the round.
    """
    if not isinstance(answer, Measurement) or answer.data_year is None:
        return None
    year = answer.data_year
    if year > round:
        return f"expected a data year no later than the round {round}; found {year}"
    if max_age is not None and year < round - max_age:
        return (
            f"expected a data year from {round - max_age} to {round} (the ruleset accepts data "
            f"at most {max_age} years older than the round); found {year}"
        )
    return None
