"""A batch in figures: districts per tier for each round, and a ranking.

The counts take the shape of the published award tables (how many districts reached Utama,
Nindya, Madya and Pratama in a round, out of how many took part), so a batch of modelled
scores can be set beside the published outcomes.  The ranking orders each round's districts
by total, highest first; equal totals share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import attrs

from kla_model._base.display import html_view
from kla_model._base.text import format_points, table
from kla_model._base.untrusted import terminal_safe
from kla_model.rules.model import Label, Region
from kla_model.rules.ruleset import RuleSet
from kla_model.rules.tiers import Tier
from kla_model.scoring.results import RuleSetRef, ScoreCard
from kla_model.scoring.totals import ScoreTotals

__all__ = ["BatchSummary", "Ranked", "RoundSummary", "Tally", "summarise"]


@attrs.frozen
class RoundSummary:
    """One evaluation round (year): how many districts reached each tier."""

    year: int
    #: (tier, districts) for every tier of the scale, highest tier first.
    counts: tuple[tuple[Tier, int], ...]
    no_tier: int

    @property
    def awarded(self) -> int:
        """Districts that reached a tier."""
        return sum(count for _, count in self.counts)

    @property
    def scored(self) -> int:
        """Districts scored in the round: awarded plus those below every tier."""
        return self.awarded + self.no_tier

    def count(self, tier_id: str) -> int:
        """Districts that reached the tier ``tier_id`` (``KeyError`` for an unknown tier)."""
        for tier, count in self.counts:
            if tier.id == tier_id:
                return count
        raise KeyError(tier_id)


@attrs.frozen
class Ranked:
    """A district's place in its round."""

    year: int
    rank: int
    region: Region
    total: float
    tier: Tier | None


@attrs.frozen
class BatchSummary:
    """Districts per tier for each round, and the ranking, of one batch."""

    ruleset: RuleSetRef
    #: The scale's tiers, highest first.
    tiers: tuple[Tier, ...]
    none_label: Label
    rounds: tuple[RoundSummary, ...]
    ranking: tuple[Ranked, ...]
    #: Rows of the batch that could not be scored.
    errors: int = 0

    def __repr__(self) -> str:
        years = ", ".join(str(summary.year) for summary in self.rounds)
        rs = self.ruleset
        return (
            f"<BatchSummary rounds {years}: {len(self.ranking)} districts ranked, "
            f"{self.errors} errors · {rs.id} {rs.version} ({rs.status})>"
        )

    def round(self, year: int) -> RoundSummary:
        """The summary of round ``year`` (``KeyError`` if the batch has none)."""
        for summary in self.rounds:
            if summary.year == year:
                return summary
        raise KeyError(year)

    def top(self, count: int = 10, year: int | None = None) -> tuple[Ranked, ...]:
        """The first ``count`` of the ranking, of round ``year`` (default: the latest)."""
        if not self.rounds:
            return ()
        year = self.rounds[-1].year if year is None else year
        return tuple(entry for entry in self.ranking if entry.year == year)[:count]

    def tier_rows(self) -> list[list[str]]:
        """The per-tier table as text cells: round, each tier (highest first), totals."""
        return [
            [
                str(summary.year),
                *(str(count) for _, count in summary.counts),
                str(summary.awarded),
                str(summary.no_tier),
                str(summary.scored),
            ]
            for summary in self.rounds
        ]

    def tier_header(self) -> list[str]:
        return [
            "Tahun / Round",
            *(tier.label.id for tier in self.tiers),
            "Berpredikat / Awarded",
            f"{self.none_label.id} / {self.none_label.en}",
            "Dinilai / Scored",
        ]

    def text(self, top: int = 10) -> str:
        """The summary as plain text: the per-tier table, then the top of the ranking."""
        right = range(1, len(self.tiers) + 4)
        lines = [
            f"Aturan / Ruleset: {self.ruleset.id} {self.ruleset.version} ({self.ruleset.status})",
            "",
            table(self.tier_header(), self.tier_rows(), right=right),
        ]
        if self.errors:
            lines.append(f"Baris tidak dapat dinilai / Rows not scored: {self.errors}")
        leaders = self.top(top)
        if leaders:
            rows = [
                [
                    str(entry.rank),
                    entry.region.name,
                    entry.region.province,
                    format_points(entry.total),
                    self.none_label.id if entry.tier is None else entry.tier.label.id,
                ]
                for entry in leaders
            ]
            header = ["#", "Daerah / District", "Provinsi / Province", "Total", "Peringkat / Tier"]
            lines += ["", f"Peringkat teratas / Top {len(leaders)}, {leaders[0].year}"]
            lines.append(table(header, rows, right=(0, 3)))
        return terminal_safe("\n".join(lines))

    def _repr_html_(self) -> str:
        """The summary as HTML, for notebooks."""
        return html_view(self)


