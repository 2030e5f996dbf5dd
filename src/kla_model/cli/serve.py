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


def _seconds(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not 0 < number <= 3600:
        raise argparse.ArgumentTypeError(f"expected seconds from 0 to 3600; found {text}")
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
    _add_limits(parser)
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


#: The limits ``kla serve`` takes, with their meaning and default: those of ServiceConfig,
#: written here because the command line does not import the service to show its help (a
#: test keeps the two equal).
_LIMITS: tuple[tuple[str, Any, str], ...] = (
    ("--max-body", _positive, "bytes of a JSON or file body (default: 2000000)"),
    ("--max-batch-body", _positive, "bytes of a /batch body (default: 16000000)"),
    ("--header-timeout", _seconds, "seconds for a request's headers (default: 10)"),
    ("--body-timeout", _seconds, "seconds for a request's body (default: 60)"),
    ("--idle-timeout", _seconds, "seconds an idle connection is kept (default: 5)"),
    ("--max-connections", _positive, "connections at once; more get 503 (default: 100)"),
    ("--max-bodies", _positive, "requests with a body worked on at once (default: 8)"),
    ("--max-batches", _positive, "batches worked on at once (default: 2)"),
)


def _field(option: str) -> str:
    return option.removeprefix("--").replace("-", "_")


def _add_limits(parser: argparse.ArgumentParser) -> None:
    limits = parser.add_argument_group("limits (per worker process)")
    for option, kind, words in _LIMITS:
        limits.add_argument(option, type=kind, metavar="N", help=words)
    limits.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME[:PORT]",
        help="a Host the service answers (repeat; default: localhost, 127.0.0.1, [::1] and "
        "--host, on --port; '*' for any, when a proxy in front checks it)",
    )
    limits.add_argument(
        "--allowed-origin",
        action="append",
        default=[],
        metavar="URL",
        help="another site whose pages may post to the service (repeat; default: none)",
    )


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
        rulesets=tuple(args.ruleset),
        store=args.store,
        workspace_limits=_limits(args),
        allowed_hosts=args.allowed_host or _local_hosts(args.host, args.port),
        allowed_origins=args.allowed_origin,
        **{
            _field(option): getattr(args, _field(option))
            for option, _, _ in _LIMITS
            if getattr(args, _field(option)) is not None
        },
    )
    serve(config, args.host, args.port, args.workers)
    return 0


def _local_hosts(host: str, port: int) -> list[str]:
    """The default Host names: this machine's own, and the address listened on, on the port."""
    names = ["localhost", "127.0.0.1", "[::1]"]
    if host not in ("0.0.0.0", "::", ""):
        names.append(f"[{host}]" if ":" in host else host)
    return [f"{name}:{port}" for name in dict.fromkeys(names)]
