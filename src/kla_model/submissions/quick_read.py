"""Reading the answers of a submission the compiled schema check accepted, without the walk
that looks for unusable numbers.

``Submission.from_mapping`` used to check every input twice over before reading it: a walk
of the whole document for unusable numbers (NaN, infinity, integers beyond a float), then
the schema.  Where the compiled check (``jsonschema-rs``) accepts the document, the schema
leaves numbers in two places only: a measured answer's ``value`` and ``data_year`` (and a
verifier's corrected value).  So :func:`quick_answers` reads the answers and checks each
number as it converts it; anything it is not sure of (a number it would refuse, a type that
is not plain JSON, a float year) makes it return ``None``, and the caller takes the full
path, which finds and words every problem exactly as before.  A property test holds the two
paths equal on generated valid and invalid documents.
"""

from __future__ import annotations

import sys
from typing import Any

from kla_model._base.json_schema import compiled_check_accepts
from kla_model._base.numbers import number_problems
from kla_model.rules.answers import IndicatorAnswer, ItemAnswer, ItemAnswers, Measurement

__all__ = ["quick_answers"]

_LARGEST = sys.float_info.max


class _NotSureError(Exception):
    """The quick reader cannot vouch for this input: the full path reads it."""


def quick_answers(data: dict[str, Any]) -> dict[str, IndicatorAnswer] | None:
    """The answers of submission ``data``, if the compiled check accepts it and every number
    in it is usable; ``None`` if the full check must decide (or is not installed)."""
    if not compiled_check_accepts("submission", data):
        return None
    if type(data["year"]) is not int:  # a float year (2025.0) is left to the full path
        return None
    records = [data[key] for key in ("evidence", "verification") if key in data]
    if records and number_problems(records, "submission"):
        return None
    try:
        return {key: _indicator(value) for key, value in data["answers"].items()}
    except _NotSureError:
        return None


def _indicator(data: Any) -> IndicatorAnswer:
    # The schema's if/then: a mapping with "items" is an indicator's items, by item id.
    if type(data) is dict and "items" in data:
        items = data["items"]
        if type(items) is not dict:
            raise _NotSureError
        answers = {}
        for key, value in items.items():
            kind = type(value)  # yes/no and level answers, inlined: most answers are such
            answers[key] = value if kind is bool or kind is str else _item(value)
        return ItemAnswers(answers)
    return _item(data)


def _item(data: Any) -> ItemAnswer:
    kind = type(data)
    if kind is bool or kind is str:
        return data  # type: ignore[no-any-return]
    if kind is list:
        for tick in data:
            if type(tick) is not str:
                raise _NotSureError
        return tuple(data)
    if kind is dict:
        return _measurement(data)
    raise _NotSureError


def _measurement(data: dict[str, Any]) -> Measurement:
    value, year = data["value"], data.get("data_year")
    kind = type(value)
    # NaN and infinity (value - value is not 0), and integers beyond a float, are refused
    # by the full path with their location: leave them to it.
    if kind is float:
        if value - value != 0:
            raise _NotSureError
    elif kind is not int or not -_LARGEST <= value <= _LARGEST:
        raise _NotSureError
    if year is not None and type(year) is not int:
        raise _NotSureError
    return Measurement(float(value), year)
