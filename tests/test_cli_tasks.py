"""``kla tasks``: the task force's view as text, JSON, CSV and printable HTML."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shlex
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kla_model.cli import main
from kla_model.views.task_force import CSV_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "kota-tangerang-2025.yaml")
AGENCIES = str(ROOT / "examples" / "kota-tangerang-2025-agencies.yaml")
COSTS = str(ROOT / "examples" / "kota-tangerang-2025-costs.yaml")
TASKS = ["tasks", EXAMPLE, "--assign", AGENCIES]


def _run(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main([*TASKS, *extra]) == 0
    return capsys.readouterr().out


def test_text_for_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _run(capsys).splitlines()
    assert lines[:8] == [
        "Kota Tangerang (kota, Banten) · 2025 · Tahap / Stage: Verifikasi final / Final "
        "verification",
        "Aturan / Ruleset: perpres-25-2021 2025.1 (provisional)",
        "Pembagian tugas / Assignment: ilustratif, bukan keputusan daerah / illustrative, not a "
        "decision · Koordinator / Coordinator: DP3AP2KB",
        "Total 710,75 / 1000 · Peringkat / Tier: Nindya / Nindya (third tier)",
        "Rencana / Plan: Utama / Utama (fourth tier) (> 800), 710,75 → 809,50 "
        "(4 langkah / steps, biaya / cost 4)",
        "",
        "OPD / Agency                   Poin / Points  Maks / Max  Hilang / Lost  "
        "Berisiko / At risk  Rencana / Plan  Setelah / After  Langkah / Steps",
        "-----------------------------  -------------  ----------  -------------  "
        "------------------  --------------  ---------------  ---------------",
    ]
    assert lines[8].split() == [
        "DP3AP2KB",
        "147,75",
        "251",
        "15,00",
        "15,00",
        "+52,00",
        "199,75",
        "1",
    ]
    assert lines[22].split()[-8:] == [
        "Unassigned",
        "26,25",
        "35",
        "0,00",
        "0,00",
        "+0,00",
        "26,25",
        "0",
    ]
    assert lines[23].split() == [
        "Total",
        "710,75",
        "1000",
        "52,50",
        "42,50",
        "+98,75",
        "809,50",
        "4",
    ]
    assert lines[25] == (
        "Butir tanpa OPD penanggung jawab / Items without a lead agency: V.3.1 (26,25 / 35)"
    )
    text = "\n".join(lines)
    assert (
        "  Yang harus dilakukan / What to do:\n"
        "   1. II.3 Persentase lembaga pengasuhan alternatif terstandarisasi: naikkan dari 80% "
        "menjadi 90% (rentang 90–100%): +13,00 poin (39,00 → 52,00).\n"
        "      II.3 % of alternative-care institutions meeting the standard: raise from 80% to "
        "90% (band 90–100%): +13.00 points (39.00 → 52.00).\n"
        "  Data dukung yang harus dilengkapi / Evidence to supply:\n"
        "    - V.4.1 ditolak / rejected: 17,50 poin berisiko / points at risk; jenis diterima / "
        "kinds accepted: dataset, report\n"
        "  Mendukung OPD lain / Supporting other agencies: V.2.1 (Disnaker)"
    ) in text
    assert (
        "Disdukcapil: Dinas Kependudukan dan Pencatatan Sipil\n"
        "----------------------------------------------------\n"
        "  Indikator / Indicators: I.1 30,00/40\n"
        "  Koreksi verifikator / Verifiers' corrections:\n"
        "    - I.1.1 96,8 → 89,2 (Verifikasi lapangan / Field verification, Tim Verifikasi "
        "Lapangan KemenPPPA: pencocokan dengan data SIAK per 30 Juni 2024 memberi 89,2% / "
        "matching against SIAK as of 30 June 2024 gives 89.2%)"
    ) in text


def test_text_in_english_only_with_costs(capsys: pytest.CaptureFixture[str]) -> None:
    text = _run(capsys, "--lang", "en", "--cost", COSTS)
    assert "Plan: Utama (fourth tier) (> 800), 710.75 → 800.50 (8 steps, cost 15)" in text
    assert "Tahap" not in text and "Yang harus" not in text
    assert "\nUnassigned     26.25    35" in text


def test_json_adds_up(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_run(capsys, "--format", "json", "--stage", "self_assessment"))
    assert data["stage"] == "self_assessment"
    buckets = [*data["agencies"], data["unassigned"]]
    assert math.fsum(bucket["points"] for bucket in buckets) == data["total"] == 763.25
    assert [s["item"] for b in buckets for s in b["steps"]] == [
        s["item"] for s in data["plan"]["steps"]
    ]


def test_csv_for_a_spreadsheet(capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(_run(capsys, "--format", "csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 53  # every item of the ruleset, once
    assert len({row["item"] for row in rows}) == 53
    assert math.fsum(float(row["points"]) for row in rows) == 710.75
    assert math.fsum(float(row["max"]) for row in rows) == 1000
    assert [row["item"] for row in rows if row["agency"] == ""] == ["V.3.1"]
    ii1 = next(row for row in rows if row["item"] == "II.1.1")
    assert (ii1["agency"], ii1["points"], ii1["plan_points_after"], ii1["plan_cost"]) == (
        "dp3ap2kb",
        "0",
        "52",
        "1",
    )
    assert ii1["support"] == "dinkes"
    assert ii1["plan_step_en"].startswith("II.1 % child marriage (before 18): lower from 7.35%")
    v41 = next(row for row in rows if row["item"] == "V.4.1")
    assert (v41["agency"], v41["evidence"], v41["at_risk"], v41["lost"]) == (
        "dinsos",
        "rejected",
        "17.5",
        "17.5",
    )
    assert next(row for row in rows if row["item"] == "I.1.1")["correction"] == "96.8 -> 89.2"


class _Structure(HTMLParser):
    """Checks that every element is closed in order and records the page sections."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.pages: list[str] = []
        self.headings: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and found.get("class") == "page":
            self.pages.append(found.get("id") or "")
        if tag not in self.VOID:
            self.open.append(tag)
        self._in_heading = tag == "h2"

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self._in_heading and data.strip():
            self.headings.append(data.strip())
            self._in_heading = False


