"""kla_model's benchmark: how fast scoring is, against the honest limit, in one run.

Run from the repository root::

    python benchmarks/bench.py            # the full run (100,000 submissions, 1,000,000 for memory)
    python benchmarks/bench.py --quick    # a smaller run, for a quick look

It prints one table with every ratio of the performance targets (issues 11 and 20).  Every
ratio is of two times measured in turns in the same run on the same machine, so the ratios,
not the absolute times, are what to compare between machines.  A time per call is the
fastest of many blocks of calls of equal length (about 2 ms) on each side, taken in turns: on
a shared machine the fastest block is the one other processes disturbed least
(:func:`per_call_times`).  The limit is ``benchmarks/flat.py``: a
flat, straight-line function generated from the ruleset file, proven equal to ``score()`` by
a property test (``tests/test_flat_baseline.py``) and checked again here on every generated
submission before anything is timed.

The submissions are drawn at random (fixed seed) from every answer the bundled ruleset
allows, including unanswered indicators and items.  For the timings a pool of 1,000 distinct
submissions is generated first and the stream cycles through it, so that generating
submissions is not what is timed; for the memory peaks every submission is a new object,
made lazily while ``score_many`` consumes the stream and dropped after it.

The peers (``rule-engine``, GoRules ``zen-engine``) need the ``bench`` extra
(``pip install 'kla_model[bench]'``); without it their rows say so.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import importlib.metadata
import itertools
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from flat import flat_functions, flat_module  # noqa: E402

import kla_model as kla  # noqa: E402
from kla_model._base import json_schema  # noqa: E402
from kla_model.rules.point_rules import (  # noqa: E402
    BandsRule,
    BooleanRule,
    ChecklistRule,
    LevelsRule,
    LinearRule,
    ReferenceRule,
)
from kla_model.scoring.engine import score_json  # noqa: E402
from kla_model.submissions.submission import answer_to_data  # noqa: E402
from kla_model.tables.table import FIXED_COLUMNS, answer_columns  # noqa: E402

RULESET = "perpres-25-2021"
#: Timed blocks per side of a per-call ratio, for each of the run's repeats (3 or 5).
ROUNDS = 40
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"

# --------------------------------------------------------------------------------------------
# Generated submissions: every answer the ruleset allows, drawn at random.


def _number(rng: random.Random, rule: Any, earliest: int) -> kla.Measurement:
    """A measured answer whose data year the round accepts (``earliest`` on)."""
    if isinstance(rule, ReferenceRule):
        year = rng.randint(max(rule.series.first_year, earliest), rule.series.last_year)
        reference = rule.series.point_for(year).value
        value = rng.choice([reference, round(rng.uniform(0, 2 * reference), 2)])
        return kla.Measurement(value, year)
    if isinstance(rule, BandsRule):
        edges = [band.min for band in rule.bands] + [rule.bands[-1].max]
        value = rng.choice([*edges, round(rng.uniform(edges[0], edges[-1]), 2)])
        return kla.Measurement(value, rng.randint(2021, 2024))
    assert isinstance(rule, LinearRule)
    low, high = sorted((rule.start.value, rule.end.value))
    return kla.Measurement(round(rng.uniform(low, high), 2), 2023)


def _answer(rng: random.Random, item: kla.Item, earliest: int) -> Any:
    rule = item.rule
    if isinstance(rule, BooleanRule):
        return rng.random() < 0.7
    if isinstance(rule, LevelsRule):
        return rng.choice(rule.levels).id
    if isinstance(rule, ChecklistRule):
        return tuple(option.id for option in rule.options if rng.random() < 0.6)
    return _number(rng, rule, earliest)


def random_submission(
    rng: random.Random, ruleset: kla.RuleSet, number: int, year: int = 2025
) -> kla.Submission:
    """A valid submission with every indicator answered, or (one in ten) left unanswered."""
    answers: dict[str, Any] = {}
    earliest = year - (ruleset.max_data_age or year)  # the oldest data year the round accepts
    for indicator in ruleset.indicators.values():
        if rng.random() < 0.1:
            continue
        items = {
            item.id: _answer(rng, item, earliest) for item in indicator.items if rng.random() < 0.95
        }
        if len(indicator.items) == 1 and indicator.items[0].id in items:
            answers[indicator.id] = items[indicator.items[0].id]
        elif items:
            answers[indicator.id] = kla.ItemAnswers(items)
    region = kla.Region(f"{number:05d}", f"Kabupaten {number}", "kabupaten", "Provinsi Contoh")
    return kla.Submission(region=region, year=year, answers=answers)


def stream(pool: list[kla.Submission], count: int) -> Iterator[kla.Submission]:
    """``count`` submissions, cycling through ``pool``: lazily, never a list of them all."""
    return itertools.islice(itertools.cycle(pool), count)


def fresh(ruleset: kla.RuleSet, count: int, seed: int = 7) -> Iterator[kla.Submission]:
    """``count`` distinct submissions, each generated only when the consumer asks for it."""
    rng = random.Random(seed)
    return (random_submission(rng, ruleset, number) for number in range(count))


# --------------------------------------------------------------------------------------------
# Measuring.


def timed(consume: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    consume()
    return time.perf_counter() - start


def paired(
    first: Callable[[], object], second: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """The times of two long measurements (whole batches) taken in turns, each the fastest
    of its ``repeats``: so that a slow spell of the machine falls on both, and the run
    least disturbed by other processes is the one compared (see :func:`per_call_times`)."""
    times = [(timed(first), timed(second)) for _ in range(repeats)]
    return min(t for t, _ in times), min(t for _, t in times)


#: How long one timed block of calls lasts: short enough that most blocks run without
#: another process taking the core, long against the clock's resolution.
BLOCK_SECONDS = 0.002


def per_call_times(functions: list[Callable[[], object]], rounds: int) -> list[float]:
    """The time of one call of each of ``functions``, measured in turns in blocks of calls
    that each last about :data:`BLOCK_SECONDS`, each the fastest of its ``rounds`` blocks
    (garbage collection on, as a service runs).

    On a shared machine other processes take the core now and then: a block of calls they
    interrupt is slower by their time, not by the code's.  The fastest block is the least
    disturbed one (``timeit``'s documentation advises the same), and blocks of equal
    length give every side the same chance of being disturbed; a median of blocks of
    unequal length (50 ms of the service path against 2 ms of the limit) charged the
    machine's load to the slower side.
    """
    blocks = [_block(function) for function in functions]
    best = [math.inf] * len(blocks)
    for _ in range(rounds):
        for side, (calls, number) in enumerate(blocks):
            start = time.perf_counter()
            calls()
            best[side] = min(best[side], (time.perf_counter() - start) / number)
    return best


def per_call_pair(
    first: Callable[[], object], second: Callable[[], object], rounds: int
) -> tuple[float, float]:
    """:func:`per_call_times` of ``first`` and ``second``, taken in turns."""
    one, other = per_call_times([first, second], rounds)
    return one, other


def _block(function: Callable[[], object]) -> tuple[Callable[[], None], int]:
    """A block of calls of ``function`` lasting about :data:`BLOCK_SECONDS`, and its size."""
    function()  # first calls make what is kept (a ruleset's compiled form, its writer)
    start, number = time.perf_counter(), 0
    while time.perf_counter() - start < BLOCK_SECONDS:
        function()
        number += 1
    return per_call(function, max(number, 1)), max(number, 1)


def per_call(function: Callable[[], object], number: int) -> Callable[[], None]:
    def calls() -> None:
        for _ in range(number):
            function()

    return calls


def drain(results: Iterable[object]) -> None:
    for _ in results:
        pass


def peak_bytes(consume: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        consume()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def expected(ruleset: kla.RuleSet, submission: kla.Submission) -> tuple[Any, ...]:
    card = kla.score(ruleset, submission)
    return (
        tuple(g.points for g in card.groups),
        card.total,
        None if card.tier is None else card.tier.id,
    )


def as_mapping(submission: kla.Submission) -> dict[str, Any]:
    """The submission as a JSON body gives it."""
    answers = {key: answer_to_data(answer) for key, answer in submission.answers.items()}
    return {"region": submission.region.to_dict(), "year": submission.year, "answers": answers}


def check_limit(ruleset: kla.RuleSet, pool: list[kla.Submission], flat: Any, on_dict: Any) -> None:
    """The limit is only a limit if it gives score()'s group points, total and tier."""
    for submission in pool:
        want = expected(ruleset, submission)
        for got in (flat(submission), on_dict(as_mapping(submission))):
            if got != want:
                raise SystemExit(f"the flat limit disagrees with score(): {got} != {want}")


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×"


# --- the wide table, for `kla batch` and score_frame -------------------------------------------


def table_row(ruleset: kla.RuleSet, submission: kla.Submission, number: int) -> list[str]:
    # Every row its own district: a district-year may come only once in a table.
    district = {"region_code": f"{number:06d}", "region_name": f"Kabupaten {number}"}
    return list((kla.submission_row(ruleset, submission) | district).values())


def write_table(ruleset: kla.RuleSet, pool: list[kla.Submission], rows: int, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*FIXED_COLUMNS, *answer_columns(ruleset)])
        for number, submission in zip(range(rows), itertools.cycle(pool)):
            writer.writerow(table_row(ruleset, submission, number))


