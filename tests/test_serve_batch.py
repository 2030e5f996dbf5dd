"""``POST /batch``: a table in, one JSON line per row out; a bad row never fails the batch."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.applications import Starlette

import kla_model as kla
from kla_model.serve import batch
from serve_client import EXAMPLE_CSV, call, example_data, lines, problems

CSV = {"content-type": "text/csv"}
JSONL = {"content-type": "application/x-ndjson"}


def _csv_with(rows: list[str]) -> bytes:
    header, first = EXAMPLE_CSV.read_text("utf-8").splitlines()[:2]
    return "\n".join([header, first, *rows]).encode()


def test_a_csv_table_scores_like_kla_score_table(service: Starlette, bundled: kla.RuleSet) -> None:
    response = call(service, "POST", "/batch", content=EXAMPLE_CSV.read_bytes(), headers=CSV)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    found = lines(response)
    expected = kla.score_table(bundled, kla.load_table(EXAMPLE_CSV))
    assert [line["result"] for line in found] == [totals.to_dict() for totals in expected.results]
    assert [line["row"] for line in found] == list(range(2, 2 + len(expected.results)))
    assert found[0]["result"]["total"] == 763.25


def test_bad_csv_rows_are_reported_in_the_stream_and_the_others_scored(
    service: Starlette,
) -> None:
    header = EXAMPLE_CSV.read_text("utf-8").splitlines()[0]
    width = len(header.split(","))
    short = "36.01,Kabupaten Contoh,kabupaten,Banten,2025"
    bad_year = "36.02,Kota Contoh,kota,Banten,20x5" + "," * (width - 5)
    response = call(service, "POST", "/batch", content=_csv_with([short, bad_year]), headers=CSV)
    assert response.status_code == 200
    first, second, third = lines(response)
    assert (first["row"], first["result"]["total"]) == (2, 763.25)
    assert second == {
        "row": 3,
        "problems": [
            {
                "location": "body: row 3",
                "message": f"expected {width} cells like the header; found 5",
                "message_id": f"diharapkan {width} sel seperti baris judul; ditemukan 5",
                "message_en": f"expected {width} cells like the header; found 5",
            }
        ],
    }
    assert third["row"] == 4
    assert third["problems"][0]["location"] == "body: row 4, year"


def test_the_stage_and_ruleset_apply_to_every_row(service: Starlette) -> None:
    url = "/batch?stage=final&ruleset=perpres-25-2021"
    response = call(service, "POST", url, content=EXAMPLE_CSV.read_bytes(), headers=CSV)
    assert {line["result"]["stage"] for line in lines(response)} == {"final"}


def test_json_lines_score_each_submission_and_report_each_bad_line(
    service: Starlette, bundled: kla.RuleSet, example: kla.Submission
) -> None:
    good = json.dumps(example_data())
    body = "\n".join([good, "", "{}", "not json", "[" * 40 + "]" * 40, good])
    response = call(service, "POST", "/batch", content=body.encode(), headers=JSONL)
    assert response.status_code == 200
    found = lines(response)
    assert [line["row"] for line in found] == [1, 3, 4, 5, 6]
    expected = kla.ScoreTotals.of(kla.score(bundled, example)).to_dict()
    assert found[0]["result"] == expected == found[4]["result"]
    assert found[1]["problems"][0] == {
        "location": "body: line 3: $",
        "message": "'answers' is a required property",
        "message_id": "kolom 'answers' wajib ada",
        "message_en": "'answers' is a required property",
    }
    assert found[2]["problems"] == [
        {
            "location": "body: line 4: line 1, column 1",
            "message": "invalid JSON: Expecting value",
            "message_id": "JSON tidak sah (menurut pembaca JSON: Expecting value)",
            "message_en": "invalid JSON: Expecting value",
        }
    ]
    assert found[3]["problems"][0]["message"] == "expected at most 32 levels of nesting; found more"


def test_a_json_line_in_a_round_no_ruleset_covers_is_that_lines_problem(
    service: Starlette,
) -> None:
    old = example_data()
    old["year"] = 2005
    body = "\n".join([json.dumps(old), json.dumps(example_data())])
    first, second = lines(call(service, "POST", "/batch", content=body.encode(), headers=JSONL))
    assert first["problems"][0]["location"] == "body: $.year"
    assert second["result"]["total"] == 710.75


def test_an_unexpected_error_in_a_row_is_that_rows_line(
    service: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = kla.score

    def fails_for_tangerang(ruleset: kla.RuleSet, submission: kla.Submission, *args: Any) -> Any:
        if submission.region.code == "36.71":
            raise RuntimeError("a bug")
        return real(ruleset, submission, *args)

    monkeypatch.setattr(kla, "score", fails_for_tangerang)
    other = example_data()
    other["region"]["code"] = "36.03"
    body = "\n".join([json.dumps(example_data()), json.dumps(other)])
    first, second = lines(call(service, "POST", "/batch", content=body.encode(), headers=JSONL))
    assert first["problems"][0]["message"].startswith("an internal error occurred; it was logged")
    assert second["result"]["region"]["code"] == "36.03"


def test_an_unexpected_error_in_a_csv_row_lets_the_rows_after_it_score(
    service: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = kla.score_rows
    calls = []

    def breaks_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        for index, row in enumerate(real(*args, **kwargs)):
            if len(calls) == 1 and index == 1:
                raise RuntimeError("a bug")
            yield row

    monkeypatch.setattr(kla, "score_rows", breaks_once)
    response = call(service, "POST", "/batch", content=EXAMPLE_CSV.read_bytes(), headers=CSV)
    found = lines(response)
    assert [line["row"] for line in found] == list(range(2, 10))
    assert "problems" in found[1]
    assert all("result" in line for index, line in enumerate(found) if index != 1)


@pytest.mark.parametrize(
    ("body", "headers", "status", "message"),
    [
        (b"", CSV, 422, "expected a CSV header row; the body has none"),
        (EXAMPLE_CSV.read_bytes()[:30], CSV, 422, "expected at least one row to score; found none"),
        (b"\n\n", JSONL, 422, "expected at least one row to score; found none"),
        (
            b"a,b\n1,2\n",
            CSV,
            422,
            "expected the columns region_code, region_name, region_kind, province, year; missing region_code, region_name, region_kind, province, year",
        ),
        (
            b"{}",
            {"content-type": "application/json"},
            415,
            "expected one of text/csv, application/x-ndjson, application/jsonl, application/json-lines; found application/json",
        ),
        (
            b"{}",
            {},
            415,
            "expected one of text/csv, application/x-ndjson, application/jsonl, application/json-lines; found no Content-Type",
        ),
        (b"\xff\xfe", CSV, 400, "expected UTF-8 text; byte 0 is not (invalid start byte)"),
    ],
)
def test_a_body_that_cannot_be_read_as_a_whole_is_refused_before_the_stream(
    service: Starlette, body: bytes, headers: dict[str, str], status: int, message: str
) -> None:
    response = call(service, "POST", "/batch", content=body, headers=headers)
    assert response.status_code == status
    assert problems(response)[0]["message"] == message


def test_a_header_column_the_ruleset_does_not_know_is_refused_with_422(
    service: Starlette,
) -> None:
    text = EXAMPLE_CSV.read_text("utf-8").replace("K.1.1,", "K.1.9,", 1)
    response = call(service, "POST", "/batch", content=text.encode(), headers=CSV)
    assert response.status_code == 422
    assert "K.1.9" in problems(response)[0]["message"]


def test_rounds_of_two_rulesets_need_the_ruleset_named(service: Starlette) -> None:
    rows = EXAMPLE_CSV.read_text("utf-8").splitlines()
    rows[2] = rows[2].replace(",2025,", ",2015,", 1)
    response = call(service, "POST", "/batch", content="\n".join(rows).encode(), headers=CSV)
    assert response.status_code == 422
    assert problems(response) == [
        {
            "location": "body: year",
            "message": "expected rounds of one ruleset; found permen-pppa-12-2011, "
            "perpres-25-2021: name one with ?ruleset=",
        }
    ]


def test_an_unreadable_csv_row_ends_the_table_with_its_own_line(service: Starlette) -> None:
    huge = "x" * 200_000  # past the csv module's field size limit
    body = _csv_with([f"36.03,{huge},kota,Banten,2025", "36.04,Kota Lain,kota,Banten,2025"])
    found = lines(call(service, "POST", "/batch", content=body, headers=CSV))
    assert found[0]["result"]["total"] == 763.25
    assert found[1:] == [
        {
            "row": 3,
            "problems": [
                {
                    "location": "body: row 3",
                    "message": "unreadable CSV: field larger than field limit (131072)",
                    "message_id": "CSV tidak terbaca (menurut pembaca CSV: field larger than "
                    "field limit (131072))",
                    "message_en": "unreadable CSV: field larger than field limit (131072)",
                }
            ],
        }
    ]


def test_results_are_sent_in_pieces_of_lines() -> None:
    pieces = list(batch.chunked(f"{n}\n" for n in range(batch.CHUNK_LINES * 2 + 1)))
    assert [piece.count("\n") for piece in pieces] == [batch.CHUNK_LINES, batch.CHUNK_LINES, 1]
