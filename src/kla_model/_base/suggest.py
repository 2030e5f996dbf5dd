"""Did-you-mean hints for unknown ids in error messages."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["did_you_mean"]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'perda'?)`` for the choice closest to ``word``, or ``""`` if none is."""
    import difflib  # noqa: PLC0415 (only to word an error: kla score starts without it)

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
