"""Running the service under uvicorn, in one process or several.

Each worker process builds its own app with :func:`~kla_model.serve.app.app_from_env` from
the configuration in the environment; the configuration is loaded once here first, so that
a bad ``--ruleset`` is reported before any worker starts.  uvicorn keeps the connection
limits: the idle timeout (``timeout_keep_alive``), the number of connections served at once
(``limit_concurrency``: more are answered 503), and, through
:class:`~kla_model.serve.protocol.HeaderDeadlineProtocol`, the header timeout.
"""

from __future__ import annotations

import os

import uvicorn

from kla_model.serve.config import Rulesets, ServiceConfig
from kla_model.serve.workspaces import workspace_routes

__all__ = ["serve"]

#: The factory every worker calls.
FACTORY = "kla_model.serve.app:app_from_env"
#: The HTTP protocol every worker speaks: uvicorn's, with a deadline for headers.
PROTOCOL = "kla_model.serve.protocol:HeaderDeadlineProtocol"


def serve(
    config: ServiceConfig, host: str = "127.0.0.1", port: int = 8000, workers: int = 1
) -> None:
    """Serve ``config`` on ``host:port`` with ``workers`` processes, until interrupted."""
    rulesets = Rulesets.load(config.rulesets)  # fail here, once, rather than in every worker
    workspace_routes(config, rulesets)  # the store too: opened and migrated before workers
    os.environ.update(config.to_environment())
    uvicorn.run(
        FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=PROTOCOL,
        timeout_keep_alive=max(1, round(config.idle_timeout)),
        limit_concurrency=config.max_connections,
        proxy_headers=True,
        server_header=False,
        log_level="info",
    )
