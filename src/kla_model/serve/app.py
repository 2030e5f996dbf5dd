"""The application: :func:`create_app` loads the rulesets once and returns an ASGI app.

The app holds no state but its loaded rulesets, which are read-only: requests share nothing
else, so it is safe under any number of concurrent requests and any number of worker
processes (each loads its own copy at start).  :func:`routes` lists the endpoints; an app that
also serves pages or static files adds its routes beside them.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from kla_model.errors import KlaError
from kla_model.serve.config import Rulesets, ServiceConfig
from kla_model.serve.guard import Guard
from kla_model.serve.handlers import Service
from kla_model.serve.headers import SecurityHeaders
from kla_model.serve.limits import BodyGate
from kla_model.serve.openapi import openapi_document
from kla_model.serve.page import page_routes
from kla_model.serve.problems import ApiError, CatchAll, api_error, http_error, kla_error
from kla_model.serve.rule_kinds import rule_kinds
from kla_model.serve.workspaces import workspace_routes

__all__ = ["app_from_env", "create_app", "routes"]


def routes(service: Service) -> list[BaseRoute]:
    """The service's routes; the OpenAPI document describes exactly these."""
    document = openapi_document(service.config, service.rulesets)

    async def openapi(request: Request) -> Response:
        return JSONResponse(document)

    post = ["POST"]
    return [
        Route("/score", service.score, methods=post),
        Route("/validate", service.validate, methods=post),
        Route("/explain", service.explain, methods=post),
        Route("/plan", service.plan, methods=post),
        Route("/tasks", service.tasks, methods=post),
        Route("/stages", service.stages, methods=post),
        Route("/evidence", service.evidence, methods=post),
        Route("/batch", service.batch, methods=post),
        Route("/rulesets", service.list_rulesets),
        Route("/rulesets/{ruleset_id}", service.get_ruleset),
        Route("/schemas/{name}", service.get_schema),
        Route("/rule-kinds", rule_kinds),
        Route("/health", service.health),
        Route("/version", service.version),
        Route("/openapi.json", openapi),
    ]


def create_app(rulesets: Iterable[str] = (), config: ServiceConfig | None = None) -> Starlette:
    """The service as an ASGI app, with ``rulesets`` (bundled names or rule-file paths; none:
    every bundled ruleset) loaded now.  Raises :class:`~kla_model.KlaError` for a bad one."""
    config = config or ServiceConfig(rulesets=tuple(rulesets))
    service = Service(config, Rulesets.load(config.rulesets))
    app = Starlette(
        routes=[*routes(service), *workspace_routes(config, service.rulesets), *page_routes()],
        middleware=middleware(config),
        exception_handlers={
            ApiError: api_error,
            KlaError: kla_error,
            HTTPException: http_error,
        },
    )
    app.state.body_timeout = config.body_timeout  # read_body's limit
    return app


def middleware(config: ServiceConfig) -> list[Middleware]:
    """Outermost first: every answer gets the security headers, any fault is caught, then
    a foreign Host or site is refused before a body is waited for or read."""
    return [
        Middleware(SecurityHeaders),
        Middleware(CatchAll),
        Middleware(Guard, hosts=config.allowed_hosts, origins=config.allowed_origins),
        Middleware(
            BodyGate,
            bodies=config.max_bodies,
            batches=config.max_batches,
            seconds=config.body_timeout,
        ),
    ]


def app_from_env() -> Starlette:
    """The app configured by the environment (:data:`~kla_model.serve.config.ENVIRONMENT`):
    the factory each ``uvicorn`` worker process calls."""
    return create_app(config=ServiceConfig.from_environment())
