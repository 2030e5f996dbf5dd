"""The headers every answer carries, whatever route or static file made it.

The page loads only its own files and talks only to its own service: a page that shows
answers typed by a district team never runs a script or loads a font from elsewhere, and no
other site may frame it.  Every answer says its type is what it says (``nosniff``) and
sends no referrer; an answer in JSON (scores, submissions, problems) is not to be kept in a
shared cache.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SECURITY_HEADERS", "SecurityHeaders"]

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
#: Answers that are data, never to be cached.
_DATA_TYPES = ("application/json", "application/x-ndjson")


class SecurityHeaders:
    """ASGI middleware: :data:`SECURITY_HEADERS` on every answer (a route's own win), and
    ``Cache-Control: no-store`` on JSON and JSON Lines."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith(_DATA_TYPES):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, sending)