def _structure(html: str) -> _Structure:
    parser = _Structure()
    parser.feed(html)
    parser.close()
    assert parser.open == []
    return parser


def test_html_has_an_overview_and_a_page_per_agency(capsys: pytest.CaptureFixture[str]) -> None:
    html = _run(capsys, "--format", "html")
    assert html.startswith('<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">')
    parsed = _structure(html)
    assert parsed.pages == [
        "overview",
        *(
            f"agency-{agency}"
            for agency in [
                "dp3ap2kb",
                "bappeda",
                "hukum",
                "bpkad",
                "disdukcapil",
                "diskominfo",
                "dinsos",
                "dinkes",
                "disperkimtan",
                "satpolpp",
                "dindik",
                "disbudpar",
                "disnaker",
                "bpbd",
                "unassigned",
            ]
        ),
    ]
    assert "page-break-after:always" in html and "@page{size:A4" in html
    assert "ilustratif, bukan keputusan daerah" in html  # the assignment's status, on each page
    assert html.count('<div class="banner">') == 2 * 16


def test_html_page_of_one_agency_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    html = _run(capsys, "--format", "html", "--agency", "dinsos")
    parsed = _structure(html)
    assert parsed.pages == ["agency-dinsos"]
    assert parsed.headings == [
        "Indikator",
        "Yang harus dilakukan",
        "Data dukung yang harus dilengkapi",
        "Mendukung OPD lain",
    ]
    assert "<h1>Gugus Tugas KLA · Dinsos: Dinas Sosial</h1>" in html
    assert "II.3 Persentase lembaga pengasuhan alternatif terstandarisasi: naikkan" in html
    assert "jadwal tahapan putaran ini tidak tercatat" in html  # no date is invented
    english = _run(capsys, "--format", "html", "--agency", "dinsos", "--lang", "en")
    assert _structure(english).headings[:2] == ["Indicators", "What to do"]
    assert '<html lang="en">' in english and "Yang harus" not in english


