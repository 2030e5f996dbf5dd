"""A load test of ``kla serve``: N concurrent clients for T seconds, on the loopback interface.

Run from the repository root (with the ``[serve]`` and ``[test]`` extras installed)::

    python benchmarks/serve_load.py            # starts kla serve itself: 32 clients, 10 s
    python benchmarks/serve_load.py --clients 8 --seconds 5 --workers 2
    python benchmarks/serve_load.py --url http://127.0.0.1:8000   # a server already running

Each client is an asyncio task that posts the example submission
(``examples/kota-tangerang-2025.json``) to the endpoint (``/score`` by default) again and
again, waiting for each answer before sending the next, until the time is up.  It prints the
requests answered per second, the 50th and 99th percentile latencies, the errors (any answer
other than 200, and any request that failed) and, for a server it started, the server's CPU
time per request (read from ``/proc``).  The clients run on the same machine as the server
and share its cores, as does whatever else runs there (the machine's load average is printed
too): the rates and latencies are a floor for what the server alone can do, and the CPU time
per request is the figure least moved by other work.
Only loopback addresses are accepted: this is not a tool to load someone else's server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.json"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: How long a server started here may take to answer /health.
START_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _cpu_seconds(pid: int) -> float | None:
    """CPU time used so far by process ``pid`` and its children (Linux ``/proc``; else None)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                # the command may hold spaces and parentheses: fields follow the last ")"
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(stat.parent.name) == pid or int(fields[1]) == pid:
                    total += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return None
    return total / ticks if total else None


@contextlib.contextmanager
def _started(workers: int) -> Iterator[tuple[str, int]]:
    """``kla serve`` on a free loopback port, and its process id; stopped on leaving."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "kla_model", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"kla serve did not start on port {port}")
            time.sleep(0.2)
        yield base, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


async def _client(
    client: httpx.AsyncClient, url: str, body: bytes, until: float, latencies: list[float]
) -> int:
    """Post ``body`` until ``until``; the latency of each 200 goes to ``latencies``."""
    errors = 0
    headers = {"content-type": "application/json"}
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError:
            errors += 1
            continue
        if response.status_code == 200:
            latencies.append(time.perf_counter() - started)
        else:
            errors += 1
    return errors


async def _load(
    base: str, path: str, clients: int, seconds: float
) -> tuple[list[float], int, float]:
    body = EXAMPLE.read_bytes()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        # warm up: the first request of each worker
        await client.post(path, content=body, headers={"content-type": "application/json"})
        started = time.perf_counter()
        until = started + seconds
        tasks = [_client(client, path, body, until, latencies) for _ in range(clients)]
        errors = sum(await asyncio.gather(*tasks))
        elapsed = time.perf_counter() - started
    return latencies, errors, elapsed


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _report(
    args: argparse.Namespace,
    latencies: list[float],
    errors: int,
    elapsed: float,
    cpu: float | None,
) -> str:
    import kla_model as kla  # noqa: PLC0415 (after sys.path is set for a source checkout)

    requests = len(latencies)
    rows = [
        ("endpoint", f"POST {args.endpoint} (example submission)"),
        ("clients", str(args.clients)),
        ("duration", f"{elapsed:.1f} s"),
        ("requests answered 200", f"{requests:,}"),
        ("requests/s", f"{requests / elapsed:,.0f}"),
        ("latency p50", f"{_percentile(latencies, 0.50) * 1000:.1f} ms" if latencies else "-"),
        ("latency p99", f"{_percentile(latencies, 0.99) * 1000:.1f} ms" if latencies else "-"),
        ("latency mean", f"{statistics.fmean(latencies) * 1000:.1f} ms" if latencies else "-"),
        ("errors", str(errors)),
        (
            "server CPU per request",
            "-" if cpu is None or not requests else f"{cpu / requests * 1000:.2f} ms",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    server = args.url or f"kla serve --workers {args.workers} (started here)"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"kla_model {kla.__version__} · Python {platform.python_version()} · "
        f"{os.cpu_count()} CPUs (load average {load}) · {server}",
        f"{'measure':<{width}}  value",
        f"{'-' * width}  {'-' * 30}",
    ]
    lines += [f"{name:<{width}}  {value}" for name, value in rows]
    return "\n".join(lines)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration (default 10)")
    parser.add_argument("--endpoint", default="/score", help="the path posted to (default /score)")
    parser.add_argument("--workers", type=int, default=1, help="workers of a started server")
    parser.add_argument("--url", help="a running server on this machine (default: start one)")
    args = parser.parse_args()
    if not 1 <= args.clients <= 1000 or not 0 < args.seconds <= 600:
        parser.error("expected 1-1000 clients and 0-600 seconds")
    if args.url and urlsplit(args.url).hostname not in LOOPBACK:
        parser.error(
            f"expected a loopback address ({', '.join(sorted(LOOPBACK))}); found {args.url}"
        )
    return args


def main() -> None:
    args = _arguments()
    sys.path.insert(0, str(ROOT / "src"))
    with contextlib.ExitStack() as stack:
        base, pid = (args.url, None) if args.url else stack.enter_context(_started(args.workers))
        before = None if pid is None else _cpu_seconds(pid)
        latencies, errors, elapsed = asyncio.run(
            _load(base, args.endpoint, args.clients, args.seconds)
        )
        after = None if pid is None else _cpu_seconds(pid)
    cpu = None if before is None or after is None else after - before
    print(_report(args, latencies, errors, elapsed, cpu))


if __name__ == "__main__":
    main()
