"""``kla serve``: the scorer as an HTTP service (needs ``pip install 'kla_model[serve]'``).

The service is imported only when the command runs, so that ``kla`` works without the extra.
"""

from __future__ import annotations

import argparse
from typing import Any

from kla_model.errors import MissingExtraError


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1; found {text}")
    return number


def _port(text: str) -> int:
    number = int(text)
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535; found {text}")
    return number


def add(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "serve", help="serve the scorer over HTTP (JSON in and out; needs the [serve] extra)"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument("--port", type=_port, default=8000, help="port (default: %(default)s)")
    parser.add_argument(
        "--ruleset",
        action="append",
        default=[],
        metavar="NAME|PATH",
        help="a ruleset to load (repeat for several; default: every bundled ruleset)",
    )
    parser.add_argument(
        "--workers", type=_positive, default=1, metavar="N", help="worker processes (default: 1)"
    )
    store = parser.add_argument_group(
        "the task force's shared workspace (docs/workspace.md): kept only with --store"
    )
    store.add_argument(
        "--store",
        metavar="PATH|URL",
        help="keep workspaces in a SQLite file, or in PostgreSQL (postgresql://...; the "
        "[postgres] extra); default: none, the service keeps no state",
    )
    for option, default, what in _WORKSPACE_LIMITS:
        # None unless given: the defaults are kla_model.workspace.Limits' (shown in the help).
        shown = what.replace("%(default)s", f"{default}")
        store.add_argument(f"--{option}", type=_positive, metavar="N", help=shown)
    parser.set_defaults(run=run)


#: The workspace limits: option, default (kla_model.workspace.Limits', which a test holds
#: equal), what it bounds.
_WORKSPACE_LIMITS = (
    ("max-workspaces", 1000, "workspaces in the store (default: %(default)s)"),
    ("max-history", 20_000, "changes in one workspace's history (default: %(default)s)"),
    ("changes-per-minute", 120, "changes one link may make a minute (default: %(default)s)"),
    ("max-workspace-body", 1_000_000, "bytes of a workspace request (default: %(default)s)"),
)


def _limits(args: argparse.Namespace) -> dict[str, int]:
    """The ``workspace_limits`` of the configuration, by Limits' field names."""
    names = {"max-workspace-body": "max_body"}
    given = {
        names.get(option, option.replace("-", "_")): getattr(args, option.replace("-", "_"))
        for option, _, _ in _WORKSPACE_LIMITS
    }
    return {name: value for name, value in given.items() if value is not None}


def run(args: argparse.Namespace) -> int:
    try:
        # The [serve] extra is optional: imported only when the command runs.
        from kla_model.serve.config import ServiceConfig  # noqa: PLC0415
        from kla_model.serve.run import serve  # noqa: PLC0415
    except ImportError as missing:
        raise MissingExtraError(
            f"kla serve needs the [serve] extra ({missing.name} is not installed): "
            "pip install 'kla_model[serve]'"
        ) from None
    config = ServiceConfig(
        rulesets=tuple(args.ruleset), store=args.store, workspace_limits=_limits(args)
    )
    serve(config, args.host, args.port, args.workers)
    return 0
