"""Building the values of a submission the schema check has accepted, without checking them
again.

The frozen classes a submission is made of (evidence, records, labels, regions, answers)
check their fields when they are built: a Python caller may pass anything.  A document the
submission schema accepted has already been proved to hold what those checks look for
(non-empty texts, known kinds and stages), and running them again for each of hundreds of
fields costs more than the rest of reading it.  :func:`builder` makes such values directly.
Only readers of schema-checked data use it; every public constructor still checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from attrs import AttrsInstance

__all__ = ["builder"]

T = TypeVar("T", bound=AttrsInstance)
#: The type of a default made by a factory (a value the builder cannot give).
_FACTORY: type = type(attrs.Factory(list))


def builder(cls: type[T]) -> Callable[..., T]:
    """A function making an instance of the frozen, slotted attrs class ``cls`` from the
    values of its ``init`` fields, all of them, in the order ``cls`` takes them, with neither
    validators nor converters run; fields outside ``__init__`` get their (plain) default."""
    fields = attrs.fields(cls)
    given = [field for field in fields if field.init]
    fixed = [field for field in fields if not field.init]
    if any(
        field.default is attrs.NOTHING or isinstance(field.default, _FACTORY) for field in fixed
    ):
        raise TypeError(f"{cls.__name__}: a field outside __init__ is not a plain default")
    slots = tuple(_slot(cls, field.name) for field in (*given, *fixed))
    defaults = tuple(field.default for field in fixed)
    count, new = len(given), object.__new__

    def make(*values: Any) -> T:
        if len(values) != count:  # never an instance with a field unset
            raise TypeError(f"{cls.__name__} takes {count} values; found {len(values)}")
        instance = new(cls)
        for put, value in zip(slots, values + defaults, strict=False):  # lengths checked
            put(instance, value)
        return instance

    return make


def _slot(cls: type, name: str) -> Callable[[object, Any], None]:
    """The setter of slot ``name``: it writes past the frozen class's ``__setattr__``."""
    setter: Callable[[object, Any], None] = cls.__dict__[name].__set__
    return setter
