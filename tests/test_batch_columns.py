"""Scoring a table by column (what ``kla batch`` runs) gives exactly what the row path gives:
the same results file, byte for byte, the same row errors in the same order, the same summary.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import kla_model as kla
from batch_strategies import FRACTIONAL, odd_submissions, submissions, with_columns
from kla_model.cli import main
from kla_model.tables import columns as columns_module
from kla_model.tables import row_reader as table_module
from kla_model.tables.columns import ScoredColumns, score_chunks
from kla_model.tables.output import ResultWriter
from kla_model.tables.rows import score_rows
from kla_model.tables.summary import Tally, summarise
from kla_model.tables.table import DATA_YEAR, FIXED_COLUMNS, answer_columns
from profiles import examples

PERPRES = kla.load_ruleset("perpres-25-2021")
#: Fractional points without being dyadic: sums are rounded to hundredths.
DESA = kla.load_ruleset("desa-kelurahan")
#: Fractional points and a must-pass condition: the whole table takes the row path.
CONDITIONS = kla.load_ruleset(FRACTIONAL)
TABLE = "examples/districts-2025.csv"


def _no_conditions(folder: Path) -> kla.RuleSet:
    """The fractional ruleset without its must-pass condition, so it is scored by column."""
    text = FRACTIONAL.read_text("utf-8")
    start = text.index("      requires:")
    end = text.index("\n", text.index("min_points", start))
    path = folder / "fractional-no-conditions.yaml"
    path.write_text(text[:start] + text[end + 1 :], "utf-8")
    return kla.load_ruleset(path)


# --- a table's text, from submissions and damage done to their cells ----------------------


def _row(ruleset: kla.RuleSet, submission: kla.Submission, code: str) -> list[str]:
    row = kla.submission_row(ruleset, with_columns(ruleset, submission))
    return list((row | {"region_code": code}).values())


#: Cells that some column refuses, or reads with care (padding, odd case, a formula).
ODD_CELLS = st.sampled_from(
    ["", " ", "zzz", "-5", "1e999", "nan", "12,5", " true ", "YA", "2099", "1990", "=1+1", "-"]
)


@st.composite
def tables(draw: st.DrawFn, ruleset: kla.RuleSet) -> list[list[str]]:
    """A table's rows (header first): valid and odd answers, and damaged rows."""
    header = [*FIXED_COLUMNS, *answer_columns(ruleset)]
    answered = st.one_of(submissions(ruleset), odd_submissions(ruleset))
    drawn = draw(st.lists(answered, min_size=1, max_size=8))
    codes = st.sampled_from(["01", "02", "03", " 04 ", "=05", "06"])
    rows = [_row(ruleset, submission, draw(codes)) for submission in drawn]
    for _ in range(draw(st.integers(0, 4))):
        row = rows[draw(st.integers(0, len(rows) - 1))]
        damages = ["cell", "repeat", "blank", "short", "year", "kind", "name"]
        damage = draw(st.sampled_from(damages))
        if damage == "cell":
            row[draw(st.integers(0, len(row) - 1))] = draw(ODD_CELLS)
        elif damage == "repeat":
            rows.append(list(row))  # the same district-year twice
        elif damage == "blank":
            rows.insert(draw(st.integers(0, len(rows))), [""] * len(row))
        elif damage == "short":
            row.pop()
        elif damage == "year":
            row[4] = draw(st.sampled_from(["20x5", " " + row[4], "1800", ""]))
        elif damage == "kind":
            row[2] = draw(st.sampled_from(["kota", "kampung", " desa "]))
        else:  # cells the csv writer quotes
            row[1] = draw(st.sampled_from(['Kota "Baru"', "Kota Baru, Utara", "Kota\nBaru"]))
    return [header, *rows]


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)


# --- both paths, to text ------------------------------------------------------------------


def _by_row(ruleset: kla.RuleSet, table: kla.Table, form: str) -> tuple[str, list[Any], Any]:
    out = io.StringIO()
    writer = ResultWriter(out, ruleset, form)
    errors: list[Any] = []
    results = []
    for row in score_rows(ruleset, table):
        if row.totals is None:
            errors.extend(row.errors)
        else:
            writer.write(row.totals)
            results.append(row.totals)
    return out.getvalue(), errors, summarise(ruleset, results, keep=2)


def _by_column(
    ruleset: kla.RuleSet, table: kla.Table, form: str, chunk_rows: int
) -> tuple[str, list[Any], Any]:
    out = io.StringIO()
    writer = ResultWriter(out, ruleset, form)
    tally = Tally(ruleset, keep=2)
    errors: list[Any] = []
    for part in score_chunks(ruleset, table, chunk_rows=chunk_rows):
        if isinstance(part, ScoredColumns):
            event("rows scored by column")
            writer.write_columns(part)
            tally.count(zip(part.years, part.tier_ids(), strict=True))
            for leader in part.leaders(2):
                tally.rank(leader)
            continue
        for row in part:
            event("rows scored by row" if row.totals else "bad rows")
            if row.totals is None:
                errors.extend(row.errors)
            else:
                writer.write(row.totals)
                tally.add(row.totals)
    return out.getvalue(), errors, tally.summary()


@pytest.fixture(scope="module")
def rulesets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, kla.RuleSet]:
    folder = tmp_path_factory.mktemp("rulesets")
    return {
        "perpres": PERPRES,
        "desa": DESA,
        "fractional": _no_conditions(folder),
        "conditions": CONDITIONS,
    }


