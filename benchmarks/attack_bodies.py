"""The worst request bodies of each kind found in attacking the service (issue 23), built to
a given size: for ``benchmarks/attack.py``, which measures what each costs the server, and
for the tests, which check that the cost is bounded.

Each builder takes a size in bytes and returns ``(path, content type, body)`` of about that
size (never more): the body is the example submission made worse in one way, repeated until
the size is reached.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.json"
JSON = "application/json"

Body = tuple[str, str, bytes]


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text("utf-8"))
    return data


def _grown(size: int, build: Callable[[int], bytes]) -> bytes:
    """``build(n)`` for about the largest ``n`` that keeps it within ``size`` bytes: estimated
    from two small builds, then bisected to within 1%."""
    one, many = len(build(1)), len(build(101))
    each = max(1.0, (many - one) / 100)
    estimate = max(1, int((size - one) / each))
    low, high = max(1, estimate // 2), estimate * 2
    while len(build(low)) > size and low > 1:
        low //= 2
    while high - low > max(1, low // 100):
        middle = (low + high) // 2
        low, high = (middle, high) if len(build(middle)) <= size else (low, middle)
    return build(low)


def _dumps(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def supporters(size: int) -> Body:
    """``POST /tasks``: an assignment of 200 agencies whose owners name undefined supporters:
    once a problem per supporter, each listing every agency of the file."""
    agencies = [{"id": f"a{i:03d}", "name": f"Agency {i}", "short": f"A{i}"} for i in range(200)]

    def build(count: int) -> bytes:
        owners = [
            {"id": "K.1", "lead": "a000", "support": [f"x{o}-{s}" for s in range(50)]}
            for o in range(count)
        ]
        assignment = {"status": "adopted", "agencies": agencies, "owners": owners}
        return _dumps({"submission": example(), "assignment": assignment})

    return "/tasks", JSON, _grown(size, build)


def cost_ids(size: int) -> Body:
    """``POST /plan``: costs for thousands of unknown item ids (once a did-you-mean each)."""

    def build(count: int) -> bytes:
        items = {f"Z.{i}.{i}": 1 for i in range(count)}
        return _dumps({"submission": example(), "costs": {"items": items}})

    return "/plan", JSON, _grown(size, build)


def records(size: int) -> Body:
    """``POST /score``: up to 5,000 pieces of evidence, and as many records naming unknown
    evidence (once a fuzzy search over every evidence id per record)."""
    base = example()
    piece = dict(base["evidence"][0])

    def build(count: int) -> bytes:
        evidence = [{**piece, "id": f"ev-{i:05d}"} for i in range(min(count, 5000))]
        decisions = [
            {
                "stage": "administrative",
                "action": "accept",
                "evidence": f"ev-{i:05d}x",
                "verifier": "v",
                "reason": {"id": "r", "en": "r"},
            }
            for i in range(count)
        ]
        return _dumps({**base, "evidence": evidence, "verification": decisions})

    return "/score", JSON, _grown(size, build)


def file_name(size: int) -> Body:
    """``POST /page/submission?name=...``: a long file name echoed in every problem's place
    (the body is a submission with a bad value in many answers)."""
    name = "n" * 60_000 + ".yaml"  # httpx sends URLs of at most 64 KiB
    base = example()
    answers = {key: {"value": "nonsense"} for key in base["answers"]}
    body = _dumps({**base, "answers": answers})
    return f"/page/submission?name={name}", "application/yaml", body[:size]


def containers(size: int) -> Body:
    """``POST /score``: the most lists per byte JSON can hold (``[[],[],...]``)."""
    count = max(1, (size - 2) // 3)
    return "/score", JSON, ("[" + ",".join(["[]"] * count) + "]").encode()


def csv_cells(size: int) -> Body:
    """``POST /batch``: one CSV row of millions of empty cells."""
    header = b"region_code,region_name,region_kind,province,year\n"
    return "/batch", "text/csv", header + b"," * (size - len(header))


def jsonl_records(size: int) -> Body:
    """``POST /batch``: JSON Lines, each line a submission as :func:`records` makes it."""
    _, _, line = records(min(size, 400_000))
    count = max(1, size // (len(line) + 1))
    return "/batch", "application/x-ndjson", b"\n".join([line] * count)


def jsonl_unknown_ids(size: int) -> Body:
    """``POST /batch``: JSON Lines of small submissions each naming unknown indicators (a
    did-you-mean for each, once per line)."""
    base = example()
    answers = dict(list(base["answers"].items())[:13])
    answers.update({f"{key}x": value for key, value in list(base["answers"].items())[:12]})
    line = _dumps({"region": base["region"], "year": base["year"], "answers": answers})
    count = max(1, size // (len(line) + 1))
    return "/batch", "application/x-ndjson", b"\n".join([line] * count)


#: Every kind, by name, in the order the benchmark prints them.
KINDS: dict[str, Callable[[int], Body]] = {
    "supporters": supporters,
    "cost-ids": cost_ids,
    "records": records,
    "file-name": file_name,
    "containers": containers,
    "csv-cells": csv_cells,
    "jsonl-records": jsonl_records,
    "jsonl-unknown-ids": jsonl_unknown_ids,
}
