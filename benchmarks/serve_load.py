"""A load test of ``kla serve``: N concurrent clients for T seconds, on the loopback interface.

Run from the repository root (with the ``[serve]`` and ``[test]`` extras installed)::

    python benchmarks/serve_load.py --compare  # the floor app, then kla serve: the targets
    python benchmarks/serve_load.py            # starts kla serve itself: 32 clients, 10 s
    python benchmarks/serve_load.py --clients 8 --seconds 5 --workers 2
    python benchmarks/serve_load.py --url http://127.0.0.1:8000   # a server already running

Each client posts the example submission (``examples/kota-tangerang-2025.json``) to the
endpoint (``/score`` by default) again and again, waiting for each answer before sending the
next, until the time is up.  The clients are ``wrk`` (one thread, one connection per client,
a Lua script for the POST body) where it is installed (Debian: ``apt-get install wrk``), else
asyncio tasks on ``httpx`` in this process, which costs far more CPU per request than the
server and so is the bottleneck on a small machine: the generator and its CPU are printed.
It prints the requests answered per second, the 50th and 99th percentile latencies, the
errors (any answer other than 200, and any request that failed) and, for a server it
started, the server's CPU time per request (read from ``/proc``).  Everything shares the
machine's cores with whatever else runs there (the load average is printed too): the CPU time
per request is the figure least moved by other work.

``--compare`` runs the framework floor first (``benchmarks/floor_app.py``: Starlette and
uvicorn as ``kla serve`` runs them, parsing the body and answering a small fixed JSON), then
the same app's ``/read`` (the body parsed and read as a submission by the library's strict
reader, as ``/score`` reads it, and the same small answer: how much of the floor's rate the
reading alone leaves), then ``kla serve``, each on a fresh server, with the same workers,
clients and generator.  It measures in this process what the library does for one request
(the body parsed, read, scored and written as JSON bytes) and prints the issue-20 targets:
server CPU per request at most 2x (library + floor), requests/s at least 40 % of the floor's,
p99 under 100 ms, no errors.
Only loopback addresses are accepted: this is not a tool to load someone else's server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.json"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: How long a server started here may take to answer /health.
START_SECONDS = 60
#: wrk's script: POST the body file named by the environment; print one parseable line.
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local file = io.open(os.getenv("KLA_LOAD_BODY"), "rb")
wrk.body = file:read("*a")
file:close()
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
"""


class Load(NamedTuple):
    """What one run of the load generator saw."""

    requests: int
    elapsed: float
    errors: int
    p50: float | None
    p99: float | None
    mean: float | None
    generator: str
    generator_cpu: float


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


def _kla_serve(port: int, workers: int) -> list[str]:
    command = [sys.executable, "-m", "kla_model", "serve", "--port", str(port)]
    return [*command, "--workers", str(workers)]


def _floor_app(port: int, workers: int) -> list[str]:
    floor = ROOT / "benchmarks" / "floor_app.py"
    return [sys.executable, str(floor), "--port", str(port), "--workers", str(workers)]


@contextlib.contextmanager
def _started(command: list[str], port: int) -> Iterator[tuple[str, int]]:
    """A server started by ``command`` on loopback ``port``, and its process id."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{command[1]} did not start on port {port}")
            time.sleep(0.2)
        yield base, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _wrk(base: str, path: str, clients: int, seconds: float) -> Load:
    """The load from ``wrk``: one thread, ``clients`` connections."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "post.lua"
        script.write_text(WRK_SCRIPT, "utf-8")
        env = {**os.environ, "KLA_LOAD_BODY": str(EXAMPLE)}
        httpx.post(f"{base}{path}", content=EXAMPLE.read_bytes())  # warm up
        command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "-s", str(script)]
        before = _children_cpu()
        out = subprocess.run(
            [*command, f"{base}{path}"], env=env, capture_output=True, text=True, check=True
        ).stdout
        cpu = _children_cpu() - before
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    requests, duration, errors, p50, p99, mean = (int(v) for v in line.split()[1:])
    answered = requests - errors
    return Load(answered, duration / 1e6, errors, p50 / 1e6, p99 / 1e6, mean / 1e6, "wrk", cpu)


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


