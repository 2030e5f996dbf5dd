"""Did-you-mean hints for unknown ids in error messages.

A hint compares the unknown id with every candidate, which costs some microseconds a pair:
cheap for the ids of a ruleset (about a hundred), not for the 5,000 evidence ids a
submission may hold, asked once per record.  So a hint is offered only among at most
:data:`MAX_CANDIDATES` candidates and for a word of at most :data:`MAX_WORD` characters; a
longer list, or a longer word, gets no hint, and the work of one hint stays bounded.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

__all__ = ["MAX_CANDIDATES", "MAX_WORD", "did_you_mean"]

#: The most candidates a hint is looked for among.
MAX_CANDIDATES = 200
#: The longest word a hint is looked for (an id is at most 64 characters).
MAX_WORD = 80


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'perda'?)`` for the choice closest to ``word``, or ``""`` if none is
    (or if there are too many choices, or ``word`` is too long, to look)."""
    candidates = list(itertools.islice(choices, MAX_CANDIDATES + 1))
    if len(candidates) > MAX_CANDIDATES or len(word) > MAX_WORD:
        return ""
    import difflib  # noqa: PLC0415 (only to word an error: kla score starts without it)

    close = difflib.get_close_matches(word, candidates, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
