"""What the worst request of each kind costs ``kla serve``, against the size of its body.

Run from the repository root (with the ``[serve]`` and ``[test]`` extras installed)::

    python benchmarks/attack.py              # starts kla serve itself, on a free loopback port
    python benchmarks/attack.py --quick      # the small sizes only

For each kind of hostile body found in attacking the service (``attack_bodies.py``: unknown
supporters each listing every agency, unknown cost ids, records naming unknown evidence, a
long file name echoed in every location, lists of empty lists, a CSV row of millions of
cells, JSON Lines of bad submissions) and each size, it sends one request and prints the
answer's status and size, the server's CPU time for it (from ``/proc``) and how far the
server's resident memory rose above where it stood (its peak, reset before each request),
and the ratios to the body's size.  Bounded work means small ratios that do not grow with the
size.  The server runs on this machine with whatever else runs here: CPU times are the
figures least moved by that, memory the most exact.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

from attack_bodies import KINDS  # noqa: E402

from serve_started import Started, started_server  # noqa: E402

MB = 1_000_000
#: Body sizes per kind: the JSON bodies up to their limit (2 MB), the batches up to theirs.
SIZES = {"json": [64_000, 256_000, 1 * MB, 2 * MB], "batch": [1 * MB, 4 * MB, 16 * MB]}
QUICK = {"json": [64_000, 256_000], "batch": [1 * MB]}
_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS


def measure(server: Started, path: str, kind: str, body: bytes) -> tuple[int, int, float, float]:
    """(status, bytes out, server CPU seconds, peak memory above the start in MiB)."""
    pid = server.process.pid
    time.sleep(0.2)  # let the last answer's work end
    reset_peak(pid)
    start_rss, start_cpu = server.rss_kib(), cpu_seconds(pid)
    response = httpx.post(
        server.base + path, content=body, headers={"Content-Type": kind}, timeout=300
    )
    time.sleep(0.1)
    cpu = cpu_seconds(pid) - start_cpu
    peak = (server.peak_rss_kib() - start_rss) / 1024
    return response.status_code, len(response.content), cpu, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the small sizes only")
    args = parser.parse_args()
    sizes = QUICK if args.quick else SIZES
    print(f"# kla serve under attack: {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    header = (
        f"{'kind':18} {'body':>10} {'status':>6} {'out':>9} {'out/in':>7} "
        f"{'cpu s':>7} {'cpu s/MB':>8} {'peak MiB':>8} {'peak/in':>7}"
    )
    print(header)
    print("-" * len(header))
    with started_server(Path("/tmp/kla-attack-serve.log"), "--body-timeout", "300") as server:
        for name, build in KINDS.items():
            group = "batch" if name.startswith(("csv", "jsonl")) else "json"
            seen: set[int] = set()
            for size in sizes[group]:
                path, kind, body = build(size)
                if len(body) in seen:
                    continue  # a kind whose body does not grow (the file name)
                seen.add(len(body))
                status, out, cpu, peak = measure(server, path, kind, body)
                megabytes = len(body) / MB
                print(
                    f"{name:18} {len(body):>10,} {status:>6} {out:>9,} {out / len(body):>7.3f} "
                    f"{cpu:>7.2f} {cpu / megabytes:>8.2f} {peak:>8.1f} "
                    f"{peak / (len(body) / 2**20):>7.2f}"
                )


if __name__ == "__main__":
    main()