def process_times(commands: list[list[str]], repeats: int, cache: Path) -> list[float]:
    """The median wall time of each command as a whole process, run in turns.

    Every command runs with a bytecode cache (in ``cache``, warmed by one untimed run), as an
    installed package does: PyYAML in the limit's script comes with its bytecode, and a
    machine with ``PYTHONDONTWRITEBYTECODE`` set would otherwise make ``kla`` alone compile
    its sources on every run.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONPYCACHEPREFIX": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times: list[list[float]] = [[] for _ in commands]
    for turn in range(repeats + 1):
        for command, spent in zip(commands, times, strict=True):
            start = time.perf_counter()
            subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, cwd=ROOT)
            if turn:  # the first turn fills the bytecode cache
                spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def peer_rows(
    ruleset: kla.RuleSet, pool: list[kla.Submission], per_flat: float
) -> list[tuple[str, str]]:
    rows = []
    try:
        from peers import rule_engine_scorer, zen_scorer  # noqa: PLC0415

        makers = [
            ("rule-engine, a rule per item", rule_engine_scorer),
            ("GoRules ZEN, one decision graph", zen_scorer),
        ]
        scorers = [(name, make(ruleset)) for name, make in makers]
    except ImportError as missing:
        return [("peers", f"n/a ({missing.name} not installed: pip install 'kla_model[bench]')")]
    sample = pool[:200]
    for name, scorer in scorers:
        for submission in sample:
            _, total, tier = expected(ruleset, submission)
            if scorer(submission) != (total, tier):
                raise SystemExit(f"{name} disagrees with score() on {submission.region.code}")
        spent = statistics.median(timed(lambda f=scorer: [f(s) for s in sample]) for _ in range(3))
        each = spent / len(sample)
        rows.append((f"peer: {name}", f"{each * 1e6:,.0f} µs ({ratio(each, per_flat)} the limit)"))
    return rows


def fresh_copies(pool: list[kla.Submission], count: int) -> Iterator[kla.Submission]:
    """``count`` new submission objects (each with its own region), made only when asked for."""
    for number in range(count):
        base = pool[number % len(pool)]
        region = attrs.evolve(base.region, code=f"{number:07d}")
        yield kla.Submission(region=region, year=base.year, answers=base.answers)


def memory_rows(
    ruleset: kla.RuleSet, pool: list[kla.Submission], memory_count: int
) -> list[tuple[str, str]]:
    """The peak while score_many consumes fresh submissions, a small batch and a large one."""
    rows: list[tuple[str, str]] = []
    small = memory_count // 100
    peak_small = peak_bytes(
        lambda: drain(kla.score_many(ruleset, fresh_copies(pool, small), trace=False))
    )
    peak_large = peak_bytes(
        lambda: drain(kla.score_many(ruleset, fresh_copies(pool, memory_count), trace=False))
    )
    rows.append(
        (
            f"peak memory, {small:,} → {memory_count:,} submissions  [flat]",
            f"{peak_small / 1024:.0f} KiB → {peak_large / 1024:.0f} KiB  "
            f"{ratio(peak_large, peak_small)}",
        )
    )

    return rows


def install_rows(body: dict[str, Any], per_dict: float, rounds: int) -> list[tuple[str, str]]:
    """``Submission.from_mapping`` as the plain install runs it (jsonschema-rs is a core
    dependency where it has wheels) and where jsonschema-rs does not install (jsonschema
    alone checks every submission)."""
    example = json.loads(EXAMPLE.with_suffix(".json").read_text("utf-8"))

    def each(data: dict[str, Any], rounds: int) -> float:
        return per_call_times([lambda: kla.Submission.from_mapping(data)], rounds)[0]

    plain = [each(body, rounds), each(example, rounds)]
    installed = json_schema._fast_validator("submission") is not None
    with _without_jsonschema_rs():  # (a call of some milliseconds: a block of one or two)
        alone = [each(body, rounds // 10), each(example, rounds // 10)]
    where = "plain install" if installed else "jsonschema-rs NOT installed here"
    rows = []
    for name, fast, slow in (
        ("answers only", plain[0], alone[0]),
        ("with evidence and records", plain[1], alone[1]),
    ):
        rows += [
            (
                f"from_mapping, example {name} ({where})",
                f"{fast * 1e6:,.0f} µs  {ratio(fast, per_dict)}",
            ),
            (
                f"from_mapping, example {name} (jsonschema alone: no wheel)",
                f"{slow * 1e6:,.0f} µs  {ratio(slow, per_dict)}",
            ),
        ]
    return rows


@contextlib.contextmanager
def _without_jsonschema_rs() -> Iterator[None]:
    """The schema check as a platform without jsonschema-rs wheels runs it."""
    original = json_schema._fast_validator
    json_schema._fast_validator = lambda name: None  # type: ignore[assignment]
    try:
        yield
    finally:
        json_schema._fast_validator = original


def table_rows(
    ruleset: kla.RuleSet, pool: list[kla.Submission], count: int, repeats: int
) -> list[tuple[str, str]]:
    """The whole `kla batch` process, score_frame, and `kla score` as a process."""
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "table.csv"
        write_table(ruleset, pool, count, table)
        cache = Path(folder) / "bytecode"
        batch_command = [
            sys.executable,
            "-c",
            "from kla_model.cli import entry; entry()",  # what the `kla` script runs
            "batch",
            str(table),
            "--out",
            str(Path(folder) / "out.csv"),
        ]
        (batch_process,) = process_times([batch_command], repeats, cache)
        rows.append(
            (
                f"`kla batch`, {count:,}-row CSV, whole process  [≥ 40,000/s]",
                f"{batch_process:.1f} s ({count / batch_process:,.0f} rows/s)",
            )
        )
        try:
            import pandas  # noqa: PLC0415
        except ImportError:
            rows.append(("score_frame", "n/a (pandas not installed)"))
        else:
            frame_rows = min(count, 20_000)
            frame = pandas.read_csv(table, dtype=str, keep_default_na=False, nrows=frame_rows)
            spent = timed(lambda: kla.score_frame(ruleset, frame))
            rows.append(
                (
                    f"score_frame, {frame_rows:,} rows  [≥ 100,000/s]",
                    f"{spent:.2f} s ({frame_rows / spent:,.0f} rows/s)",
                )
            )

        # The command line: `kla score example` against a libyaml script with the flat limit.
        module = Path(folder) / "flat_limit.py"
        module.write_text(flat_module(ruleset), "utf-8")
        script = (
            f"import sys; sys.path.insert(0, {folder!r}); import yaml, flat_limit; "
            f"d = yaml.load(open({str(EXAMPLE)!r}, 'rb'), Loader=yaml.CSafeLoader); "
            "print(flat_limit.on_dict(d))"
        )
        cli_command = [
            sys.executable,
            "-c",
            "from kla_model.cli import entry; entry()",  # what the `kla` script runs
            "score",
            str(EXAMPLE),
        ]
        limit_process, cli_process = process_times(
            [[sys.executable, "-c", script], cli_command], repeats, cache
        )
        rows += [
            ("libyaml script + flat limit, as a process", f"{limit_process * 1e3:.0f} ms"),
            (
                "`kla score example` as a process  [≤ 3×]",
                f"{cli_process * 1e3:.0f} ms  {ratio(cli_process, limit_process)}",
            ),
        ]

    return rows


def run(count: int, memory_count: int, pool_size: int, repeats: int) -> list[tuple[str, str]]:
    ruleset = kla.load_ruleset(RULESET)
    # The declared answers alone: the self-assessment, which the limit computes.
    loaded = kla.load_submission(EXAMPLE)
    example = kla.Submission(loaded.region, loaded.year, loaded.answers)
    rng = random.Random(2025)
    pool = [random_submission(rng, ruleset, n) for n in range(pool_size)]
    flat, on_dict = flat_functions(ruleset)
    check_limit(ruleset, [example, *pool], flat, on_dict)
    rows: list[tuple[str, str]] = []

    # One submission: full trace, totals only, against the limit on a Submission.
    rounds = ROUNDS * repeats
    per_score, per_flat = per_call_pair(
        lambda: kla.score(ruleset, example), lambda: flat(example), rounds
    )
    one = [example]
    per_totals, per_flat2 = per_call_pair(
        lambda: next(kla.score_many(ruleset, one, trace=False)), lambda: flat(example), rounds
    )
    rows += [
        ("limit: flat function on the example Submission", f"{per_flat * 1e6:.2f} µs"),
        (
            "score(), full trace, example  [target ≤ 4×]",
            f"{per_score * 1e6:.1f} µs  {ratio(per_score, per_flat)}",
        ),
        (
            "score_many(rs, [one], trace=False)  [target ≤ 2.5×]",
            f"{per_totals * 1e6:.1f} µs  {ratio(per_totals, per_flat2)}",
        ),
    ]

    # The service path: a JSON body in, validated, scored with its trace, JSON bytes out.
    body = json.loads(json.dumps(as_mapping(example)))
    per_service, per_dict = per_call_pair(
        lambda: score_json(ruleset, kla.Submission.from_mapping(body)),
        lambda: on_dict(body),
        rounds,
    )
    per_to_dict = per_call_times([lambda: kla.score(ruleset, example).to_dict()], rounds)[0]
    rows += [
        ("limit: flat function on the plain dict", f"{per_dict * 1e6:.2f} µs"),
        (
            "service: dict → from_mapping → score_json bytes  [≤ 12×]",
            f"{per_service * 1e6:,.0f} µs  {ratio(per_service, per_dict)}",
        ),
        (
            "score → to_dict() (the library's plain data)",
            f"{per_to_dict * 1e6:,.0f} µs  {ratio(per_to_dict, per_dict)}",
        ),
    ]
    rows += install_rows(body, per_dict, rounds)

    # Batches.
    def batch(n: int) -> None:
        drain(kla.score_many(ruleset, stream(pool, n), trace=False))

    def limit_loop(n: int) -> None:
        for submission in stream(pool, n):
            flat(submission)

    batch_time, loop_time = paired(lambda: batch(count), lambda: limit_loop(count), repeats)
    trace_time = timed(lambda: drain(kla.score_many(ruleset, stream(pool, count // 10))))
    rows += [
        (
            f"score_many(trace=False), {count:,}  [was ≤ 1.3×, retired]",
            f"{batch_time:.2f} s ({count / batch_time:,.0f}/s)  {ratio(batch_time, loop_time)}",
        ),
        (f"limit loop, {count:,}", f"{loop_time:.2f} s ({count / loop_time:,.0f}/s)"),
        (
            f"score_many(trace=True), {count // 10:,}",
            f"{trace_time:.2f} s ({count // 10 / trace_time:,.0f}/s)",
        ),
    ]

    rows += memory_rows(ruleset, pool, memory_count)
    rows += table_rows(ruleset, pool, count, repeats)
    rows += peer_rows(ruleset, pool, per_flat)
    per_plan = statistics.median(timed(lambda: kla.plan(ruleset, example)) for _ in range(9))
    rows.append(("plan(), example submission", f"{per_plan * 1e3:.2f} ms"))
    return rows


def _schema_check() -> str:
    """Which compiled schema check this run measured (its speed differs between versions)."""
    try:
        return f"jsonschema-rs {importlib.metadata.version('jsonschema-rs')}"
    except importlib.metadata.PackageNotFoundError:
        return "jsonschema-rs not installed (jsonschema alone)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 submissions, fewer repeats")
    parser.add_argument("--count", type=int, help="how many submissions the batch scores")
    args = parser.parse_args(argv)
    count = args.count or (10_000 if args.quick else 100_000)
    memory_count = 100_000 if args.quick else 1_000_000
    repeats = 3 if args.quick else 5
    rows = run(count, memory_count, pool_size=1_000, repeats=repeats)
    width = max(len(name) for name, _ in rows)
    print(
        f"kla_model {kla.__version__} · Python {sys.version.split()[0]} · ruleset {RULESET} · "
        f"{_schema_check()}"
    )
    print(f"{'measure'.ljust(width)}  value")
    print(f"{'-' * width}  {'-' * 34}")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
