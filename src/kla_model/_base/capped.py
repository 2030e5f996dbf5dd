"""How much of an input a problem may echo, and how many problems a check looks for.

An input can be built to make its error as large as its author likes: a mapping of 50,000
unknown ids, each named in its own problem, each problem listing every id the file has.
Every check therefore stops looking after :data:`MAX_PROBLEMS` problems (and says that it
stopped), and every value, id or list of ids from the input is shown in at most
:data:`SHOWN_CHARS` characters.  The ``kla`` commands print the first 50 problems of those
(:class:`~kla_model.ProblemsError`); the service answers all of them, at most 100.
"""

from __future__ import annotations

import itertools
import json
import reprlib
from collections.abc import Iterable

from kla_model.errors import Problem

__all__ = ["MAX_PROBLEMS", "SHOWN_CHARS", "first_problems", "listed", "shown"]

#: How many problems a check looks for: far more than anyone fixes in one go, and a bound on
#: the work of checking a large input that is wrong throughout (each problem costs jsonschema
#: about a millisecond, and a 2 MB submission can hold tens of thousands).
MAX_PROBLEMS = 100
#: The most characters of one value (or one list of values) from the input a message shows.
SHOWN_CHARS = 80


def shown(value: object) -> str:
    """A short rendering of a value found in the input, for error messages."""
    if isinstance(value, str) and len(value) > SHOWN_CHARS:
        value = value[:SHOWN_CHARS]  # never render a megabyte to show eighty characters
    try:
        text = repr(value) if isinstance(value, str) else json.dumps(value, default=repr)
    except (TypeError, ValueError, RecursionError):
        text = reprlib.repr(value)
    return _cut(text)


def listed(names: Iterable[str]) -> str:
    """``a, b, c``: names from the input joined, cut at :data:`SHOWN_CHARS` characters.

    Reads only as many names as fit, so a list of a million names costs no more than ten.
    """
    parts: list[str] = []
    size = 0
    for name in names:
        parts.append(name[: SHOWN_CHARS + 1])
        size += len(parts[-1]) + 2
        if size > SHOWN_CHARS:
            break
    return _cut(", ".join(parts))


def _cut(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


def first_problems(
    problems: Iterable[Problem], source: str, limit: int = MAX_PROBLEMS
) -> list[Problem]:
    """The first ``limit`` of ``problems`` (a lazy iterable: the rest are never looked for),
    and a last problem saying so if there were more."""
    first = list(itertools.islice(problems, limit + 1))
    if len(first) <= limit:
        return first
    message = f"more than {limit} problems: the rest were not looked for; fix these first"
    return [*first[:limit], Problem(source, message)]
