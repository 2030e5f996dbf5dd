"""uvicorn's HTTP protocol with a deadline for a request's headers.

uvicorn closes a kept-alive connection that stays idle (``timeout_keep_alive``), but waits
forever for the headers of a request once its first byte has come: a client that sends
``GET / HTTP/1.1\\r\\n`` and then nothing, or its headers a byte a minute, holds a connection
and a file descriptor for as long as it likes, and some hundreds of such clients take every
descriptor the server has.  Here a request's headers must be complete within
``header_timeout`` seconds of the connection being made (or of the previous answer), and
may be at most :data:`MAX_HEADER_BYTES`; otherwise the connection is closed.  The body has
its own deadline, kept by the app (:func:`kla_model.serve.limits.read_body`).

The protocol is uvicorn's own, with compiled parsing (``httptools``) when installed and
``h11`` otherwise, as uvicorn itself chooses (:data:`HeaderDeadlineProtocol`).  Each worker
process reads the deadline from the service's configuration in the environment, as it reads
everything else.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from kla_model.serve.config import ServiceConfig

__all__ = ["MAX_HEADER_BYTES", "HeaderDeadlineH11", "HeaderDeadlineProtocol"]

#: The most bytes a request's line and headers may take (uvicorn's own h11 bound, 16 KiB,
#: and then some: no client of this service sends large headers).
MAX_HEADER_BYTES = 64 * 1024

#: The base of the mixin below: typed as Any, since it calls into whichever protocol it is
#: mixed with.
_Protocol: Any = object


@functools.cache
def _header_timeout() -> float:
    return ServiceConfig.from_environment().header_timeout


class _HeaderDeadline(_Protocol):  # type: ignore[misc]
    """Mixed into a uvicorn protocol: a connection whose request headers are late or too
    large is closed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._header_bytes = 0

    def _await_headers(self) -> None:
        """Start waiting for a request's headers: they must come in time."""
        self._stop_waiting()
        self._header_bytes = 0
        self._deadline = self.loop.call_later(_header_timeout(), self._late)

    def _stop_waiting(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _late(self) -> None:
        self._deadline = None
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            return  # a request is being answered: its headers did come (pipelined, on h11)
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._deadline is not None:  # the headers are still not all here
            self._header_bytes += len(data)
            if self._header_bytes > MAX_HEADER_BYTES:
                self._stop_waiting()
                self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._await_headers()  # the next request on this connection


class HeaderDeadlineH11(_HeaderDeadline, H11Protocol):
    """uvicorn's pure-Python (h11) protocol with the header deadline."""

    def handle_events(self) -> None:
        super().handle_events()
        if self._deadline is not None and self.conn.their_state is not h11.IDLE:
            self._stop_waiting()  # the events handled held the request's headers


try:  # uvicorn[standard] brings httptools, its compiled parser, and uvicorn prefers it
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover (the serve extra installs httptools)
    HeaderDeadlineProtocol: type[asyncio.Protocol] = HeaderDeadlineH11
else:

    class HeaderDeadlineHttpTools(_HeaderDeadline, HttpToolsProtocol):
        """uvicorn's compiled (httptools) protocol with the header deadline."""

        def on_headers_complete(self) -> None:
            self._stop_waiting()
            super().on_headers_complete()

    HeaderDeadlineProtocol = HeaderDeadlineHttpTools
