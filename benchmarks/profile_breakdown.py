"""Where a ``kla serve`` worker spends its CPU: py-spy's samples sorted into the parts of a request.

Record a worker under load, then read the samples::

    py-spy record --gil -p PID -r 250 -f raw -o serve.raw -d 14 &
    python benchmarks/serve_load.py --url http://127.0.0.1:PORT --clients 32 --seconds 10
    python benchmarks/profile_breakdown.py serve.raw

With ``--gil`` py-spy samples only the thread holding the interpreter lock: the Python work
being done, not the thread-pool threads waiting for work.  Each sample's stack is read from
the innermost frame outwards; the first frame that belongs to a part of the request names the
part (a JSON encoder called while building the response counts as encoding); the middleware
counts only its own frames.  Frames of no part (uvicorn's protocol, Starlette's routing, the
event loop, the thread pool) are the framework.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

#: Each part, and the text of the frames that belong to it, checked in this order.
PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("logging", ("logging/", "uvicorn/logging")),
    ("JSON encoding", ("json/encoder", "render (starlette/responses", "card_json")),
    ("body read", ("read_body", "Request.stream")),
    ("JSON parse", ("parse_body", "parse_json", "check_depth", "json/decoder", "json/__init__")),
    (
        "schema check",
        ("is_valid", "_surely_valid", "compiled_check_accepts", "schema_problems", "number_"),
    ),
    ("reading the submission", ("from_mapping", "quick_read", "submission.py", "_submission (")),
    ("building the response", ("to_dict", "card_data", "CompactTrace")),
    ("scoring", ("scoring/engine", "scoring/compiled", "scoring/results", "rules/")),
)
#: The middleware's own frames: a sample counts as middleware only when it is in them
#: (a frame the middleware calls through, such as sending the response, is the framework).
MIDDLEWARE = ("middleware", "CatchAll", "serve/problems")


def part_of(stack: str) -> str:
    """The part of a request one sampled stack (root first, ``;``-separated) belongs to."""
    frames = stack.split(";")
    if any(mark in frames[-1] for mark in MIDDLEWARE):
        return "middleware"
    for frame in reversed(frames):
        for part, marks in PARTS:
            if any(mark in frame for mark in marks):
                return part
    return "framework (uvicorn, Starlette, event loop, thread pool)"


def breakdown(raw: str) -> Counter[str]:
    """Samples per part, from py-spy's ``--format raw`` output (a stack and a count a line)."""
    counts: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, number = line.rpartition(" ")
        if stack and number.isdigit():
            counts[part_of(stack)] += int(number)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("raw", type=Path, help="py-spy record --format raw output")
    parser.add_argument("--requests", type=int, help="requests answered while recording")
    parser.add_argument("--cpu", type=float, help="the worker's CPU seconds while recording")
    args = parser.parse_args()
    counts = breakdown(args.raw.read_text("utf-8"))
    total = sum(counts.values())
    width = max(len(part) for part in counts)
    for part, samples in counts.most_common():
        share = samples / total
        line = f"{part:<{width}}  {share:6.1%}"
        if args.requests and args.cpu:
            line += f"  {share * args.cpu / args.requests * 1e6:8.0f} µs/request"
        print(line)


if __name__ == "__main__":
    main()
