"""``kla batch``: a table in, results out, bad rows on stderr, and a progress line on terminals."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest

from kla_model.cli import main
from kla_model.cli._progress import Progress

TABLE = "examples/districts-2025.csv"


def _bad_table(tmp_path: Path) -> Path:
    lines = Path(TABLE).read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    cells[5] = "mungkin"  # K.1.1 of row 3
    lines[2] = ",".join(cells)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_results_to_a_file_and_the_summary_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.csv"
    assert main(["batch", TABLE, "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [row["tier"] for row in rows] == [
        "nindya",
        "utama",
        "utama",
        "utama",
        "nindya",
        "madya",
        "pratama",
        "pratama",
    ]
    captured = capsys.readouterr()
    assert "Peringkat teratas / Top 8, 2025" in captured.out
    assert "1  Kota Semarang" in captured.out
    assert captured.err == ""
    assert list(tmp_path.iterdir()) == [out]


def test_jsonl_to_stdout_with_the_summary_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", TABLE, "--format", "jsonl"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 8
    assert json.loads(lines[0])["total"] == 763.25
    assert "Dinilai / Scored" in captured.err


def test_format_follows_the_out_suffix(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    assert main(["batch", TABLE, "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["tier"] == "nindya"


def test_bad_rows_are_reported_and_the_rest_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.csv"
    assert main(["batch", str(_bad_table(tmp_path)), "--out", str(out)]) == 1
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 7
    assert "36.74" not in [row["region_code"] for row in rows]
    captured = capsys.readouterr()
    assert captured.err == (
        f"kla: {tmp_path / 'bad.csv'}: row 3, K.1.1: expected yes or no "
        "(true/false, ya/tidak, yes/no, 1/0); found 'mungkin'\n"
    )
    assert "Baris tidak dapat dinilai / Rows not scored: 1" in captured.out


def test_strict_stops_and_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.csv"
    assert main(["batch", str(_bad_table(tmp_path)), "--out", str(out), "--strict"]) == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "bad.csv"]
    err = capsys.readouterr().err
    assert err.startswith(f"kla: {tmp_path / 'bad.csv'}: 1 problem\n")
    assert "row 3, K.1.1: expected yes or no" in err
    # On standard output as well: row 2, scored before the stop, is not printed.
    assert main(["batch", str(tmp_path / "bad.csv"), "--strict"]) == 1
    assert capsys.readouterr() == ("", err)


def test_an_unwritable_out_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no-such-dir" / "results.csv"
    assert main(["batch", TABLE, "--out", str(out)]) == 1
    assert "kla: --out " in capsys.readouterr().err


def test_no_temporary_file_for_standard_output_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Results for standard output are held in a temporary file until the run succeeds."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-dir"))
    assert main(["batch", TABLE]) == 1
    assert capsys.readouterr() == (
        "",
        "kla: cannot hold the results in a temporary file: No such file or directory\n",
    )


def test_a_missing_table_is_a_clean_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", "nope.csv"]) == 1
    assert capsys.readouterr().err.startswith("kla: nope.csv: 1 problem\n  nope.csv: cannot read")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_silent_off_a_terminal_and_for_short_runs() -> None:
    now = [0.0]
    pipe = io.StringIO()
    progress = Progress(pipe, 10, clock=lambda: now[0])
    now[0] = 5.0
    progress.update(5)
    assert pipe.getvalue() == ""
    terminal = _Terminal()
    quick = Progress(terminal, 10, clock=lambda: now[0])
    now[0] = 5.5
    quick.update(9)
    quick.close()
    assert terminal.getvalue() == ""
    assert not quick.shown


def test_progress_draws_after_a_second_at_most_five_times_a_second() -> None:
    now = [100.0]
    terminal = _Terminal()
    progress = Progress(terminal, 1000, clock=lambda: now[0])
    now[0] = 102.0
    progress.update(500)
    now[0] = 102.1
    progress.update(550)  # too soon to redraw
    now[0] = 102.5
    progress.update(600)
    progress.close()
    assert terminal.getvalue() == (
        "\r\x1b[Kkla batch: 500 / 1,000 baris / rows (50%) · 250/s"
        "\r\x1b[Kkla batch: 600 / 1,000 baris / rows (60%) · 240/s"
        "\r\x1b[K"
    )


def test_progress_without_a_total() -> None:
    assert Progress(io.StringIO(), None).line(1234, 2.0) == "kla batch: 1,234 baris / rows · 617/s"


def test_without_ruleset_the_rounds_choose_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "mixed.csv"
    table.write_text(
        "region_code,region_name,region_kind,province,year\n"
        "36.71,Kota Tangerang,kota,Banten,2017\n"
        "36.71,Kota Tangerang,kota,Banten,2025\n",
        encoding="utf-8",
    )
    assert main(["batch", str(table)]) == 1
    assert capsys.readouterr().err == (
        f"kla: {table}: expected rounds of one ruleset; found 2017: permen-pppa-12-2011, "
        "2025: perpres-25-2021: split the table, or choose one with --ruleset\n"
    )
    assert main(["batch", str(table), "--ruleset", "perpres-25-2021", "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["year"] for line in lines] == [2017, 2025]


def _long_table(path: Path, late_years: dict[int, str]) -> Path:
    """600 districts of the example's first row (three chunks), some with another round."""
    with open(TABLE, encoding="utf-8", newline="") as stream:
        header, first = list(csv.reader(stream))[:2]
    at = header.index("year")
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for number in range(600):
            row = [f"{number:04d}", *first[1:]]
            row[at] = late_years.get(number, row[at])
            writer.writerow(row)
    return path