def test_bad_input_exits_1_with_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "tim.yaml"
    bad.write_text(
        "status: adopted\n"
        "agencies:\n"
        "  - {id: dinkes, name: Dinas Kesehatan, short: Dinkes}\n"
        "  - {id: dinkes, name: Dinas Kesehatan, short: Dinkes}\n"
        "owners:\n"
        "  - {id: III.1, lead: dinkes}\n"
        "  - {id: III.1, lead: dinsos}\n"
        "  - {id: III.10, lead: dinkes}\n",
        "utf-8",
    )
    assert main(["tasks", EXAMPLE, "--assign", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"kla: {bad}: 4 problems",
        f"  {bad}: $.agencies[1].id: duplicate agency id 'dinkes' (first used at $.agencies[0].id)",
        f"  {bad}: $.owners[1].lead: unknown agency 'dinsos' (did you mean 'dinkes'?); the "
        "file's agencies are dinkes",
        f"  {bad}: $.owners[1]: two leads for 'III.1': 'dinsos' here and 'dinkes' at "
        "$.owners[0]; an indicator or item has one lead (list the others under support)",
        f"  {bad}: $.owners[2].id: unknown indicator or item id 'III.10' (did you mean "
        "'III.1'?) in ruleset perpres-25-2021",
    ]


def test_an_unknown_agency_page_and_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*TASKS, "--format", "html", "--agency", "dinso"]) == 1
    assert capsys.readouterr().err.startswith(
        "kla: --agency: 1 problem\n  --agency: unknown agency 'dinso' (did you mean 'dinsos'?)"
    )
    assert main(["tasks", EXAMPLE, "--assign", "nowhere.yaml"]) == 1
    assert "nowhere.yaml: cannot read the file" in capsys.readouterr().err


DOC = (ROOT / "docs" / "task-force.md").read_text("utf-8")
#: The console blocks of docs/task-force.md that run the example: command, then its output.
DOC_BLOCKS = re.findall(
    r"```console\n\$ (kla tasks examples/\S+ --assign examples/[^\n]*)\n(.*?)```", DOC, re.S
)


def test_the_docs_show_the_example_and_the_error_list() -> None:
    assert len(DOC_BLOCKS) == 1
    for line in (
        "tim.yaml: $.owners[1]: two leads for 'III.1': 'dinsos' here and 'dinkes' at "
        "$.owners[0]; an indicator or item has one lead (list the others under support)",
        "tim.yaml: $.owners[2].id: unknown indicator or item id 'III.10' (did you mean "
        "'III.1'?) in ruleset perpres-25-2021",
    ):
        assert f"  {line}\n" in DOC  # as test_bad_input_exits_1_with_every_problem prints it


@pytest.mark.parametrize(("command", "shown"), DOC_BLOCKS, ids=[c for c, _ in DOC_BLOCKS])
def test_the_output_in_the_docs_is_real(
    command: str, shown: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(shlex.split(command)[1:]) == 0
    printed = capsys.readouterr().out.splitlines()
    kept = [line for line in shown.splitlines() if line != "..."]
    assert kept == printed[: len(kept)]


def test_an_agency_with_points_to_earn_is_not_told_nothing_is_open(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Bappeda has 13 of its 16 points and no step in the plan (the plan reaches Utama with
    other agencies' items): it is told the 3 points it could still earn, not "Nothing open",
    which only an agency holding all its points (BPKAD, 20 of 20) is told."""
    text = _run(capsys)
    bappeda = text[text.index("Bappeda: ") : text.index("Bag. Hukum: ")]
    assert "Nothing open" not in bappeda
    assert (
        "  Tidak ada langkah dalam rencana ini; 3,00 poin masih dapat diraih / "
        "No step in this plan; 3.00 points still to earn"
    ) in bappeda
    bpkad = text[text.index("BPKAD: ") : text.index("Disdukcapil: ")]
    assert "  Tidak ada tugas terbuka / Nothing open" in bpkad
    page = _run(capsys, "--format", "html", "--agency", "bappeda", "--lang", "en")
    assert "<strong>No step in this plan; 3.00 points still to earn</strong>" in page
    assert "Nothing open" not in page
