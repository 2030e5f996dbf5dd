"""Did-you-mean hints for unknown ids in error messages.

A hint compares the unknown id with every candidate, some microseconds a pair: cheap for the
ids of a ruleset (about a hundred), not for the 5,000 evidence ids a submission may hold,
asked once per record.  So a hint is looked for only among at most :data:`MAX_CANDIDATES`
candidates, for a word of at most :data:`MAX_WORD` characters.

A service can bound the hints of one request as a whole (:func:`hints_limited`): a batch of
thousands of small submissions, each naming unknown ids, then costs a bounded number of
hints, and after those the problems are reported without one.  Outside such a block (a
``kla`` command, a notebook) every problem gets its hint.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

__all__ = ["MAX_CANDIDATES", "MAX_WORD", "did_you_mean", "hints_limited", "new_budget"]

#: The most candidates a hint is looked for among (a ruleset has at most some 80 ids).
MAX_CANDIDATES = 100
#: The longest word a hint is looked for (an id is at most 64 characters).
MAX_WORD = 80

#: The hints the current request may still look for: a one-element list, shared by every
#: thread working on the request; ``None`` outside :func:`hints_limited`.
_BUDGET: ContextVar[list[int] | None] = ContextVar("kla_model_hint_budget", default=None)


def new_budget(count: int) -> list[int]:
    """A budget of ``count`` hints, to share between the parts of one request."""
    return [count]


@contextlib.contextmanager
def hints_limited(budget: list[int]) -> Iterator[None]:
    """Within the block, hints are looked for only while ``budget`` (from
    :func:`new_budget`) lasts; each one looked for spends one."""
    token = _BUDGET.set(budget)
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _spend() -> bool:
    budget = _BUDGET.get()
    if budget is None:
        return True
    if budget[0] <= 0:
        return False
    budget[0] -= 1
    return True


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'perda'?)`` for the choice closest to ``word``, or ``""`` if none is
    (or if there are too many choices, or ``word`` is too long, to look, or the request's
    hints are spent)."""
    candidates = list(itertools.islice(choices, MAX_CANDIDATES + 1))
    if len(candidates) > MAX_CANDIDATES or len(word) > MAX_WORD or not _spend():
        return ""
    import difflib  # noqa: PLC0415 (only to word an error: kla score starts without it)

    close = difflib.get_close_matches(word, candidates, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