async def _httpx_load(
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


def _httpx(base: str, path: str, clients: int, seconds: float) -> Load:
    """The load from asyncio tasks on httpx, in this process."""
    before = time.process_time()
    latencies, errors, elapsed = asyncio.run(_httpx_load(base, path, clients, seconds))
    cpu = time.process_time() - before
    if not latencies:
        return Load(0, elapsed, errors, None, None, None, "httpx", cpu)
    p50, p99 = _percentile(latencies, 0.50), _percentile(latencies, 0.99)
    mean = statistics.fmean(latencies)
    return Load(len(latencies), elapsed, errors, p50, p99, mean, "httpx (asyncio)", cpu)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _run_load(
    args: argparse.Namespace, base: str, pid: int | None, path: str | None = None
) -> tuple[Load, float | None]:
    """The load on ``base`` (``path``, default ``--endpoint``), and the server's CPU seconds
    meanwhile (if it was started here)."""
    use_wrk = args.generator == "wrk" or (args.generator == "auto" and shutil.which("wrk"))
    run = _wrk if use_wrk else _httpx
    before = None if pid is None else _cpu_seconds(pid)
    load = run(base, path or args.endpoint, args.clients, args.seconds)
    after = None if pid is None else _cpu_seconds(pid)
    return load, None if before is None or after is None else after - before


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f} ms"


