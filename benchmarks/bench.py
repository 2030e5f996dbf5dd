"""kla_model's benchmark: how fast scoring is, measured against a hand-written baseline.

Run from the repository root::

    python benchmarks/bench.py            # the full run (100,000 submissions)
    python benchmarks/bench.py --quick    # a smaller run, for a quick look

It prints one table.  Every figure is a ratio to a baseline measured in the same run on the
same machine, so the ratios, not the absolute times, are what to compare between machines:

* ``score`` with its full trace, against ``baseline_total``: a straight-line function
  written by hand for the bundled ruleset (below), the fastest honest Python for one total;
* ``score_many(..., trace=False)`` over a stream of generated submissions, against a loop
  of ``baseline_total`` over the same stream;
* the peak memory (``tracemalloc``) of ``score_many`` at a tenth of the batch and at the full
  batch: flat memory means the peak does not grow with the batch.

The submissions are drawn at random (fixed seed) from every answer the bundled ruleset
allows, including unanswered indicators.  For the timings a pool of 1,000 distinct
submissions is generated first and the stream cycles through it, so that generating
submissions is not what is timed; for the memory peaks every submission is a new one,
generated lazily while ``score_many`` consumes the stream and dropped after it.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import math
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import kla_model as kla
from kla_model.rules.point_rules import (
    BandsRule,
    BooleanRule,
    ChecklistRule,
    LevelsRule,
    LinearRule,
    ReferenceRule,
)

RULESET = "perpres-25-2021"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kota-tangerang-2025.yaml"

# --------------------------------------------------------------------------------------------
# The baseline: the bundled ruleset's total, written out by hand as straight-line code.


def _quarters(value: float, full: float) -> float:
    """The coverage bands of the bundled ruleset: quarters of the maximum at 25/50/75/90 %."""
    if value >= 90:
        return full
    if value >= 75:
        return full * 0.75
    if value >= 50:
        return full * 0.5
    if value >= 25:
        return full * 0.25
    return 0.0


_CHILD_MARRIAGE = {2018: 11.21, 2019: 10.82, 2020: 10.82, 2021: 9.23, 2022: 8.06, 2023: 6.92}
_CHILD_MARRIAGE[2024] = 5.90
_STUNTING = {2018: 30.8, 2019: 27.67, 2020: 27.67, 2021: 24.4, 2022: 21.6, 2023: 21.5, 2024: 19.8}


def _below(answer: Any, series: dict[int, float], full: float) -> float:
    reference = series[answer.data_year]
    if answer.value < reference:
        return full
    return full / 2 if answer.value == reference else 0.0


def _band(answer: Any, full: float) -> float:
    return 0.0 if answer is None else _quarters(answer.value, full)


def _items(answer: Any) -> dict[str, Any]:
    return {} if answer is None else answer.items


def _ticks(ticked: Any, points: dict[str, float]) -> float:
    return sum(points[tick] for tick in ticked) if ticked else 0.0


# The points of each checklist option, and of each level (the lowest level earns nothing).
_K_1_4: dict[str, float] = {"forum-anak": 10, "konsultasi-publik": 5, "masukan-tercatat": 5}
_K_3_6: dict[str, float] = {"media-cetak-daring": 2, "radio-televisi": 1, "media-sosial": 1}
_I_2_2: dict[str, float] = {"taman-bacaan": 4, "internet-sehat": 3, "siaran-anak": 3}
_I_3_4: dict[str, float] = {
    "musrenbang-kabkota": 4,
    "musrenbang-kecamatan": 3,
    "musrenbang-desa": 3,
}
_III_6_2: dict[str, float] = {"tanpa-iklan": 5, "tanpa-promosi": 5, "tanpa-sponsor": 5}
_K_1_2: dict[Any, float] = {"perkada": 16.0, "perda": 32.0}
_K_2_4: dict[Any, float] = {"one-to-two": 2.0, "three-to-four": 3.0, "more-than-four": 5.0}
_K_2_5: dict[Any, float] = {"draft": 3.0, "enacted": 6.0}
_K_2_7: dict[Any, float] = {
    "below-25": 1.25,
    "from-25-to-50": 2.5,
    "from-50-to-75": 3.75,
    "from-75": 5.0,
}
_K_3_7: dict[Any, float] = {"some": 2.0, "most": 4.0}
_I_2_1: dict[Any, float] = {"one": 8.0, "several": 15.0}
_I_3_2: dict[Any, float] = {"some": 4.0, "all": 8.0}
_I_3_3: dict[Any, float] = {"below-half": 4.0, "half-or-more": 7.0, "all": 10.0}
_II_2_2: dict[Any, float] = {"partial": 8.0, "standard": 16.0}
_II_2_3: dict[Any, float] = {"partner": 8.0, "staff": 16.0}
_III_6_1: dict[Any, float] = {"perkada": 8.0, "perda": 15.0}
_IV_4_1: dict[Any, float] = {"available": 10.0, "standard": 20.0}
_V_5_1: dict[Any, float] = {"general": 5.0, "child-sensitive": 15.0}


def baseline_total(submission: kla.Submission) -> tuple[float, str | None]:
    """The total and tier of the bundled ruleset, by hand: no trace, no checks, no ruleset."""
    a = submission.answers
    k1, k2, k3 = _items(a.get("K.1")), _items(a.get("K.2")), _items(a.get("K.3"))
    kelembagaan = (
        (24.0 if k1.get("K.1.1") is True else 0.0)
        + _K_1_2.get(k1.get("K.1.2"), 0.0)
        + (20.0 if k1.get("K.1.3") is True else 0.0)
        + _ticks(k1.get("K.1.4"), _K_1_4)
        + (6.0 if k2.get("K.2.1") is True else 0.0)
        + (4.0 if k2.get("K.2.2") is True else 0.0)
        + (5.0 if k2.get("K.2.3") is True else 0.0)
        + _K_2_4.get(k2.get("K.2.4"), 0)
        + _K_2_5.get(k2.get("K.2.5"), 0.0)
        + (5.0 if k2.get("K.2.6") is True else 0.0)
        + _K_2_7.get(k2.get("K.2.7"), 0.0)
        + (4.0 if k3.get("K.3.1") is True else 0.0)
        + (4.0 if k3.get("K.3.2") is True else 0.0)
        + (4.0 if k3.get("K.3.3") is True else 0.0)
        + (4.0 if k3.get("K.3.4") is True else 0.0)
        + (4.0 if k3.get("K.3.5") is True else 0.0)
        + _ticks(k3.get("K.3.6"), _K_3_6)
        + _K_3_7.get(k3.get("K.3.7"), 0.0)
        + (4.0 if k3.get("K.3.8") is True else 0.0)
    )
    i2, i3 = _items(a.get("I.2")), _items(a.get("I.3"))
    klaster_1 = (
        _band(a.get("I.1"), 40.0)
        + _I_2_1.get(i2.get("I.2.1"), 0.0)
        + _ticks(i2.get("I.2.2"), _I_2_2)
        + (10.0 if i2.get("I.2.3") is True else 0.0)
        + (12.0 if i3.get("I.3.1") is True else 0.0)
        + _I_3_2.get(i3.get("I.3.2"), 0.0)
        + _I_3_3.get(i3.get("I.3.3"), 0.0)
        + _ticks(i3.get("I.3.4"), _I_3_4)
    )
    ii1, ii2 = a.get("II.1"), _items(a.get("II.2"))
    klaster_2 = (
        (0.0 if ii1 is None else _below(ii1, _CHILD_MARRIAGE, 52.0))
        + (20.0 if ii2.get("II.2.1") is True else 0.0)
        + _II_2_2.get(ii2.get("II.2.2"), 0.0)
        + _II_2_3.get(ii2.get("II.2.3"), 0.0)
        + _band(a.get("II.3"), 52.0)
    )
    iii2, iii6 = a.get("III.2"), _items(a.get("III.6"))
    klaster_3 = (
        _band(a.get("III.1"), 35.0)
        + (0.0 if iii2 is None else _below(iii2, _STUNTING, 35.0))
        + _band(a.get("III.3"), 35.0)
        + _band(a.get("III.4"), 35.0)
        + _band(a.get("III.5"), 35.0)
        + _III_6_1.get(iii6.get("III.6.1"), 0.0)
        + _ticks(iii6.get("III.6.2"), _III_6_2)
        + (5.0 if iii6.get("III.6.3") is True else 0.0)
    )
    iv4 = _items(a.get("IV.4"))
    facilities = iv4.get("IV.4.2")
    klaster_4 = (
        _band(a.get("IV.1"), 45.0)
        + _band(a.get("IV.2"), 45.0)
        + _band(a.get("IV.3"), 45.0)
        + _IV_4_1.get(iv4.get("IV.4.1"), 0.0)
        + (min(5.0 * len(facilities), 15.0) if facilities else 0.0)
        + (10.0 if iv4.get("IV.4.3") is True else 0.0)
    )
    v5 = _items(a.get("V.5"))
    klaster_5 = (
        _band(a.get("V.1"), 35.0)
        + _band(a.get("V.2"), 35.0)
        + _band(a.get("V.3"), 35.0)
        + _band(a.get("V.4"), 35.0)
        + _V_5_1.get(v5.get("V.5.1"), 0.0)
        + (10.0 if v5.get("V.5.2") is True else 0.0)
        + (10.0 if v5.get("V.5.3") is True else 0.0)
    )
    total = kelembagaan + klaster_1 + klaster_2 + klaster_3 + klaster_4 + klaster_5
    if total > 900:
        return total, "kla"
    if total > 800:
        return total, "utama"
    if total > 700:
        return total, "nindya"
    if total > 600:
        return total, "madya"
    return total, ("pratama" if total >= 500 else None)


# --------------------------------------------------------------------------------------------
# Generated submissions: every answer the ruleset allows, drawn at random.


def _number(rng: random.Random, rule: Any) -> kla.Measurement:
    if isinstance(rule, ReferenceRule):
        year = rng.randint(rule.series.first_year, rule.series.last_year)
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


def _answer(rng: random.Random, item: kla.Item) -> Any:
    rule = item.rule
    if isinstance(rule, BooleanRule):
        return rng.random() < 0.7
    if isinstance(rule, LevelsRule):
        return rng.choice(rule.levels).id
    if isinstance(rule, ChecklistRule):
        return tuple(option.id for option in rule.options if rng.random() < 0.6)
    return _number(rng, rule)


def random_submission(
    rng: random.Random, ruleset: kla.RuleSet, number: int, year: int = 2025
) -> kla.Submission:
    """A valid submission with every indicator answered, or (one in ten) left unanswered."""
    answers: dict[str, Any] = {}
    for indicator in ruleset.indicators.values():
        if rng.random() < 0.1:
            continue
        items = {item.id: _answer(rng, item) for item in indicator.items if rng.random() < 0.95}
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
    """The median times of two measurements taken in turns, so that a slow spell of the
    machine falls on both and their ratio stays fair."""
    times = [(timed(first), timed(second)) for _ in range(repeats)]
    return statistics.median(t for t, _ in times), statistics.median(t for _, t in times)


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


def check_baseline(ruleset: kla.RuleSet, pool: list[kla.Submission]) -> None:
    """The baseline is only a baseline if it gives the engine's totals and tiers."""
    for submission in pool:
        card = kla.score(ruleset, submission)
        total, tier = baseline_total(submission)
        expected = (card.total, None if card.tier is None else card.tier.id)
        if not (math.isclose(total, card.total, abs_tol=1e-9) and tier == expected[1]):
            raise SystemExit(f"baseline disagrees with score(): {(total, tier)} != {expected}")