_Entry = tuple[float, str, Region, Tier | None]


def _ranking(year: int, results: list[_Entry]) -> list[Ranked]:
    ordered = sorted(results, key=_order)
    ranked: list[Ranked] = []
    for position, (total, _, region, tier) in enumerate(ordered, start=1):
        tied = bool(ranked) and ranked[-1].total == total
        rank = ranked[-1].rank if tied else position
        ranked.append(Ranked(year, rank, region, total, tier))
    return ranked


def _kept(entries: list[_Entry], keep: int | None) -> list[_Entry]:
    """The first ``keep`` of a round's ranking (all of it for ``None``)."""
    if keep is None:
        return entries
    return sorted(entries, key=_order)[:keep]


def _order(entry: _Entry) -> tuple[float, str]:
    return (-entry[0], entry[1])


class Tally:
    """A summary built as results stream by: :func:`summarise` one result at a time, or a
    scored chunk's counts (:meth:`count`) and its ranking leaders (:meth:`rank`) apart.

    With ``keep``, the ranking holds only the first ``keep`` districts of each round (their
    ranks are exact: everyone above them is kept too), so memory stays flat however many
    results stream through; the counts per tier always cover every result.
    """

    def __init__(self, ruleset: RuleSet, *, keep: int | None = None) -> None:
        self.ruleset = ruleset
        self.keep = keep
        self.counts: Counter[tuple[int, str | None]] = Counter()
        self.by_year: dict[int, list[_Entry]] = {}

    def add(self, result: ScoreTotals | ScoreCard) -> None:
        """Count and rank one result."""
        tier = result.tier
        self.counts[(result.year, None if tier is None else tier.id)] += 1
        self.rank(result)

    def count(self, counts: Iterable[tuple[int, str | None]]) -> None:
        """Count results by (round, tier id or ``None``), without ranking them."""
        self.counts.update(counts)

    def rank(self, result: ScoreTotals | ScoreCard) -> None:
        """Rank one result, without counting it."""
        entry = (result.total, result.region.code, result.region, result.tier)
        entries = self.by_year.setdefault(result.year, [])
        entries.append(entry)
        keep = self.keep
        if keep is not None and len(entries) > 2 * keep + 100:
            self.by_year[result.year] = _kept(entries, keep)

    def summary(self, errors: int = 0) -> BatchSummary:
        """The summary of every result so far; ``errors`` rows could not be scored."""
        keep, ruleset, counts = self.keep, self.ruleset, self.counts
        by_year = {year: _kept(entries, keep) for year, entries in self.by_year.items()}
        tiers = tuple(reversed(ruleset.tiers.tiers))
        rounds = tuple(
            RoundSummary(
                year=year,
                counts=tuple((tier, counts[(year, tier.id)]) for tier in tiers),
                no_tier=counts[(year, None)],
            )
            for year in sorted(by_year)
        )
        ranking = tuple(
            entry for year in sorted(by_year) for entry in _ranking(year, by_year[year])
        )
        return BatchSummary(
            ruleset=ruleset.ref,
            tiers=tiers,
            none_label=ruleset.tiers.none_label,
            rounds=rounds,
            ranking=ranking,
            errors=errors,
        )


def summarise(
    ruleset: RuleSet,
    results: Iterable[ScoreTotals | ScoreCard],
    errors: int = 0,
    *,
    keep: int | None = None,
) -> BatchSummary:
    """Count and rank ``results`` (consumed once, as a stream, keeping a few fields each).

    With ``keep``, the ranking holds only the first ``keep`` districts of each round (their
    ranks are exact: everyone above them is kept too), so memory stays flat however many
    results stream through; the counts per tier always cover every result.
    """
    tally = Tally(ruleset, keep=keep)
    for result in results:
        tally.add(result)
    return tally.summary(errors)