def _report(
    title: str, args: argparse.Namespace, load: Load, cpu: float | None, path: str | None = None
) -> str:
    rows = [
        ("server", title),
        ("endpoint", f"POST {path or args.endpoint} (example submission)"),
        ("clients", str(args.clients)),
        ("duration", f"{load.elapsed:.1f} s"),
        ("requests answered 200", f"{load.requests:,}"),
        ("requests/s", f"{load.requests / load.elapsed:,.0f}"),
        ("latency p50", _ms(load.p50)),
        ("latency p99", _ms(load.p99)),
        ("latency mean", _ms(load.mean)),
        ("errors", str(load.errors)),
        (
            "server CPU per request",
            "-" if cpu is None or not load.requests else f"{cpu / load.requests * 1000:.2f} ms",
        ),
        (
            "load generator, its CPU",
            f"{load.generator}, {load.generator_cpu:.1f} s "
            f"({load.generator_cpu / load.elapsed:.0%} of a core)",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{'measure':<{width}}  value", f"{'-' * width}  {'-' * 30}"]
    return "\n".join([*lines, *(f"{name:<{width}}  {value}" for name, value in rows)])


def _header(args: argparse.Namespace) -> str:
    import kla_model as kla  # noqa: PLC0415 (after sys.path is set for a source checkout)

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"kla_model {kla.__version__} · Python {platform.python_version()} · "
        f"{os.cpu_count()} CPUs (load average {load}) · {args.workers} worker(s)"
    )


def library_cpu(repeats: int = 2000) -> float:
    """The library's CPU seconds for one ``/score`` request's work on the example body, in
    this process: the body parsed (the service's reader), the submission read, the ruleset
    chosen, the card scored and written as JSON bytes (``score_json``, as ``/score`` calls)."""
    import kla_model as kla  # noqa: PLC0415
    from kla_model.scoring.engine import score_json  # noqa: PLC0415
    from kla_model.serve.config import Rulesets  # noqa: PLC0415
    from kla_model.serve.limits import parse_body  # noqa: PLC0415

    rulesets = Rulesets.load(())
    body = EXAMPLE.read_bytes()

    def request() -> bytes:
        submission = kla.Submission.from_mapping(parse_body(body), source="body")
        return score_json(rulesets.choose(None, submission.year), submission)

    request()
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for _ in range(repeats // 5):
            request()
        best = min(best, (time.process_time() - started) / (repeats // 5))
    return best


def _verdict(name: str, value: str, held: bool) -> str:
    return f"{name:<52}  {value:<28}  {'met' if held else 'NOT MET'}"


def compare(args: argparse.Namespace) -> str:
    """The floor app (its ``/score``, then its ``/read``), then kla serve, under the same
    load; the targets against the floor."""
    runs = {}
    servers = (("floor app", _floor_app, "/score"), ("read", _floor_app, "/read"))
    for name, command, path in (*servers, ("kla serve", _kla_serve, "/score")):
        port = _free_port()  # a fresh server for each: its workers share out new connections
        with _started(command(port, args.workers), port) as (base, pid):
            runs[name] = _run_load(args, base, pid, path)
    (floor, floor_cpu), (served, served_cpu) = runs["floor app"], runs["kla serve"]
    read, read_cpu = runs["read"]
    if floor_cpu is None or served_cpu is None or not floor.requests or not served.requests:
        raise SystemExit("expected CPU times from /proc and answered requests from both servers")
    library = library_cpu()
    floor_each, served_each = floor_cpu / floor.requests, served_cpu / served.requests
    limit = 2 * (library + floor_each)
    floor_rate = floor.requests / floor.elapsed
    rate = (served.requests / served.elapsed) / floor_rate
    read_rate = (read.requests / read.elapsed) / floor_rate
    floor_title = f"benchmarks/floor_app.py, {args.workers} worker(s)"
    lines = [
        _header(args),
        "",
        _report(floor_title, args, floor, floor_cpu, "/score"),
        "",
        _report(f"{floor_title}, kla_model's strict read", args, read, read_cpu, "/read"),
        "",
        _report(f"kla serve --workers {args.workers}", args, served, served_cpu),
        "",
        f"library, one request's work in-process (parse, read, score, write): "
        f"{library * 1e6:,.0f} µs CPU",
        _verdict(
            "server CPU per request ≤ 2× (library + floor)",
            f"{served_each * 1e3:.2f} ms ≤ {limit * 1e3:.2f} ms",
            served_each <= limit,
        ),
        _verdict("requests/s ≥ 40 % of the floor's", f"{rate:.0%}", rate >= 0.40),
        f"{'(the floor with the strict read alone, no scoring:':<52}  {read_rate:.0%})",
        _verdict("p99 < 100 ms", _ms(served.p99), served.p99 is not None and served.p99 < 0.1),
        _verdict("no errors", str(served.errors), served.errors == 0),
    ]
    return "\n".join(lines)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration (default 10)")
    parser.add_argument("--endpoint", default="/score", help="the path posted to (default /score)")
    parser.add_argument("--workers", type=int, default=1, help="workers of a started server")
    parser.add_argument("--url", help="a running server on this machine (default: start one)")
    parser.add_argument(
        "--generator",
        choices=("auto", "wrk", "httpx"),
        default="auto",
        help="the load generator (default: wrk where installed, else httpx)",
    )
    parser.add_argument(
        "--compare", action="store_true", help="the floor app, then kla serve: the targets"
    )
    args = parser.parse_args()
    if not 1 <= args.clients <= 1000 or not 0 < args.seconds <= 600:
        parser.error("expected 1-1000 clients and 0-600 seconds")
    if args.url and urlsplit(args.url).hostname not in LOOPBACK:
        parser.error(
            f"expected a loopback address ({', '.join(sorted(LOOPBACK))}); found {args.url}"
        )
    if args.compare and args.url:
        parser.error("--compare starts both servers itself; it takes no --url")
    return args


def main() -> None:
    args = _arguments()
    sys.path.insert(0, str(ROOT / "src"))
    if args.compare:
        print(compare(args))
        return
    with contextlib.ExitStack() as stack:
        if args.url:
            base, pid, title = args.url, None, args.url
        else:
            port = _free_port()
            base, pid = stack.enter_context(_started(_kla_serve(port, args.workers), port))
            title = f"kla serve --workers {args.workers} (started here)"
        load, cpu = _run_load(args, base, pid)
    print(_header(args))
    print(_report(title, args, load, cpu))


if __name__ == "__main__":
    main()
