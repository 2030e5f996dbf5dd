"""Reading the answers of a submission the schema check accepted, each number checked as it
is read.

The schema check (the compiled one, :func:`~kla_model._base.json_schema.shape_problems`) says
the answers have their shapes; it leaves numbers in two places only, a measured answer's
``value`` and ``data_year``, and does not look for the numbers kla_model cannot use (NaN,
infinity, integers beyond a float).  So the reader checks each of them as it converts it,
instead of a walk of the whole document first, and raises :class:`UnusableNumberError` at the
first it cannot use: the caller then words every such number with its location
(:func:`~kla_model._base.numbers.number_problems`).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from kla_model.rules.answers import IndicatorAnswer, ItemAnswer, ItemAnswers, Measurement

__all__ = ["UnusableNumberError", "read_answers"]

_LARGEST = sys.float_info.max
_new, _set = object.__new__, object.__setattr__


class UnusableNumberError(ValueError):
    """A number kla_model cannot use: NaN, infinity, or an integer beyond a float."""


def read_answers(data: Mapping[str, Any]) -> dict[str, IndicatorAnswer]:
    """The answers of schema-valid answers ``data``, by indicator id."""
    return {key: _indicator(value) for key, value in data.items()}


def _indicator(data: Any) -> IndicatorAnswer:
    # Exact types first (a parsed body holds only these; the ABC check is slow), any other
    # mapping or sequence a Python caller passes after them.
    kind = type(data)
    if kind is bool or kind is str:
        return data  # type: ignore[no-any-return]
    # The schema's if/then: a mapping with "items" is an indicator's items, by item id;
    # any other is a one-item indicator's measurement, read here without a second look.
    if kind is dict or _is_mapping(data, kind):
        return _items(data["items"]) if "items" in data else _measurement(data)
    return _item(data)


def _items(data: Mapping[str, Any]) -> ItemAnswers:
    answers = {}
    for key, value in data.items():
        kind = type(value)  # yes/no and level answers, inlined: most answers are such
        answers[key] = value if kind is bool or kind is str else _item(value)
    # made around the reader's own new dict, where ItemAnswers(answers) would copy it
    made = _new(ItemAnswers)
    _set(made, "items", MappingProxyType(answers))
    return made


def _is_mapping(data: Any, kind: type) -> bool:
    return kind is dict or (kind is not list and isinstance(data, Mapping))


def _item(data: Any) -> ItemAnswer:
    kind = type(data)
    if kind is bool or kind is str:
        return data  # type: ignore[no-any-return]
    if kind is list:
        return tuple(data)  # a checklist's ticks
    if _is_mapping(data, kind):
        return _measurement(data)
    if isinstance(data, bool | str):  # a subclass of either, from a Python caller
        return data
    return tuple(data)  # a checklist's ticks (the schema says: a list of ids)


def _measurement(data: Mapping[str, Any]) -> Measurement:
    value, year = data["value"], data.get("data_year")
    kind = type(value)
    if kind is float:
        if value - value != 0:  # NaN and infinity
            raise UnusableNumberError(value)
    elif not -_LARGEST <= value <= _LARGEST:
        raise UnusableNumberError(value)
    if year is not None:
        if not -_LARGEST <= year <= _LARGEST:
            raise UnusableNumberError(year)
        year = int(year)  # a whole float (2024.0) is the year it writes
    # made field by field: a submission has many, and the class checks nothing
    made = _new(Measurement)
    _set(made, "value", float(value))
    _set(made, "data_year", year)
    return made
