"""Batch results written as CSV or JSON Lines: one row per district, floats that read back."""

from __future__ import annotations

import csv
import io
import json

import pytest

import kla_model as kla
from kla_model.tables.output import ResultWriter, result_columns

RULES = kla.load_ruleset("perpres-25-2021")
BATCH = kla.score_table(RULES, kla.load_table("examples/districts-2025.csv"))
GROUPS = ["kelembagaan", "klaster_1", "klaster_2", "klaster_3", "klaster_4", "klaster_5"]


def test_csv_columns_and_first_row() -> None:
    stream = io.StringIO()
    assert kla.write_results(BATCH.results, stream, RULES, "csv") == 8
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert list(rows[0]) == result_columns(GROUPS)
    assert list(rows[0])[:6] == [
        "region_code",
        "region_name",
        "region_kind",
        "province",
        "year",
        "stage",
    ]
    first = rows[0]
    assert [first[g] for g in GROUPS] == ["146.75", "99.0", "75.0", "187.5", "125.0", "130.0"]
    assert (first["region_code"], first["total"], first["tier"]) == ("36.71", "763.25", "nindya")
    assert first["ruleset_id"] == "perpres-25-2021"
    assert first["ruleset_sha256"] == RULES.sha256
    assert [float(row["total"]) for row in rows] == [r.total for r in BATCH.results]


def test_jsonl_one_object_per_line() -> None:
    stream = io.StringIO()
    BATCH.write(stream, "jsonl")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 8
    first = json.loads(lines[0])
    assert first["region"] == {
        "code": "36.71",
        "name": "Kota Tangerang",
        "kind": "kota",
        "province": "Banten",
    }
    assert first["groups"]["klaster_3"] == 187.5
    assert (first["total"], first["tier"], first["stage"]) == (763.25, "nindya", "self_assessment")
    assert first["ruleset"]["version"] == "2025.1"


def test_no_tier_is_an_empty_cell_and_null() -> None:
    low = kla.ScoreTotals.of(kla.score(RULES, kla.Submission(BATCH.results[0].region, 2025, {})))
    stream = io.StringIO()
    kla.write_results([low], stream, RULES, "csv")
    [row] = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert (row["total"], row["tier"]) == ("0.0", "")
    assert low.to_dict()["tier"] is None


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(kla.KlaError, match="format: expected one of csv, jsonl; found 'xlsx'"):
        ResultWriter(io.StringIO(), RULES, "xlsx")
