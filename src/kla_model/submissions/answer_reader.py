"""Reading the answers of a submission the schema check accepted, each number checked as it
is read.

The schema check (the compiled one, :func:`~kla_model._base.json_schema.shape_problems`) says
the answers have their shapes, and bounds a measured answer's ``data_year`` (a whole number
from 1900 to 2200); it leaves one number unbounded, a measured answer's ``value``, and does
not look for the numbers kla_model cannot use there (NaN, infinity, integers beyond a float).
So the reader checks each value as it converts it, instead of a walk of the whole document
first, and raises :class:`UnusableNumberError` at the first it cannot use: the caller then
words every such number with its location (:func:`~kla_model._base.numbers.number_problems`).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from kla_model.rules.answers import IndicatorAnswer, ItemAnswer, ItemAnswers, Measurement

__all__ = ["ReadAnswers", "UnusableNumberError", "read_answers", "read_answers_and_facts"]

_LARGEST = sys.float_info.max
_new = object.__new__
# The classes' own slot setters: they skip the frozen classes' __setattr__ and the lookup of
# a field by its name, for the many answers a submission has (the classes check nothing).
_set_value = Measurement.__dict__["value"].__set__
_set_year = Measurement.__dict__["data_year"].__set__
_set_items = ItemAnswers.__dict__["items"].__set__


class UnusableNumberError(ValueError):
    """A number kla_model cannot use: NaN, infinity, or an integer beyond a float."""


class ReadAnswers(NamedTuple):
    """The answers read, with what a submission otherwise walks them again to find."""

    answers: dict[str, IndicatorAnswer]
    #: The data year of every measured answer that has one, in document order.
    years: list[int]
    #: Whether every answer has an exact type of ``ITEM_ANSWER_TYPES``: the reader makes
    #: only such, but passes on a ``str`` subclass a Python caller gives it.
    well_typed: bool


def read_answers(data: Mapping[str, Any]) -> dict[str, IndicatorAnswer]:
    """The answers of schema-valid answers ``data``, by indicator id."""
    return read_answers_and_facts(data).answers


def read_answers_and_facts(data: Mapping[str, Any]) -> ReadAnswers:
    """The answers of schema-valid answers ``data``, their data years and whether they are
    well typed, in one pass."""
    answers: dict[str, IndicatorAnswer] = {}
    years: list[int] = []
    odd: list[object] = []  # answers of a subclass of str, a Python caller's
    for key, value in data.items():
        # Exact types first (a parsed body holds only these; the ABC check is slow), any
        # other mapping or sequence a Python caller passes after them.
        kind = type(value)
        if kind is bool or kind is str:
            answers[key] = value
        # The schema's if/then: a mapping with "items" is an indicator's items, by item
        # id; any other is a one-item indicator's measurement, read without a second look.
        elif kind is dict or _is_mapping(value, kind):
            if "items" in value:
                answers[key] = _items(value["items"], years, odd)
            else:
                answers[key] = _measurement(value, years)
        else:
            answers[key] = _item(value, years, odd)
    return ReadAnswers(answers, years, not odd)


def _items(data: Mapping[str, Any], years: list[int], odd: list[object]) -> ItemAnswers:
    answers = {}
    for key, value in data.items():
        kind = type(value)  # yes/no and level answers, inlined: most answers are such
        answers[key] = value if kind is bool or kind is str else _item(value, years, odd)
    # made around the reader's own new dict, where ItemAnswers(answers) would copy it
    made = _new(ItemAnswers)
    _set_items(made, MappingProxyType(answers))
    return made


def _is_mapping(data: Any, kind: type) -> bool:
    return kind is dict or (kind is not list and isinstance(data, Mapping))


def _item(data: Any, years: list[int], odd: list[object]) -> ItemAnswer:
    kind = type(data)
    if kind is bool or kind is str:
        return data  # type: ignore[no-any-return]
    if kind is list:
        return tuple(data)  # a checklist's ticks
    if _is_mapping(data, kind):
        return _measurement(data, years)
    if isinstance(data, bool | str):  # a subclass of str (bool has none), a caller's
        odd.append(data)
        return data
    return tuple(data)  # a checklist's ticks (the schema says: a list of ids)


def _measurement(data: Mapping[str, Any], years: list[int]) -> Measurement:
    value, year = data["value"], data.get("data_year")
    kind = type(value)
    if kind is float:
        if value - value != 0:  # NaN and infinity
            raise UnusableNumberError(value)
    elif -_LARGEST <= value <= _LARGEST:
        value = float(value)
    else:
        raise UnusableNumberError(value)
    if year is not None:  # a whole number from 1900 to 2200, the schema check says
        if type(year) is not int:
            year = int(year)  # a whole float (2024.0) is the year it writes
        years.append(year)
    # made field by field: a submission has many, and the class checks nothing
    made = _new(Measurement)
    _set_value(made, value)
    _set_year(made, year)
    return made
