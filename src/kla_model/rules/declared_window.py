"""The rounds a rule file declares (``applies_to``), read without building the file.

Choosing the bundled ruleset in force for a round (:func:`kla_model.rules.ruleset.ruleset_for`)
needs only each file's window; parsing, checking and building every bundled ruleset to read it
cost ``kla score`` most of its start-up.  This walks libyaml's event stream of the file's
top-level mapping and builds nothing: it stops as soon as ``applies_to`` is read, and walks
to the end only for a file that declares none.

It is the one way the bundled files' rounds are read before one is built, and it reads only
the plainest form, the one the bundled files are written in: it raises :class:`ValueError`,
naming what it found, for anything else (an overlay, which may inherit its parent's window; a
tag, a quoted year, a window that is not a mapping of whole numbers; invalid YAML), so that a
bundled file written otherwise is refused loudly rather than guessed at.  The ruleset it points
to is still loaded and checked in full, and its built window decides.
``tests/test_declared_window.py`` checks that every bundled file is read this way and that its
window equals the built ruleset's.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["Window", "declared_window"]

#: A round window as written: the first round and the last (``None``: still in force).
Window = tuple[int, int | None]
#: What a plain window looks like, for the error that names another form.
_PLAIN = "applies_to: {from: YEAR} or {from: YEAR, to: YEAR} (untagged whole numbers), or none"

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: A year as YAML reads a plain scalar into an int (no sign, underscore, base or leading zero).
_YEAR = re.compile(r"[1-9][0-9]{0,3}")


def _plain_year(event: object) -> int | None:
    """The year a plain, untagged scalar spells, or ``None`` for anything else."""
    if not isinstance(event, yaml.ScalarEvent) or event.tag is not None:
        return None
    # ``implicit[0]``: a plain scalar (libyaml and PyYAML spell its style differently).
    if not event.implicit[0] or not _YEAR.fullmatch(event.value):
        return None
    return int(event.value)


def _plain_key(event: object) -> bool:
    """Whether ``event`` is an untagged scalar (a key the full load reads as that text)."""
    return isinstance(event, yaml.ScalarEvent) and event.tag is None


class _NotPlainError(ValueError):
    def __init__(self, found: str) -> None:
        super().__init__(f"expected {_PLAIN}; found {found}")


def _window(loader: Any) -> Window:
    """The window whose mapping starts at the next event: ``{from: Y}`` or ``{from: Y, to: Y}``."""
    start = loader.get_event()
    if not isinstance(start, yaml.MappingStartEvent) or start.tag is not None:
        raise _NotPlainError("another form of applies_to")
    found: dict[str, int] = {}
    while not isinstance(loader.peek_event(), yaml.MappingEndEvent):
        key, value = loader.get_event(), loader.get_event()
        year = _plain_year(value)
        if not _plain_key(key) or key.value in found or year is None:
            raise _NotPlainError("a key or year of applies_to written in another form")
        found[key.value] = year
    if "from" not in found or not set(found) <= {"from", "to"}:
        raise _NotPlainError(f"the keys {', '.join(found) or 'none'}")
    return found["from"], found.get("to")


def _skip_node(loader: Any) -> None:
    """Consume one node's events (a scalar, or a collection with everything in it)."""
    depth = 0
    while True:
        event = loader.get_event()
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if depth == 0:
            return


def _scan(loader: Any) -> Window | None:
    for expected in (yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.MappingStartEvent):
        if not isinstance(loader.get_event(), expected):
            raise _NotPlainError("a file that is not one mapping")
    extends = False
    while not isinstance(loader.peek_event(), yaml.MappingEndEvent):
        key = loader.get_event()
        if not _plain_key(key):
            raise _NotPlainError("a top-level key written in another form")
        if key.value == "applies_to":
            return _window(loader)
        extends = extends or key.value == "extends"
        _skip_node(loader)
    # No window of its own: an overlay may inherit its parent's; anything else has none.
    if extends:
        raise _NotPlainError("an overlay (extends:), whose parent's window only a load reads")
    return None


def declared_window(text: str) -> Window | None:
    """The ``applies_to`` window a rule file's text declares at its top level.

    ``None`` if it declares none and extends nothing (such a ruleset is never in force);
    :class:`ValueError`, saying what was found, for a file not written in the plain form.
    """
    loader = _Loader(text)
    try:
        return _scan(loader)
    except yaml.YAMLError as bad:
        raise _NotPlainError(f"text that is not YAML ({bad.__class__.__name__})") from None
    finally:
        loader.dispose()
