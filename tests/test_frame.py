"""The pandas extra: batch results as a data frame, and scoring a data frame."""

from __future__ import annotations

import builtins
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from batch_strategies import odd_submissions, with_columns
from kla_model.tables import frame
from kla_model.tables import frame as frame_module
from kla_model.tables.table import FIXED_COLUMNS, answer_columns
from profiles import examples

RULES = kla.load_ruleset("perpres-25-2021")
TABLE = "examples/districts-2025.csv"


def _table() -> pd.DataFrame:
    # dtype=str keeps codes such as "33.20" as written (a float would read 33.2).
    return pd.read_csv(TABLE, dtype=str, keep_default_na=False)


def test_to_pandas_has_one_row_per_result() -> None:
    batch = kla.score_table(RULES, kla.load_table(TABLE))
    df = batch.to_pandas()
    assert list(df["region_code"]) == [r.region.code for r in batch.results]
    assert df.loc[0, "klaster_3"] == 187.5
    assert df["total"].dtype == "float64"
    assert df.groupby("tier").size().to_dict() == {
        "madya": 1,
        "nindya": 2,
        "pratama": 2,
        "utama": 3,
    }


def test_score_frame_equals_scoring_the_csv_file() -> None:
    scored = kla.score_frame(RULES, _table())
    batch = kla.score_table(RULES, kla.load_table(TABLE))
    assert list(scored["total"]) == [r.total for r in batch.results]
    assert list(scored["errors"]) == [""] * 8
    assert scored.loc[6, "region_code"] == "33.20"


def test_score_frame_reads_a_frame_pandas_typed_itself() -> None:
    """Without dtype=str, pandas reads years as numbers and blanks as NaN: still the same."""
    typed = pd.read_csv(TABLE)
    typed.loc[0, "I.1"] = float("nan")  # a blank value with its data year left: an error
    typed.loc[1, "I.1"] = float("nan")
    typed.loc[1, "I.1.data_year"] = float("nan")  # a blank value and year: not answered
    scored = kla.score_frame(RULES, typed)
    assert scored.loc[0, "errors"] == "row 2, I.1.data_year: a data year without a value in I.1"
    assert pd.isna(scored.loc[0, "total"])
    assert scored.loc[1, "errors"] == ""
    assert scored.loc[1, "klaster_1"] == 98.0 - 40.0


def test_score_frame_keeps_the_index_and_reports_bad_rows() -> None:
    df = _table().set_index("region_name", drop=False)
    df.loc["Kota Surakarta", "K.1.2"] = "perdaa"
    scored = kla.score_frame(RULES, df)
    assert list(scored.index) == list(df.index)
    assert scored.loc["Kota Surakarta", "errors"].startswith("row 6, K.1.2: expected one of")
    assert scored["total"].notna().sum() == 7
    with pytest.raises(kla.TableError, match=r"data frame: row 6, K\.1\.2"):
        kla.score_frame(RULES, df, strict=True)


def test_a_missing_pandas_is_named_with_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pandas(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(kla.MissingExtraError, match=r"pip install 'kla_model\[pandas\]'"):
        frame.results_frame([], RULES)
    assert issubclass(kla.MissingExtraError, ImportError)


@settings(max_examples=examples(60))
@given(st.lists(odd_submissions(RULES), min_size=1, max_size=6), st.booleans())
def test_reading_by_column_gives_what_reading_by_row_gives(
    submissions: list[kla.Submission], repeat: bool
) -> None:
    """The columnar path and the row path agree cell for cell, on clean and bad frames (a
    bad frame takes the row path, so its rows and columns are named)."""
    rows = [_row(submission, number) for number, submission in enumerate(submissions)]
    if repeat:
        rows.append(dict(rows[0]))  # the same district-year twice: an error
    frame = pd.DataFrame(rows, columns=[*FIXED_COLUMNS, *answer_columns(RULES)])
    by_row = frame_module._by_row(RULES, frame, pd)
    pd.testing.assert_frame_equal(kla.score_frame(RULES, frame), by_row)
    clean = frame_module._by_column(RULES, frame, tuple(frame.columns))
    assert (clean is None) == any(by_row["errors"] != "")
    if clean is not None:
        pd.testing.assert_frame_equal(clean, by_row)


def _row(submission: kla.Submission, number: int) -> dict[str, str]:
    row = kla.submission_row(RULES, with_columns(RULES, submission))
    return row | {"region_code": f"{number:04d}"}
