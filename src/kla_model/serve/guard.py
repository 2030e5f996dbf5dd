"""Who may talk to the service: the ``Host`` it is called by, and the site a browser sends
from.

A service on 127.0.0.1 is still reachable from every page its user opens in a browser:

- **DNS rebinding.**  A page on ``evil.example`` points its own name at 127.0.0.1; the
  browser then treats the service as that page's own origin and lets it read every answer
  (the loaded rule file, say).  Its requests carry ``Host: evil.example``: the service
  answers only the names it is configured for (by default this machine's own) and refuses
  the others with 421.
- **Cross-site requests.**  Any page can post a form or ``text/plain`` to any address
  without asking; the browser says where it comes from in ``Origin`` and
  ``Sec-Fetch-Site``.  A ``POST`` (or any other method that is not a read) from another site
  is refused with 403 unless that origin is configured.  Reads (``GET``) stay open: a link
  to the page from elsewhere must work, and the browser keeps their answers from the other
  site anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from kla_model._base.capped import shown
from kla_model.errors import Problem
from kla_model.serve.problems import respond

__all__ = ["Guard", "host_allowed"]

#: Methods that only read: never refused for where they come from.
READS = frozenset({"GET", "HEAD", "OPTIONS"})
#: ``Sec-Fetch-Site`` values of a request from the page itself (or typed by the user).
OWN_SITE = frozenset({"same-origin", "none"})


def _split(host: str) -> tuple[str, str | None]:
    """``("[::1]", "8000")`` from ``[::1]:8000``; ``("localhost", None)`` from ``localhost``."""
    host = host.strip().lower()
    if host.startswith("["):
        name, _, rest = host.partition("]")
        port = rest[1:] if rest.startswith(":") else None
        return name + "]", port
    name, colon, port = host.rpartition(":")
    return (name, port) if colon and port.isdigit() else (host, None)


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """Whether ``Host: host`` is one of ``allowed`` (a name on any port, ``name:port`` on
    that port only, or ``*``)."""
    name, port = _split(host)
    for entry in allowed:
        if entry == "*":
            return True
        allowed_name, allowed_port = _split(entry)
        if allowed_name == name and allowed_port in (None, port):
            return True
    return False


class Guard:
    """ASGI middleware: refuses a request by a ``Host`` not in ``hosts`` (421) and a request
    that is not a read from another site than the service's own or ``origins`` (403)."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str], origins: Iterable[str] = ()) -> None:
        self.app = app
        self.hosts = tuple(hosts)
        self.origins = frozenset(origin.rstrip("/").lower() for origin in origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = self._refusal(scope)
            if refusal is not None:
                status, problem = refusal
                await respond(status, [problem])(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope) -> tuple[int, Problem] | None:
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not host_allowed(host, self.hosts):
            expected = ", ".join(self.hosts)
            found = shown(host) if host else "none"
            message = (
                f"expected a Host this service answers ({expected}: see --allowed-host); "
                f"found {found}"
            )
            return 421, Problem("header.host", message)
        if scope["method"] in READS:
            return None
        return self._cross_site(headers, host)

    def _cross_site(self, headers: Headers, host: str) -> tuple[int, Problem] | None:
        origin = headers.get("origin")
        if origin is not None and origin.rstrip("/").lower() in self.origins:
            return None
        site = headers.get("sec-fetch-site")
        if site is not None and site.lower() not in OWN_SITE:
            message = (
                f"expected a request from this service's own page; found one from a "
                f"{shown(site)} page (Sec-Fetch-Site); a portal elsewhere needs --allowed-origin"
            )
            return 403, Problem("header.sec-fetch-site", message)
        if origin is not None and urlsplit(origin).netloc.lower() != host.strip().lower():
            message = (
                f"expected a request from this service's own page; found Origin "
                f"{shown(origin)} (a portal elsewhere needs --allowed-origin)"
            )
            return 403, Problem("header.origin", message)
        return None
