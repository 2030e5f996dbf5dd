"""A one-line progress report for long runs, on a terminal only.

It stays silent unless its stream is a terminal and the run has already taken ``delay``
seconds, so short runs, pipes and log files see nothing; then it redraws one line at most
every ``every`` seconds, and clears it when the run ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Counts rows done and shows the count, the share of the total and the rate."""

    def __init__(
        self,
        stream: TextIO,
        total: int | None = None,
        *,
        label: str = "kla batch",
        delay: float = 1.0,
        every: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
        enabled: bool | None = None,
    ) -> None:
        self._stream = stream
        self._total = total
        self._label = label
        self._delay = delay
        self._every = every
        self._clock = clock
        self._enabled = stream.isatty() if enabled is None else enabled
        self._start = clock()
        self._drawn_at: float | None = None

    @property
    def shown(self) -> bool:
        """Whether the line has been drawn at least once."""
        return self._drawn_at is not None

    def update(self, done: int) -> None:
        """``done`` rows are finished; redraw the line if it is time to."""
        if not self._enabled:
            return
        now = self._clock()
        elapsed = now - self._start
        if elapsed < self._delay:
            return
        if self._drawn_at is not None and now - self._drawn_at < self._every:
            return
        self._drawn_at = now
        self._stream.write("\r\x1b[K" + self.line(done, elapsed))
        self._stream.flush()

    def line(self, done: int, elapsed: float) -> str:
        """The text of the line for ``done`` rows after ``elapsed`` seconds."""
        rate = done / elapsed if elapsed > 0 else 0.0
        if self._total:
            share = f" ({done / self._total:.0%})"
            count = f"{done:,} / {self._total:,}"
        else:
            share, count = "", f"{done:,}"
        return f"{self._label}: {count} baris / rows{share} · {rate:,.0f}/s"

    def close(self) -> None:
        """Clear the line, if it was drawn."""
        if self._drawn_at is not None:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