@settings(max_examples=examples(80), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), name=st.sampled_from(["perpres", "desa", "fractional", "conditions"]))
def test_by_column_gives_what_the_row_path_gives(
    rulesets: dict[str, kla.RuleSet],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    data: st.DataObject,
    name: str,
) -> None:
    """Results file (CSV and JSON Lines), row errors and summary, on generated tables with
    bad cells, blanks, repeated district-years and short rows, in chunks of any size."""
    ruleset = rulesets[name]
    rows = data.draw(tables(ruleset))
    path = tmp_path / f"table-{data.draw(st.integers(0, 10**9))}.csv"
    _write(path, rows)
    table = kla.load_table(path)
    # Small chunks and pieces: a problem in one chunk, clean chunks around it.
    monkeypatch.setattr(columns_module, "PIECE_ROWS", data.draw(st.integers(1, 3)))
    chunk_rows = data.draw(st.integers(1, 6))
    for form in ("csv", "jsonl"):
        expected = _by_row(ruleset, table, form)
        assert _by_column(ruleset, table, form, chunk_rows) == expected


def test_clean_chunks_are_scored_by_column() -> None:
    """The example table has no problem: every row is scored by column, none by row."""
    parts = list(score_chunks(PERPRES, kla.load_table(TABLE), chunk_rows=3))
    numbers = [list(part.numbers) for part in parts if isinstance(part, ScoredColumns)]
    assert numbers == [[2, 3, 4], [5, 6, 7], [8, 9]]


def _row_numbers(parts: Iterator[Any], scored: list[int]) -> None:
    """The number of each row scored, into ``scored`` as it comes (the row path's one by one)."""
    for part in parts:
        if isinstance(part, ScoredColumns):
            scored.extend(part.numbers)
            continue
        for row in part:
            scored.append(row.row)


@pytest.mark.parametrize("stage", [None, "field"], ids=["by_column", "by_row"])
def test_each_chunks_rounds_are_checked_before_its_rows_are_scored(stage: str | None) -> None:
    """``rounds`` sees every chunk's year cells, on either path, before any of its rows is
    scored: what stops ``kla batch`` at a round of another ruleset."""
    checked: list[set[str]] = []

    def rounds(cells: set[str]) -> None:
        checked.append(cells)
        if len(checked) == 2:
            raise kla.KlaError("another ruleset")

    parts = score_chunks(PERPRES, kla.load_table(TABLE), stage=stage, chunk_rows=3, rounds=rounds)
    scored: list[int] = []
    with pytest.raises(kla.KlaError, match="another ruleset"):
        _row_numbers(parts, scored)
    assert scored == [2, 3, 4]
    assert checked == [{"2025"}, {"2025"}]


def test_each_distinct_cell_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a cell costs a call to the row path's reader; a repeated cell costs none."""
    reads: list[tuple[str, ...]] = []
    read = table_module._Column.read_cells

    def counted(self: Any, value_cell: str, year_cell: str) -> Any:
        reads.append((self.place.column_name, value_cell, year_cell))
        return read(self, value_cell, year_cell)

    monkeypatch.setattr(table_module._Column, "read_cells", counted)
    list(score_chunks(PERPRES, kla.load_table(TABLE), chunk_rows=2))
    assert len(reads) == len(set(reads))
    assert {column for column, *_ in reads} == set(answer_columns(PERPRES)) - {
        name for name in answer_columns(PERPRES) if name.endswith(DATA_YEAR)
    }


def _rows_of(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        yield from csv.reader(stream)


def test_kla_batch_names_bad_rows_as_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Golden: a table with a bad cell, a repeated district-year and a short row."""
    rows = list(_rows_of(Path(TABLE)))
    header, body = rows[0], rows[1:]
    body[1][header.index("K.1.1")] = "mungkin"
    body.append(list(body[0]))
    body[3] = body[3][:-1]
    table = tmp_path / "bad.csv"
    _write(table, [header, *body])
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(table), "--out", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"kla: {table}: row 3, K.1.1: expected yes or no (true/false, ya/tidak, yes/no, 1/0); "
        "found 'mungkin'",
        f"kla: {table}: row 5: expected 73 cells like the header; found 72",
        f"kla: {table}: row 10, region_code: district 36.71 already has a row for 2025 (row 2)",
    ]
    results = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(r["region"]["code"], r["total"], r["tier"]) for r in results] == [
        ("36.71", 763.25, "nindya"),
        ("33.74", 877.25, "utama"),
        ("33.72", 780.5, "nindya"),
        ("33.02", 654.5, "madya"),
        ("33.20", 529.5, "pratama"),
        ("33.07", 546.75, "pratama"),
    ]


def test_the_rounds_of_a_table_are_its_whole_year_cells(tmp_path: Path) -> None:
    """Every whole number in the ``year`` column, read as the csv module reads the rows
    (quotes, a year cell padded with spaces); a cell that is no whole number is left out."""
    path = tmp_path / "table.csv"
    header = ",".join(FIXED_COLUMNS)
    rows = [
        'a,"A, the city",kota,P, 2024 ',
        "b,B,kota,P,2025",
        "c,C,kota,P,2x",
        '"d",D,kota,P,"2023"',
    ]
    path.write_text("\r\n".join([header, *rows]) + "\r\n", "utf-8")
    assert kla.load_table(path).years() == {2023, 2024, 2025}
    huge = "x" * (csv.field_size_limit() + 1)  # a field the csv module refuses to read
    path.write_text(f'{header}\nq,"{huge}",kota,P,2025\n', "utf-8")
    with pytest.raises(kla.TableError, match=r"unreadable CSV: field larger than field limit"):
        kla.load_table(path).years()