def run(count: int, pool_size: int, repeats: int) -> list[tuple[str, str]]:
    ruleset = kla.load_ruleset(RULESET)
    # The declared answers alone: the self-assessment, which the baseline computes.
    loaded = kla.load_submission(EXAMPLE)
    example = kla.Submission(loaded.region, loaded.year, loaded.answers)
    rng = random.Random(2025)
    pool = [random_submission(rng, ruleset, n) for n in range(pool_size)]
    check_baseline(ruleset, [example, *pool])

    calls = 2_000
    per_score, per_baseline = (
        t / calls
        for t in paired(
            per_call(lambda: kla.score(ruleset, example), calls),
            per_call(lambda: baseline_total(example), calls),
            repeats * 3,
        )
    )

    def batch(n: int) -> None:
        drain(kla.score_many(ruleset, stream(pool, n), trace=False))

    def baseline_loop(n: int) -> None:
        for submission in stream(pool, n):
            baseline_total(submission)

    batch_time, loop_time = paired(lambda: batch(count), lambda: baseline_loop(count), repeats)
    trace_time = timed(lambda: drain(kla.score_many(ruleset, stream(pool, count // 10))))
    small, large = count // 10, count

    def fresh_batch(n: int) -> None:
        drain(kla.score_many(ruleset, fresh(ruleset, n), trace=False))

    peak_small = peak_bytes(lambda: fresh_batch(small))
    peak_large = peak_bytes(lambda: fresh_batch(large))
    peak_generating = peak_bytes(lambda: drain(fresh(ruleset, large)))
    added = peak_large - peak_generating

    rows = [
        ("score(), full trace, example submission", f"{per_score * 1e6:.1f} µs"),
        ("baseline: hand-written total, same submission", f"{per_baseline * 1e6:.2f} µs"),
        ("ratio full trace / baseline", f"{per_score / per_baseline:.1f}×"),
        (f"score_many(trace=False), {count:,} submissions", f"{batch_time:.2f} s"),
        ("  submissions per second", f"{count / batch_time:,.0f}"),
        (f"baseline loop, {count:,} submissions", f"{loop_time:.2f} s"),
        ("ratio score_many / baseline loop", f"{batch_time / loop_time:.2f}×"),
        (
            f"score_many(trace=True), {count // 10:,} submissions",
            f"{trace_time:.2f} s ({count // 10 / trace_time:,.0f}/s)",
        ),
        (f"peak memory, {small:,} fresh submissions", f"{peak_small / 1024:.0f} KiB"),
        (f"peak memory, {large:,} fresh submissions", f"{peak_large / 1024:.0f} KiB"),
        ("ratio peak memory (10× the batch)", f"{peak_large / peak_small:.2f}×"),
        (
            f"  of which generating {large:,} alone",
            f"{peak_generating / 1024:.0f} KiB (scoring adds {added / 1024:.0f} KiB)",
        ),
    ]
    plan = getattr(kla, "plan", None)
    if callable(plan):
        per_plan = statistics.median(timed(lambda: plan(ruleset, example)) for _ in range(9))
        rows.append(("plan(), example submission", f"{per_plan * 1e3:.2f} ms"))
    else:
        rows.append(("plan(), example submission", "n/a (no planning in this version)"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 submissions, fewer repeats")
    parser.add_argument("--count", type=int, help="how many submissions the batch scores")
    args = parser.parse_args(argv)
    count = args.count or (10_000 if args.quick else 100_000)
    repeats = 3 if args.quick else 5
    rows = run(count, pool_size=1_000, repeats=repeats)
    width = max(len(name) for name, _ in rows)
    print(f"kla_model {kla.__version__} · Python {sys.version.split()[0]} · ruleset {RULESET}")
    print(f"{'measure'.ljust(width)}  value")
    print(f"{'-' * width}  {'-' * 24}")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