@pytest.mark.parametrize(
    ("late_years", "message"),
    [
        (
            {555: "2017"},
            "expected rounds of one ruleset; found 2017: permen-pppa-12-2011, "
            "2025: perpres-25-2021: split the table, or choose one with --ruleset",
        ),
        ({555: "1999"}, "round 1999"),
    ],
)
@pytest.mark.parametrize("stage", [[], ["--stage", "field"]], ids=["by_column", "by_row"])
def test_a_late_round_of_another_ruleset_stops_the_run_as_a_first_one_does(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    late_years: dict[int, str],
    message: str,
    stage: list[str],
) -> None:
    """The ruleset is chosen from the first rows and every later round checked as its chunk
    is scored, by column or (a later stage) by row: a round of another ruleset in the third
    chunk gives the error a first reading of every round gives, and writes nothing, to
    --out or to standard output."""
    table = _long_table(tmp_path / "late.csv", late_years)
    out = tmp_path / "results.csv"
    assert main(["batch", str(table), *stage, "--out", str(out)]) == 1
    with_out = capsys.readouterr()
    assert main(["batch", str(table), *stage]) == 1
    to_stdout = capsys.readouterr()
    assert with_out.err == to_stdout.err
    assert message in with_out.err
    assert with_out.out == to_stdout.out == ""
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [table]  # no partial file left beside it


def test_a_strict_stop_early_still_yields_to_a_late_round_of_another_ruleset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _long_table(tmp_path / "late.csv", {555: "2017"})
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",true,", ",mungkin,", 1)  # a bad cell in the first chunk
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "results.csv"
    assert main(["batch", str(table), "--strict", "--out", str(out)]) == 1
    assert "expected rounds of one ruleset; found 2017" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("stage", [[], ["--stage", "field"]], ids=["by_column", "by_row"])
def test_results_to_a_file_are_those_to_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stage: list[str]
) -> None:
    """Rounds of one ruleset, later ones new to the check: the same results and errors
    (2021 refuses the example's 2023 data years) whether written to a file or printed."""
    table = _long_table(tmp_path / "same.csv", {7: "2026", 400: "2021"})
    out = tmp_path / "results.csv"
    to_file = main(["batch", str(table), *stage, "--out", str(out)])
    with_out = capsys.readouterr()
    assert main(["batch", str(table), *stage]) == to_file == 1
    printed = capsys.readouterr()
    assert out.read_text(encoding="utf-8") == printed.out
    assert with_out.err + with_out.out == printed.err  # row errors, then the summary
    assert "row 402, III.1.data_year: expected a data year no later than" in printed.err
    assert out.read_text(encoding="utf-8").count("\n") == 600  # a header, 599 districts


def test_a_round_not_held_is_noted_once_in_order_of_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each round not held is noted once, in order of year, to --out as to standard output
    (2024 comes in the first chunk, by which the ruleset is chosen, and again later)."""
    table = _long_table(tmp_path / "notes.csv", {3: "2024", 7: "2024", 400: "2020", 590: "2024"})
    notes = []
    for out in (["--out", str(tmp_path / "results.csv")], []):
        assert main(["batch", str(table), *out]) == 1  # the example's data years are later
        err = capsys.readouterr().err
        notes.append([line.split(":")[2] for line in err.splitlines() if "kla: note:" in line])
    assert notes == [[" round 2020", " round 2024"]] * 2


def test_the_ruleset_is_chosen_by_the_first_rows_with_a_round(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A first chunk without a whole-number year (each row's error) does not stop the
    choice: the first rows with one choose, and the others are scored all the same."""
    table = _long_table(tmp_path / "late.csv", dict.fromkeys(range(300), "x"))
    out = tmp_path / "results.csv"
    assert main(["batch", str(table), "--out", str(out)]) == 1
    with_out = capsys.readouterr()
    assert "row 2, year: " in with_out.err
    assert "kla: ... dan 250 lagi / and 250 more" in with_out.err
    assert out.read_text(encoding="utf-8").count("\n") == 301  # a header, 300 districts
    assert main(["batch", str(table)]) == 1
    assert capsys.readouterr().out == out.read_text(encoding="utf-8")


def test_a_table_without_a_round_asks_for_a_ruleset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _long_table(tmp_path / "none.csv", dict.fromkeys(range(600), "x"))
    out = tmp_path / "results.csv"
    for destination in (["--out", str(out)], []):
        assert main(["batch", str(table), *destination]) == 1
        assert capsys.readouterr() == (
            "",
            f"kla: {table}: no row with a year to choose a ruleset by; use --ruleset\n",
        )
    assert list(tmp_path.iterdir()) == [table]
