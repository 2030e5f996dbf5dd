"""Scoring a table by column, a chunk of rows at a time: what ``kla batch`` runs.

The row path (:mod:`kla_model.tables.rows`) turns every row into a submission and scores it;
a table of 100,000 rows then costs seconds.  Here each chunk of rows is read by column
instead: every distinct cell of an answer column (with its data year and the row's round)
is read and scored once, by the same reader and rule the row path uses, and remembered for
the chunks after it; each row's points are looked up, added per group with the ruleset's
exact arithmetic (:mod:`kla_model.rules.points`), and handed on as columns
(:class:`ScoredColumns`), which the writers and the summary take whole.

A chunk with any problem (a bad cell, a row of the wrong width, a repeated district-year) is
split into small pieces, and a piece with a problem is scored by the row path, which names
every bad row and column; a scale whose tiers have must-pass conditions, or a stage other
than the self-assessment, sends the whole table there.  The results, the errors and their
order are the same either way, as a property test checks.  Memory holds one chunk, each
column's bounded table of points, and (as on the row path) a number per district-year.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs

from kla_model._base.unsafe_text import UNSAFE
from kla_model.rules.answers import Measurement, data_year_problem
from kla_model.rules.model import REGION_KINDS, Region
from kla_model.rules.point_rules import BadCell
from kla_model.rules.ruleset import RuleSet
from kla_model.rules.tiers import Tier
from kla_model.scoring.engine import STAGES
from kla_model.scoring.totals import ScoreTotals
from kla_model.tables.header import FIXED_COLUMNS, header_problems
from kla_model.tables.row_reader import (
    TableRow,
    _Answer,
    _Column,
    _Layout,
    _layout,
    _row,
    _year,
    read_rows,
)
from kla_model.tables.rows import ScoredRow, score_rows
from kla_model.tables.table import Table

__all__ = ["CHUNK_ROWS", "ScoredColumns", "by_column", "cell_points", "score_chunks"]

#: Rows read and scored together: enough that each column's work is done in a few calls,
#: few enough that a chunk's cells (about 1 MB for the bundled ruleset's 73 columns) stay in
#: the processor's cache while each column is looked up: chunks of 10,000 rows made the
#: look-ups four times as slow.
CHUNK_ROWS = 250
#: The rows of a chunk with a problem are tried again in pieces of this many, so that one
#: bad row sends only its piece to the (slower) row path.
PIECE_ROWS = 50
#: How many distinct cells each column remembers the points of (memory stays bounded).
CACHED_CELLS = 8192

#: How many rounds' tables each number column keeps (a table has a few rounds).
_ROUNDS = 16
#: The points of a cell with a problem: NaN survives every sum, so a row's total says it.
_UNSURE = math.nan
#: The region cells the row path checks for length (not empty, at most this many characters).
_LONGEST = {"region_code": 32, "region_name": 200, "province": 200}


@attrs.frozen(eq=False)
class ScoredColumns:
    """A chunk of rows scored, as columns: the ``n``-th entry of each list is one row's.

    Every row scored at the self-assessment (the only stage a table's rows have reached).
    """

    ruleset: RuleSet = attrs.field(repr=False)
    #: The row numbers (the header is row 1).
    numbers: Sequence[int] = attrs.field(repr=False)
    #: The region cells, stripped as the row path strips them.
    codes: list[str] = attrs.field(repr=False)
    names: list[str] = attrs.field(repr=False)
    kinds: list[str] = attrs.field(repr=False)
    provinces: list[str] = attrs.field(repr=False)
    years: list[int] = attrs.field(repr=False)
    #: One list per group, in ruleset order: each row's points in that group.
    group_points: tuple[list[float], ...] = attrs.field(repr=False)
    totals: list[float] = attrs.field(repr=False)
    tiers: list[Tier | None] = attrs.field(repr=False)

    @property
    def stage(self) -> str:
        return STAGES[0]

    def tier_ids(self) -> list[str | None]:
        """Each row's tier id (``None`` for no tier)."""
        return [None if tier is None else tier.id for tier in self.tiers]

    def __len__(self) -> int:
        return len(self.totals)

    def region(self, index: int) -> Region:
        return Region(
            code=self.codes[index],
            name=self.names[index],
            kind=self.kinds[index],
            province=self.provinces[index],
        )

    def result(self, index: int) -> ScoreTotals:
        """Row ``index``'s totals, exactly as the row path gives them."""
        ruleset = self.ruleset
        return ScoreTotals(
            ruleset=ruleset.ref,
            region=self.region(index),
            year=self.years[index],
            stage=self.stage,
            total=self.totals[index],
            max_score=ruleset.max_score,
            tier=self.tiers[index],
            group_ids=tuple(group.id for group in ruleset.groups),
            group_points=tuple(points[index] for points in self.group_points),
            none_label=ruleset.tiers.none_label,
        )

    def results(self) -> Iterator[ScoreTotals]:
        """Each row's totals, in order (an object per row: for the slower JSON Lines)."""
        return map(self.result, range(len(self)))

    def leaders(self, keep: int) -> Iterator[ScoreTotals]:
        """The totals of the first ``keep`` rows of each round's ranking (highest total
        first, then by district code, as :func:`~kla_model.summarise` orders them)."""
        rounds = set(self.years)
        totals, codes = self.totals, self.codes
        for year in sorted(rounds):
            indices: Sequence[int] = range(len(self))
            if len(rounds) > 1:
                indices = [n for n, row_year in enumerate(self.years) if row_year == year]
            if len(indices) > keep > 0:
                # Only a row whose total is at least the round's keep-th highest can lead:
                # ranking those few (found in C) is the round's ranking, at a fraction of
                # the cost of ranking every row in Python.
                round_totals = [totals[n] for n in indices]
                least = sorted(round_totals)[-keep]
                indices = list(itertools.compress(indices, map(least.__le__, round_totals)))
            ranked = zip(
                [-totals[n] for n in indices], [codes[n] for n in indices], indices, strict=True
            )
            # (minus total, code) orders a round's rows completely: a code comes once a round.
            for _, _, index in heapq.nsmallest(keep, ranked):
                yield self.result(index)


class _Points(dict[Any, float]):
    """One item's points by its cells, each distinct key read and scored on first sight.

    The key is the cell, or for a number (cell, data-year cell, round cell): its data year is
    checked against the row's round.  A chunk of one round looks numbers up by (cell,
    data-year cell) in the round's own table instead (:meth:`in_round`): a pair is half the
    cost of a triple to build and hash.  A cell the row path would refuse scores NaN.
    """

    def __init__(self, place: _Answer, layout: _Layout, round_cell: str | None = None) -> None:
        super().__init__()
        self.place = place
        self.layout = layout
        self.column = _Column(place)
        self.round = layout.fixed[FIXED_COLUMNS.index("year")]
        self.round_cell = round_cell
        self.rounds: dict[str, _Points] = {}

    def row_points(
        self, columns: Sequence[Sequence[str]], round_cell: str | None
    ) -> Iterable[float]:
        """Each row's points, from a chunk's columns (``round_cell``: the chunk's one round)."""
        place = self.place
        if place.data_year is None:
            return map(self.__getitem__, columns[place.column])
        values, years = columns[place.column], columns[place.data_year]
        if round_cell is not None and len(self.rounds) < _ROUNDS:
            in_round = self.in_round(round_cell)
            return map(in_round.__getitem__, zip(values, years, strict=True))
        return map(self.__getitem__, zip(values, years, columns[self.round], strict=True))

    def in_round(self, round_cell: str) -> _Points:
        points = self.rounds.get(round_cell)
        if points is None:
            points = self.rounds[round_cell] = _Points(self.place, self.layout, round_cell)
        return points

    def __missing__(self, key: Any) -> float:
        points = self._points(key)
        if len(self) < CACHED_CELLS:
            self[key] = points
        return points

    def _points(self, key: Any) -> float:
        if self.place.data_year is None:
            return cell_points(self.column, key, "")[0]
        if self.round_cell is None:
            value_cell, year_cell, round_cell = key
        else:
            (value_cell, year_cell), round_cell = key, self.round_cell
        points, answer = cell_points(self.column, value_cell, year_cell)
        if isinstance(answer, Measurement) and answer.data_year is not None:
            round = _year(round_cell.strip(), "the evaluation year")
            max_age = self.layout.max_age
            if isinstance(round, BadCell) or data_year_problem(answer, round, max_age):
                return _UNSURE
        return points


def cell_points(column: _Column, value_cell: str, year_cell: str) -> tuple[float, Any]:
    """One answer cell (with its data-year cell) read by the row path's reader and scored by
    its item's rule: the points, NaN for a cell the row path would refuse, and the answer
    read.  The one scorer of a cell, for a CSV table (``kla batch``) and a data frame alike;
    the data year is checked against each row's round by the caller."""
    answer, errors = column.read_cells(value_cell, year_cell)
    if errors:
        return _UNSURE, None
    if answer is None:
        return 0.0, None
    points = column.place.item.rule.points_for(answer)
    return (_UNSURE if points is None else points), answer


class _Cached(dict[Any, Any]):
    """A function's results by argument, each worked out once (for a column's few values)."""

    def __init__(self, function: Callable[[Any], Any]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: Any) -> Any:
        value = self.function(key)
        if len(self) < CACHED_CELLS:
            self[key] = value
        return value


def _year_or_none(cell: str) -> int | None:
    year = _year(cell.strip(), "the evaluation year")
    return None if isinstance(year, BadCell) else year


class _ColumnScorer:
    """Scores chunks of one table's rows by column; remembers what it has read."""

    def __init__(
        self, ruleset: RuleSet, layout: _Layout, source: str, stage: str | None, strict: bool
    ) -> None:
        self.ruleset = ruleset
        self.stage = stage
        self.layout = layout
        self.source = source
        self.strict = strict
        #: Each district-year's first row, shared with the row path (see table._row).
        self.seen: dict[int, int] = {}
        group_index = {group.id: n for n, group in enumerate(ruleset.groups)}
        self.groups: list[list[_Points]] = [[] for _ in ruleset.groups]
        for place in layout.answers:
            group = group_index[ruleset.group_of[place.indicator.id]]
            self.groups[group].append(_Points(place, layout))
        self.years = _Cached(_year_or_none)
        self.tiers = _Cached(ruleset.tiers.by_total)

    def score(self, numbers: Sequence[int], rows: list[list[str]]) -> Iterator[Any]:
        """The chunk as :class:`ScoredColumns`, or as pieces of them and row-path rows."""
        scored = self.columns(numbers, rows)
        if scored is not None:
            yield scored
            return
        for start in range(0, len(rows), PIECE_ROWS):
            piece = slice(start, start + PIECE_ROWS)
            scored = self.columns(numbers[piece], rows[piece])
            yield scored if scored is not None else self.by_row(numbers[piece], rows[piece])

    def by_row(self, numbers: Sequence[int], rows: list[list[str]]) -> Iterator[ScoredRow]:
        """The row path, for rows with a problem: it names each bad row and column."""
        layout, source, seen = self.layout, self.source, self.seen
        read: Iterator[TableRow] = (
            _row(source, layout, number, cells, seen)
            for number, cells in zip(numbers, rows, strict=True)
        )
        return score_rows(self.ruleset, read, stage=self.stage, strict=self.strict, source=source)

    def columns(self, numbers: Sequence[int], rows: list[list[str]]) -> ScoredColumns | None:
        """The rows scored by column, or ``None`` if any of them has a problem."""
        width = self.layout.width
        if set(map(len, rows)) != {width}:
            return None
        columns = list(zip(*rows, strict=True))
        region = self._regions(numbers, columns)
        if region is None:
            return None
        rounds = set(columns[self.layout.fixed[-1]])
        round_cell = next(iter(rounds)) if len(rounds) == 1 else None
        sums = [self._group(points_of, columns, len(rows), round_cell) for points_of in self.groups]
        # A NaN anywhere makes the sum of every group's points NaN: one C pass, where
        # isnan was a call per row and group.  (An infinity against its opposite would be
        # NaN too, and only send the chunk to the row path, which gives the same results.)
        if math.isnan(sum(map(sum, sums))):
            return None
        resolution = self.ruleset.resolution
        if not resolution.dyadic:  # float sums corrected to the exact decimal sums
            sums = [list(map(resolution.snap, points)) for points in sums]
        if sums:
            totals = list(map(resolution.add, zip(*sums, strict=True)))
        else:
            totals = [resolution.add(())] * len(rows)
        tiers = list(map(self.tiers.__getitem__, totals))
        codes, names, kinds, provinces, years, keys = region
        self.seen.update(zip(keys, numbers, strict=True))  # only now: a chunk refused is read again
        return ScoredColumns(
            self.ruleset,
            numbers,
            codes,
            names,
            kinds,
            provinces,
            years,
            tuple(sums),
            totals,
            tiers,
        )

    def _group(
        self,
        points_of: list[_Points],
        columns: Sequence[Sequence[str]],
        count: int,
        round_cell: str | None,
    ) -> list[float]:
        """Each row's points in one group: its items' points, added in column order."""
        if not points_of:
            return [0.0] * count
        items = [points.row_points(columns, round_cell) for points in points_of]
        if len(items) == 1:
            return [0.0 + points for points in items[0]]
        return list(map(sum, zip(*items, strict=True)))

    def _regions(self, numbers: Sequence[int], cells: Sequence[Sequence[str]]) -> Any:
        """The region columns (stripped) and each row's round, checked as the row path
        checks them, or ``None``; no district-year may come twice, in the table so far."""
        columns = [list(map(str.strip, cells[index])) for index in self.layout.fixed]
        for name, values in zip(FIXED_COLUMNS, columns, strict=True):
            longest = _LONGEST.get(name)
            if longest is None:
                continue
            if min(map(len, values)) == 0 or max(map(len, values)) > longest:
                return None
            if UNSAFE.search("".join(values)):  # the row path names the cell
                return None
        codes, names, kinds, provinces, year_cells = columns
        if not set(kinds).issubset(REGION_KINDS):
            return None
        years = list(map(self.years.__getitem__, year_cells))
        if None in years:
            return None
        keys = list(map(hash, zip(codes, years, strict=True)))
        seen = self.seen
        if len(set(keys)) != len(keys) or not seen.keys().isdisjoint(keys):
            return None  # a district-year twice: the row path names the rows
        return codes, names, kinds, provinces, years, keys


def score_chunks(
    ruleset: RuleSet,
    table: Table,
    *,
    stage: str | None = None,
    strict: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    rounds: Callable[[set[str]], None] | None = None,
) -> Iterator[ScoredColumns | Iterator[ScoredRow]]:
    """Score ``table`` a chunk at a time: each part of it, in order, either scored by column
    (:class:`ScoredColumns`) or an iterator of :class:`ScoredRow` from the row path.

    The rows' results and errors, in order, are exactly those of :func:`score_rows`; with
    ``strict=True`` the first bad row raises :class:`~kla_model.TableError` as there.
    ``rounds``, if given, is called with each chunk's ``year`` cells before any row of the
    chunk is scored, on either path: ``kla batch`` checks with it that every round is one of
    the ruleset it chose from the first rows, without reading the table twice.
    """
    if header_problems(table.columns, table.source):
        # No row is read: the row path refuses the header as it always has.
        yield score_rows(ruleset, table, stage=stage, strict=strict)
        return
    chunks = _checked(table.chunks(chunk_rows), table.columns.index("year"), rounds)
    if not by_column(ruleset, stage):
        # Must-pass conditions or a later stage: every row by the row path, as it is read.
        records = (record for numbers, rows in chunks for record in zip(numbers, rows, strict=True))
        read = read_rows(ruleset, table.columns, records, table.source)
        yield score_rows(ruleset, read, stage=stage, strict=strict, source=table.source)
        return
    layout = _layout(ruleset, table.columns, table.source)
    scorer = _ColumnScorer(ruleset, layout, table.source, stage, strict)
    for numbers, rows in chunks:
        yield from scorer.score(numbers, rows)


def _checked(
    chunks: Iterator[tuple[Sequence[int], list[list[str]]]],
    year: int,
    rounds: Callable[[set[str]], None] | None,
) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
    """The chunks, each handed to ``rounds`` (its ``year`` cells) before it is passed on."""
    for numbers, rows in chunks:
        if rounds is not None:
            rounds({row[year] for row in rows if len(row) > year})
        yield numbers, rows


def by_column(ruleset: RuleSet, stage: str | None) -> bool:
    """Whether :func:`score_chunks` scores a table by column (given a readable header):
    not for must-pass conditions, which need every indicator's points, nor for a stage after
    the self-assessment, which needs the engine's view of the evidence."""
    return not ruleset.tiers.has_conditions and stage in (None, STAGES[0])
