"""The one check of text read from an input: no character that can take over a terminal or
turn text around.

A file can spell a control character out as an escape that the parser turns into the
character itself: ``"\\e]0;x\\a"`` in YAML double quotes, ``"\\u001b[2J"`` or a lone
surrogate ``"\\ud800"`` in JSON.  Such a character would reach every output: a terminal runs
an escape sequence, a bidi override reverses what a reviewer reads, a lone surrogate cannot
be encoded as UTF-8 at all.  Every text read from a file or a request (YAML and JSON after
parsing, the text cells of a table) is therefore checked here, and refused with its place:
C0 controls but tab and line feed (a carriage return only before a line feed), DEL, C1
controls, the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069),
surrogates, and the non-characters U+FFFE and U+FFFF.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from kla_model._base.capped import first_problems
from kla_model._base.paths import json_path
from kla_model.errors import Problem

__all__ = ["UNSAFE", "text_problem", "text_problems"]

#: A character no text read by kla_model may hold.  One character class, then "not a
#: carriage return before a line feed" looked back on: a pattern that starts with a class
#: lets the regex engine skip ahead to a candidate character, where an alternation
#: (``[...]|\r(?!\n)``, the same matches) tries every position, more than twice as slowly.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff](?<!\r(?=\n))"
)
_NAMES = {0x1B: "escape", 0x7: "bell", 0x0: "NUL", 0xD: "carriage return", 0x9B: "CSI"}


def _named(char: str) -> str:
    code = ord(char)
    name = _NAMES.get(code) or unicodedata.name(char, "")
    if not name:
        name = "surrogate" if 0xD800 <= code <= 0xDFFF else "control character"
    return f"U+{code:04X} ({name.lower()})"


def text_problem(text: str) -> str | None:
    """What is wrong with ``text`` as text from an input, or ``None``."""
    found = UNSAFE.search(text)
    if found is None:
        return None
    return (
        f"expected text without control or bidi-override characters; found {_named(found[0])}"
        f" at character {found.start() + 1}"
    )


def text_problems(data: Any, where: str) -> list[Problem]:
    """Every unsafe key or text in JSON-like ``data`` (the first hundred), located as
    ``where: $.path``."""
    return first_problems(_walk(data, where), where)


def _walk(data: Any, where: str) -> Iterator[Problem]:
    # Iterative, so that deep data cannot exhaust the stack; keys are checked as values are.
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        value, at = stack.pop()
        if isinstance(value, str):
            message = text_problem(value)
            if message is not None:
                yield Problem(f"{where}: {json_path(at)}", message)
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                message = text_problem(key) if isinstance(key, str) else None
                if message is not None:
                    yield Problem(f"{where}: {json_path([*at, key])}", f"a key: {message}")
                stack.append((item, [*at, key]))
        elif isinstance(value, list):
            stack.extend((item, [*at, index]) for index, item in reversed(list(enumerate(value))))
