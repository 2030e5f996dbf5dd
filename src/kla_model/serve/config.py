"""What a service is started with, and the rulesets it loads once at start.

Rulesets come only from the server's configuration: a request may name a loaded ruleset by
its id, never a path.  The configuration travels to worker processes through one
environment variable (:data:`ENVIRONMENT`), since ``uvicorn --workers`` starts each worker
from an import string and cannot pass it Python objects.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping

import attrs

import kla_model as kla
from kla_model._base.capped import shown
from kla_model.errors import KlaError, RoundNotCoveredError
from kla_model.serve.limits import MAX_BATCH_BYTES, MAX_BYTES
from kla_model.serve.problems import ApiError

__all__ = ["ENVIRONMENT", "LOCAL_HOSTS", "Rulesets", "ServiceConfig"]

#: The host names a service answers by default: only this machine's own, on any port (``kla
#: serve`` adds its port).  A page on another site that points its own name at 127.0.0.1
#: ("DNS rebinding") sends its own name as ``Host`` and is refused.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")

#: The environment variable holding a :class:`ServiceConfig` as JSON, for worker processes.
ENVIRONMENT = "KLA_SERVE_CONFIG"


def _names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(names)


def _limits(limits: Mapping[str, int]) -> dict[str, int]:
    return dict(limits)


@attrs.frozen
class ServiceConfig:
    """The rulesets to load (bundled names or rule-file paths; none: every bundled one), the
    body limits in bytes, who may call the service, and how long and how many at once.

    ``allowed_hosts`` are the ``Host`` names the service answers (``name`` on any port or
    ``name:port``; ``*`` for any, when a proxy in front checks it); ``allowed_origins`` the
    other sites (``https://portal.example.go.id``) whose pages may post to it.  The timeouts
    are in seconds: a request's headers must arrive within ``header_timeout`` of the
    connection (or of the answer before), its body within ``body_timeout`` of the headers,
    and a kept-alive connection with no request is closed after ``idle_timeout``.
    ``max_connections`` connections are served at once (more are answered 503),
    ``max_bodies`` requests with a body are read and worked on at once and ``max_batches``
    batches; the others wait (at most ``body_timeout``, then 503).
    """

    rulesets: tuple[str, ...] = attrs.field(default=(), converter=_names)
    max_body: int = MAX_BYTES
    max_batch_body: int = MAX_BATCH_BYTES
    #: Where workspaces are kept (a SQLite path or a ``postgresql://`` URL); none: stateless.
    store: str | None = None
    #: The workspaces' bounds (:class:`kla_model.workspace.Limits`' fields), as a mapping.
    workspace_limits: Mapping[str, int] = attrs.field(factory=dict, converter=_limits)
    allowed_hosts: tuple[str, ...] = attrs.field(default=LOCAL_HOSTS, converter=_names)
    allowed_origins: tuple[str, ...] = attrs.field(default=(), converter=_names)
    header_timeout: float = 10.0
    body_timeout: float = 60.0
    idle_timeout: float = 5.0
    max_connections: int = 100
    max_bodies: int = 8
    max_batches: int = 2

    def to_environment(self) -> dict[str, str]:
        return {ENVIRONMENT: json.dumps(attrs.asdict(self))}

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> ServiceConfig:
        text = environ.get(ENVIRONMENT)
        if text is None:
            return cls()
        try:
            data = json.loads(text)
            counts = {name: int(data[name]) for name in _COUNTS}
            seconds = {name: float(data[name]) for name in _SECONDS}
            return cls(
                rulesets=[str(name) for name in data["rulesets"]],
                allowed_hosts=[str(name) for name in data["allowed_hosts"]],
                allowed_origins=[str(name) for name in data["allowed_origins"]],
                **counts,
                **seconds,  # type: ignore[arg-type]
                store=data.get("store"),
                workspace_limits={k: int(v) for k, v in data.get("workspace_limits", {}).items()},
            )
        except (ValueError, TypeError, KeyError) as bad:
            raise KlaError(f"{ENVIRONMENT}: expected the service configuration; {bad}") from None


_COUNTS = ("max_body", "max_batch_body", "max_connections", "max_bodies", "max_batches")
_SECONDS = ("header_timeout", "body_timeout", "idle_timeout")


@attrs.frozen
class Rulesets:
    """The loaded rulesets by id, in the configured order."""

    by_id: Mapping[str, kla.RuleSet]

    @classmethod
    def load(cls, names: Iterable[str]) -> Rulesets:
        """Load each name or path once; raises :class:`KlaError` for a bad one or a repeated id."""
        loaded: dict[str, kla.RuleSet] = {}
        for name in tuple(names) or kla.bundled_rulesets():
            ruleset = kla.load_ruleset(name)
            if ruleset.id in loaded:
                raise KlaError(
                    f"--ruleset {name}: a ruleset with id {ruleset.id!r} is loaded twice"
                )
            loaded[ruleset.id] = ruleset
        return cls(loaded)

    def named(self, ruleset_id: str) -> kla.RuleSet:
        """The loaded ruleset ``ruleset_id``, or :class:`ApiError` 404."""
        found = self.by_id.get(ruleset_id)
        if found is None:
            known = ", ".join(self.by_id)
            message = f"no loaded ruleset has id {shown(ruleset_id)}; loaded: {known}"
            raise ApiError.one(404, "query.ruleset", message)
        return found

    def choose(self, requested: str | None, year: int) -> kla.RuleSet:
        """``requested`` if given, else the loaded ruleset in force for round ``year`` (422 if
        none or several are)."""
        if requested is not None:
            return self.named(requested)
        try:
            return kla.ruleset_for(year, self.by_id.values())
        except RoundNotCoveredError as error:
            raise ApiError.one(422, "body: $.year", f"{error}; name one with ?ruleset=") from None
