"""Batch summaries: districts per tier in the shape of the published award tables, a ranking."""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs
import yaml
from hypothesis import given
from hypothesis import strategies as st

import kla_model as kla

RULES = kla.load_ruleset("perpres-25-2021")
EXAMPLE = kla.ScoreTotals.of(
    kla.score(
        RULES,
        kla.load_submission("examples/kota-tangerang-2025.yaml"),
        stage="self_assessment",
    )
)
TIERS = {tier.id: tier for tier in RULES.tiers.tiers}


def _result(code: str, total: float, year: int = 2025) -> kla.ScoreTotals:
    region = kla.Region(code, f"Kota {code}", "kota", "Banten")
    return attrs.evolve(EXAMPLE, region=region, year=year, total=total, tier=RULES.tier_for(total))


def test_counts_per_tier_and_round() -> None:
    results = [
        _result("a", 950),
        _result("b", 810),
        _result("c", 700),
        _result("d", 700.5),
        _result("e", 499.99),
        _result("f", 600, year=2024),
    ]
    summary = kla.summarise(RULES, results)
    assert [tier.id for tier in summary.tiers] == ["kla", "utama", "nindya", "madya", "pratama"]
    assert [r.year for r in summary.rounds] == [2024, 2025]
    latest = summary.round(2025)
    assert [(tier.id, count) for tier, count in latest.counts] == [
        ("kla", 1),
        ("utama", 1),
        ("nindya", 1),
        ("madya", 1),
        ("pratama", 0),
    ]
    assert (latest.awarded, latest.no_tier, latest.scored) == (4, 1, 5)
    assert summary.round(2024).count("pratama") == 1


def test_ranking_shares_ranks_on_ties_and_orders_by_code() -> None:
    results = [_result("b", 700), _result("a", 800), _result("c", 700), _result("d", 650)]
    summary = kla.summarise(RULES, results)
    assert [(e.rank, e.region.code, e.total) for e in summary.ranking] == [
        (1, "a", 800),
        (2, "b", 700),
        (2, "c", 700),
        (4, "d", 650),
    ]
    assert [e.region.code for e in summary.top(2)] == ["a", "b"]


def test_text_has_the_award_table_and_the_top() -> None:
    summary = kla.summarise(RULES, [EXAMPLE], errors=2)
    text = summary.text()
    assert "Aturan / Ruleset: perpres-25-2021 2025.1 (provisional)" in text
    assert "Rows not scored: 2" in text
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("Tahun / Round"))
    assert header.split("  ")[0] == "Tahun / Round"
    row = next(line for line in lines if line.startswith("2025"))
    assert row.split() == ["2025", "0", "0", "1", "0", "0", "1", "0", "1"]
    assert lines[-1].split() == ["1", "Kota", "Tangerang", "Banten", "763,25", "Nindya"]


def _published() -> dict[str, Any]:
    with open("tests/data/published-outcomes.yaml", encoding="utf-8") as stream:
        loaded: dict[str, Any] = yaml.safe_load(stream)
    return loaded


def test_a_round_shaped_like_the_published_2025_awards() -> None:
    """Domain notes §8: 22 Utama, 69 Nindya, 125 Madya, 139 Pratama; 355 of 464 awarded."""
    published = _published()["awards_per_tier"][2025]
    minimum = {"utama": 850.0, "nindya": 750.0, "madya": 650.0, "pratama": 550.0}
    results = [
        _result(f"{tier}-{n}", minimum[tier])
        for tier in ("utama", "nindya", "madya", "pratama")
        for n in range(published[tier])
    ]
    results += [_result(f"none-{n}", 400.0) for n in range(published["participants"] - 355)]
    latest = kla.summarise(RULES, results).round(2025)
    for tier in ("utama", "nindya", "madya", "pratama"):
        assert latest.count(tier) == published[tier]
    assert latest.count("kla") == 0
    assert latest.awarded == published["total"]
    assert latest.scored == published["participants"]


def test_the_example_table_lands_in_the_published_2025_tiers() -> None:
    """Its values are illustrative, chosen so that each district reaches its real 2025 tier."""
    published = _published()
    real = {name: tiers[2025] for name, tiers in published["tier_history"].items() if 2025 in tiers}
    real |= {name: tier for tier, names in published["jawa_tengah_2025"].items() for name in names}
    batch = kla.score_table(RULES, kla.load_table("examples/districts-2025.csv"))
    assert len(batch.results) == 8
    for result in batch.results:
        assert result.tier is not None
        assert result.tier.id == real[result.region.name], result.region.name


@given(
    st.lists(
        st.tuples(st.sampled_from("abcdefgh"), st.floats(0, 1000)),
        max_size=12,
        unique_by=lambda pair: pair[0],
    )
)
def test_counts_add_up_and_ranks_follow_totals(pairs: list[tuple[str, float]]) -> None:
    results = [_result(code, total) for code, total in pairs]
    summary = kla.summarise(RULES, iter(results))
    assert sum(r.scored for r in summary.rounds) == len(results)
    tiers = Counter(None if r.tier is None else r.tier.id for r in results)
    for summary_round in summary.rounds:
        for tier, count in summary_round.counts:
            assert count == tiers[tier.id]
        assert summary_round.no_tier == tiers[None]
    ranks = [entry.rank for entry in summary.ranking]
    totals = [entry.total for entry in summary.ranking]
    assert totals == sorted(totals, reverse=True)
    assert ranks == sorted(ranks)
    for position, entry in enumerate(summary.ranking, start=1):
        assert entry.rank == 1 + sum(t > entry.total for t in totals)
        assert entry.rank <= position
