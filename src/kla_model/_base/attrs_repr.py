"""One ``__repr__`` for the package's attrs classes, writing what attrs' own would write.

attrs writes the source of a ``__repr__`` for each class it makes and compiles it when the
class is made: some 0.1 ms a class, most of a hundred classes, and so a few milliseconds of
every ``kla`` command's start-up, for a method that is seldom called.  A class that sets
``__repr__ = attrs_repr`` in its body gets this one instead (attrs makes none for a class
that defines its own); ``tests/test_attrs_repr.py`` holds it to attrs' text for every such
class of the package.
"""

from __future__ import annotations

import threading
from typing import Any

import attrs

__all__ = ["attrs_repr"]

#: The objects whose repr is being written, per thread: an object met again inside its own
#: repr is written ``...``, as attrs writes it.
_writing = threading.local()


def attrs_repr(self: Any) -> str:
    """``Name(field=value, ...)``: every field that is shown, each value by ``repr`` (no
    field of the package has a ``repr`` function of its own: the tests hold every class
    to attrs' text)."""
    busy: set[int] = _writing.__dict__.setdefault("ids", set())
    if id(self) in busy:
        return "..."
    busy.add(id(self))
    try:
        shown = ", ".join(
            f"{field.name}={_shown(self, field)}"
            for field in self.__attrs_attrs__
            if field.repr is not False
        )
    finally:
        busy.remove(id(self))
    return f"{self.__class__.__qualname__.rsplit('>.', 1)[-1]}({shown})"


def _shown(self: Any, field: attrs.Attribute[Any]) -> str:
    # A field that ``__init__`` does not set may be missing; attrs shows it as NOTHING.
    value = getattr(self, field.name) if field.init else getattr(self, field.name, attrs.NOTHING)
    return repr(value)
