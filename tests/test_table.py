"""The wide table format: rows read into submissions, every error named by row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from batch_strategies import submissions
from kla_model.tables.table import (
    FALSE_WORDS,
    FIXED_COLUMNS,
    TRUE_WORDS,
    answer_columns,
    read_rows,
)
from profiles import examples

RULES = kla.load_ruleset("perpres-25-2021")
EXAMPLE = kla.load_submission("examples/kota-tangerang-2025.yaml")
REGION = ["36.71", "Kota Tangerang", "kota", "Banten", "2025"]


def _write(path: Path, header: list[str], *rows: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _rows(tmp_path: Path, header: list[str], *rows: list[str]) -> list[kla.TableRow]:
    table = kla.load_table(_write(tmp_path / "t.csv", header, *rows))
    return list(table.rows(RULES))


def _errors(tmp_path: Path, header: list[str], *rows: list[str]) -> list[str]:
    return [str(error) for row in _rows(tmp_path, header, *rows) for error in row.errors]


def test_the_example_table_reads_into_the_example_submission() -> None:
    table = kla.load_table("examples/districts-2025.csv")
    assert table.columns == (*FIXED_COLUMNS, *answer_columns(RULES))
    rows = list(table.rows(RULES))
    assert [row.row for row in rows] == list(range(2, 10))
    assert all(row.errors == () for row in rows)
    first = rows[0].submission
    assert first is not None
    # The same answers as the example file (which also carries evidence, not a table's matter).
    assert first == kla.Submission(EXAMPLE.region, EXAMPLE.year, EXAMPLE.answers)
    assert first.origin == "examples/districts-2025.csv: row 2"
    assert kla.score(RULES, first).total == 763.25


def test_answer_columns_follow_the_ruleset() -> None:
    columns = answer_columns(RULES)
    assert columns[:5] == ["K.1.1", "K.1.2", "K.1.3", "K.1.4", "K.2.1"]
    assert "I.1" in columns
    assert "I.1.data_year" in columns
    assert "I.1.1" not in columns
    assert "K.1.1.data_year" not in columns
    assert len(columns) == 53 + 15  # 53 items, 15 of them numbers with a data year


@settings(max_examples=examples(80), deadline=None)
@given(submissions(RULES))
def test_a_submission_written_as_a_row_reads_back_equal(submission: kla.Submission) -> None:
    """Table rows and submission files are two spellings of the same answers."""
    row = kla.submission_row(RULES, submission)
    header = [*FIXED_COLUMNS, *answer_columns(RULES)]
    assert list(row) == header
    cells = list(row.values())
    [read] = list(read_rows(RULES, header, [(2, cells)]))
    assert read.errors == ()
    assert read.submission is not None
    # A multi-item indicator with no item answered is the same as no answer at all.
    expected = {
        key: answer
        for key, answer in submission.answers.items()
        if not (isinstance(answer, kla.ItemAnswers) and not answer.items)
    }
    assert kla.score(RULES, read.submission) == kla.score(
        RULES, kla.Submission(submission.region, submission.year, expected)
    )


@pytest.mark.parametrize("word", sorted(TRUE_WORDS | {"TRUE", "Ya", " yes "}))
def test_yes_words(tmp_path: Path, word: str) -> None:
    [row] = _rows(tmp_path, [*FIXED_COLUMNS, "K.1.1"], [*REGION, word])
    assert row.submission is not None
    assert row.submission.answers["K.1"] == kla.ItemAnswers({"K.1.1": True})


@pytest.mark.parametrize("word", sorted(FALSE_WORDS | {"FALSE", "Tidak"}))
def test_no_words(tmp_path: Path, word: str) -> None:
    [row] = _rows(tmp_path, [*FIXED_COLUMNS, "K.1.1"], [*REGION, word])
    assert row.submission is not None
    assert row.submission.answers["K.1"] == kla.ItemAnswers({"K.1.1": False})


def test_checklists_levels_numbers_and_empty_cells(tmp_path: Path) -> None:
    header = [
        *FIXED_COLUMNS,
        "K.1.2",
        "K.1.4",
        "K.3.6",
        "I.1",
        "I.1.data_year",
        "II.1",
        "II.1.data_year",
        "K.2.1",
    ]
    [row] = _rows(
        tmp_path,
        header,
        [
            *REGION,
            "perda",
            " forum-anak ; masukan-tercatat ",
            "-",
            "96.8",
            "2024",
            "7.35",
            "2023",
            "",
        ],
    )
    assert row.errors == ()
    assert row.submission is not None
    answers = row.submission.answers
    assert answers["K.1"] == kla.ItemAnswers(
        {"K.1.2": "perda", "K.1.4": ("forum-anak", "masukan-tercatat")}
    )
    assert answers["K.3"] == kla.ItemAnswers({"K.3.6": ()})
    assert answers["I.1"] == kla.Measurement(96.8, 2024)
    assert answers["II.1"] == kla.Measurement(7.35, 2023)
    assert "K.2" not in answers  # an empty cell is not answered


def test_every_bad_cell_of_a_row_is_named_and_other_rows_still_read(tmp_path: Path) -> None:
    header = [
        *FIXED_COLUMNS,
        "K.1.1",
        "K.1.2",
        "K.1.4",
        "I.1",
        "I.1.data_year",
        "II.1",
        "II.1.data_year",
    ]
    rows = _rows(
        tmp_path,
        header,
        [*REGION, "mungkin", "perdaa", "forum-anak;x", "96,8", "2024", "7.3", ""],
        [
            "36.74",
            "Kota Tangerang Selatan",
            "kota",
            "Banten",
            "2025",
            "ya",
            "",
            "",
            "101",
            "2024",
            "7.3",
            "2030",
        ],
        ["36.03", "Kabupaten Tangerang", "kota", "Banten", "2025", "tidak", "", "", "", "", "", ""],
    )
    assert [str(error) for error in rows[0].errors] == [
        "row 2, K.1.1: expected yes or no (true/false, ya/tidak, yes/no, 1/0); found 'mungkin'",
        "row 2, K.1.2: expected one of the levels none, perkada, perda; found 'perdaa' "
        "(did you mean 'perda'?)",
        "row 2, K.1.4: expected option ids from forum-anak, konsultasi-publik, masukan-tercatat; "
        "found 'x'",
        "row 2, I.1: expected a number; found '96,8' (write the decimal point as '.': 96.8)",
        "row 2, II.1.data_year: expected a data year from 2017 to 2024 to compare with reference "
        "series 'child-marriage'; found an empty cell",
    ]
    assert rows[0].submission is None
    assert [str(error) for error in rows[1].errors] == [
        "row 3, I.1: expected a percentage from 0 to 100; found 101",
        "row 3, II.1.data_year: expected a data year from 2017 to 2024 to compare with reference "
        "series 'child-marriage'; found 2030",
    ]
    assert rows[2].errors == ()
    assert rows[2].submission is not None


def test_region_cells_are_checked(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        list(FIXED_COLUMNS),
        ["", "Kota X", "kotamadya", "", "2025"],
        ["1", "Kota Y", "kota", "Banten", "dua ribu"],
        ["2", "Kota Z", "kota", "Banten", "1800"],
    )
    assert errors == [
        "row 2, region_code: expected a value; found an empty cell",
        "row 2, province: expected a value; found an empty cell",
        "row 2, region_kind: expected one of kabupaten, kota, desa, kelurahan; found 'kotamadya'",
        "row 3, year: expected the evaluation year as a whole number; found 'dua ribu'",
        "row 4, year: expected the evaluation year from 1900 to 2200; found 1800",
    ]


def test_a_district_year_has_one_row(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path,
        list(FIXED_COLUMNS),
        REGION,
        ["36.71", "Kota Tangerang", "kota", "Banten", "2024"],
        REGION,
    )
    assert errors == ["row 4, region_code: district 36.71 already has a row for 2025 (row 2)"]


def test_short_rows_data_years_without_values_and_twice_ticked_options(tmp_path: Path) -> None:
    header = [*FIXED_COLUMNS, "I.1", "I.1.data_year", "K.1.4"]
    errors = _errors(
        tmp_path,
        header,
        REGION,
        [*REGION, "", "2023", "forum-anak;forum-anak"],
        [*REGION[:4], "2024", "nan", "", ""],
        [*REGION[:4], "2023", "50", "20x3", ""],
    )
    assert errors == [
        "row 2: expected 8 cells like the header; found 5",
        "row 3, I.1.data_year: a data year without a value in I.1",
        "row 3, K.1.4: option 'forum-anak' is listed twice",
        "row 4, I.1: expected a finite number; found 'nan'",
        "row 5, I.1.data_year: expected a data year as a whole number; found '20x3'",
    ]


def test_blank_lines_are_skipped_and_row_numbers_stay_true(tmp_path: Path) -> None:
    rows = _rows(
        tmp_path,
        list(FIXED_COLUMNS),
        REGION,
        ["", "", "", "", ""],
        ["36.74", "Kota Tangerang Selatan", "kota", "Banten", "2025"],
    )
    assert [row.row for row in rows] == [2, 4]


def test_header_problems_are_fatal_and_listed_together(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", ["region_code", "year", "year", "K.1.1"])
    with pytest.raises(kla.TableError) as raised:
        kla.load_table(path)
    assert str(raised.value) == (
        f"{path}: 2 problems\n"
        f"  {path}: header, column 3: duplicate column 'year'\n"
        f"  {path}: header: expected the columns region_code, region_name, region_kind, "
        "province, year; missing region_name, region_kind, province"
    )


def test_unknown_columns_are_refused_with_a_hint(tmp_path: Path) -> None:
    table = kla.load_table(_write(tmp_path / "t.csv", [*FIXED_COLUMNS, "I.1.data_yaer", "Z"]))
    with pytest.raises(kla.TableError) as raised:
        table.rows(RULES)
    message = str(raised.value)
    assert f"{table.path} (against ruleset perpres-25-2021): 2 problems" in message
    assert (
        "header, column 6: unknown column 'I.1.data_yaer' (did you mean 'I.1.data_year'?)"
        in message
    )
    assert "header, column 7: unknown column 'Z': expected a column of ruleset" in message


def test_a_data_year_column_needs_its_value_column(tmp_path: Path) -> None:
    table = kla.load_table(_write(tmp_path / "t.csv", [*FIXED_COLUMNS, "I.1.data_year"]))
    with pytest.raises(kla.TableError, match=r"column 'I\.1\.data_year' has no column 'I\.1'"):
        table.rows(RULES)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(kla.TableError, match="cannot read the file"):
        kla.load_table(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(kla.TableError, match="the file is empty"):
        kla.load_table(empty)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("region_code,región\n".encode("latin-1"))
    with pytest.raises(kla.TableError, match="not a UTF-8 CSV file"):
        kla.load_table(latin)


def test_submissions_raise_at_the_first_bad_row(tmp_path: Path) -> None:
    table = kla.load_table(
        _write(tmp_path / "t.csv", list(FIXED_COLUMNS), REGION, ["", "x", "kota", "Banten", "2025"])
    )
    read = table.submissions(RULES)
    assert next(read).region.code == "36.71"
    with pytest.raises(kla.TableError) as raised:
        next(read)
    assert str(raised.value) == (
        f"{table.path}: 1 problem\n  {table.path}: row 3, region_code: expected a value; "
        "found an empty cell"
    )


@given(st.text(max_size=8))
def test_any_boolean_cell_reads_or_is_named(cell: str) -> None:
    header = [*FIXED_COLUMNS, "K.1.1"]
    [row] = list(read_rows(RULES, header, [(2, [*REGION, cell])]))
    word = cell.strip().lower()
    if not word:
        assert row.submission is not None
        assert "K.1" not in row.submission.answers
    elif word in TRUE_WORDS | FALSE_WORDS:
        assert row.submission is not None
        assert row.submission.answers["K.1"] == kla.ItemAnswers({"K.1.1": word in TRUE_WORDS})
    else:
        assert [e.column for e in row.errors] == ["K.1.1"]


def test_an_answer_no_column_can_hold_is_named() -> None:
    unknown_item = attrs.evolve(EXAMPLE, answers={"K.1": kla.ItemAnswers({"K.1.9": True})})
    with pytest.raises(kla.TableError) as raised:
        kla.submission_row(RULES, unknown_item)
    assert raised.value.problems[0].message == (
        "expected an indicator or item of perpres-25-2021; found 'K.1.9', which has none"
    )
    assert raised.value.problems[0].location.endswith('$.answers["K.1"].items["K.1.9"]')
    unknown_indicator = attrs.evolve(EXAMPLE, answers={"Z.9": True})
    with pytest.raises(kla.TableError, match=r"found 'Z\.9', which has none"):
        kla.submission_row(RULES, unknown_indicator)


def test_the_example_written_as_a_row_is_the_example_tables_first_row() -> None:
    declared = kla.Submission(EXAMPLE.region, EXAMPLE.year, EXAMPLE.answers)
    with open("examples/districts-2025.csv", encoding="utf-8", newline="") as stream:
        header, first = list(csv.reader(stream))[:2]
    assert kla.submission_row(RULES, declared) == dict(zip(header, first, strict=True))
