"""The one place where every number read from an input is checked.

YAML, JSON and Python mappings can all carry numbers that Python holds but kla_model cannot
use: NaN and infinity (JSON Schema calls them numbers), and integers beyond the range of a
float (a 400-digit integer overflows the moment it meets a float).  Every loader runs
:func:`number_problems` on its data before anything else reads it (``schema_problems`` calls
it), and the table reader checks each numeric cell with :func:`number_problem`, so a number
is refused with its location instead of crashing somewhere later.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from kla_model._base.paths import json_path
from kla_model.errors import Problem

__all__ = ["MAX_DIGITS", "HugeNumber", "number_problem", "number_problems"]

#: The longest integer the strict readers convert: more digits than any float can hold.
MAX_DIGITS = 320
_LARGEST = sys.float_info.max
_TOO_LARGE = "expected a number within the range of a float; found an integer of {} digits"


class HugeNumber(str):
    """An integer too long to convert, kept as its text so it can be refused with a location."""

    __slots__ = ()


def number_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a number kla_model can use, or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, HugeNumber):
        return _TOO_LARGE.format(len(value.lstrip("+-")))
    if isinstance(value, int):
        if abs(value) <= _LARGEST:
            return None
        # str() of a huge int is refused past 4,300 digits: estimate those from the bits
        bits = value.bit_length()
        return _TOO_LARGE.format(
            len(str(abs(value))) if bits < 13_000 else f"about {int(bits * 0.30103)}"
        )
    if isinstance(value, float) and not math.isfinite(value):
        return f"expected a finite number; found {value}"
    return None


def number_problems(data: Any, where: str, path: tuple[str | int, ...] = ()) -> list[Problem]:
    """Every unusable number in JSON-like ``data``, located as ``where: $.path``."""
    if not _any_unusable(data):  # the common case, without building a path per value
        return []
    return [
        Problem(f"{where}: {json_path(at)}", message) for at, message in _walk(data, list(path))
    ]


def _any_unusable(data: Any) -> bool:
    """Whether ``data`` holds an unusable number: a walk by exact type, for speed."""
    stack = [data]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is str or kind is bool or value is None:
            continue
        if kind is dict:
            stack.extend(value.values())
        elif kind is list or kind is tuple:
            stack.extend(value)
        elif kind is float:
            if value - value != 0:  # NaN and infinity only
                return True
        elif kind is int:
            if not -_LARGEST <= value <= _LARGEST:
                return True
        elif isinstance(value, Mapping):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
        elif number_problem(value) is not None:
            return True
    return False


def _walk(data: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    # Iterative, so that a deeply nested mapping built in Python cannot exhaust the stack.
    stack: list[tuple[Any, list[str | int]]] = [(data, path)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, Mapping):
            stack.extend((item, [*at, str(key)]) for key, item in reversed(list(value.items())))
        elif isinstance(value, list | tuple):
            stack.extend((item, [*at, index]) for index, item in reversed(list(enumerate(value))))
        else:
            message = number_problem(value)
            if message is not None:
                yield at, message
