"""``kla batch``: a table in, results out, bad rows on stderr, and a progress line on terminals."""

from __future__ import annotations

import csv
import io
import json
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


def test_an_unwritable_out_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no-such-dir" / "results.csv"
    assert main(["batch", TABLE, "--out", str(out)]) == 1
    assert "kla: --out " in capsys.readouterr().err


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
