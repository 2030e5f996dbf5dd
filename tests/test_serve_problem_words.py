"""Problems in both languages (``message_id``, ``message_en``) and all of a submission's
problems together: what the self-assessment page needs to speak one language at a time."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

import kla_model as kla
from conftest import ROOT
from kla_model._base.json_schema import MAX_PROBLEMS
from kla_model.serve.problem_words import UNTRANSLATED, indonesian
from profiles import examples
from serve_client import call, conforms, example_data

#: The page names its ruleset, as it always does.
VALIDATE = "/validate?ruleset=perpres-25-2021"


def refused(service: Starlette, data: Any, url: str = VALIDATE) -> list[dict[str, str]]:
    response = call(service, "POST", url, json=data)
    assert response.status_code == 422, response.text
    body = response.json()
    conforms("problems", body)
    found: list[dict[str, str]] = body["problems"]
    return found


def changed(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(example_data())
    change(data)
    return data


def _set(path: tuple[str, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _drop(path: tuple[str, ...]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


#: Every kind of problem a field of the page's form (or a file made for another version) can
#: cause, through the service: each must come back translated, not with the English note.
FIELD_MISTAKES: dict[str, Callable[[dict[str, Any]], None]] = {
    "percentage above 100": _set(("answers", "I.1", "value"), 150),
    "percentage below 0": _set(("answers", "I.1", "value"), -5.5),
    "value not a number": _set(("answers", "I.1", "value"), "abc"),
    "data year too old": _set(("answers", "I.1", "data_year"), 2010),
    "data year after the round": _set(("answers", "I.1", "data_year"), 2030),
    "data year missing": _drop(("answers", "II.1", "data_year")),
    "yes/no not a boolean": _set(("answers", "K.1", "items", "K.1.1"), "maybe"),
    "unknown level": _set(("answers", "K.1", "items", "K.1.2"), "perdaa"),
    "unknown option": _set(("answers", "K.1", "items", "K.1.4"), ["forum"]),
    "unknown item": _set(("answers", "K.1", "items", "K.1.9"), True),
    "unknown indicator": _set(("answers", "Z.9"), True),
    "single answer for many items": _set(("answers", "K.1"), True),
    "year too early": _set(("year",), 1800),
    "year as text": _set(("year",), "2025"),
    "region kind": _set(("region", "kind"), "planet"),
    "region name empty": _set(("region", "name"), ""),
    "region name missing": _drop(("region", "name")),
    "unknown field": _set(("extra",), 1),
}


@pytest.mark.parametrize("mistake", FIELD_MISTAKES.values(), ids=FIELD_MISTAKES.keys())
def test_every_problem_a_field_can_cause_is_said_in_indonesian_and_english(
    service: Starlette, mistake: Callable[[dict[str, Any]], None]
) -> None:
    problems = refused(service, changed(mistake))

    for problem in problems:
        assert problem["message_en"] == problem["message"]
        assert not problem["message_id"].endswith(UNTRANSLATED), problem
        assert problem["message_id"] != problem["message"]
        # No English word of the library's frame is left in the Indonesian.
        assert not re.search(r"\b(expected|found|unknown|required)\b", problem["message_id"])


def test_a_percentage_of_150_in_both_languages(service: Starlette) -> None:
    [problem] = refused(service, changed(_set(("answers", "I.1", "value"), 150.5)))

    assert problem == {
        "location": 'body: $.answers["I.1"]',
        "message": "I.1.1: expected a percentage from 0 to 100; found 150.5",
        "message_id": "I.1.1: diharapkan persentase 0–100; ditemukan 150,5",
        "message_en": "I.1.1: expected a percentage from 0 to 100; found 150.5",
    }


def test_a_did_you_mean_hint_is_translated_and_the_value_kept(service: Starlette) -> None:
    [problem] = refused(service, changed(_set(("answers", "K.1", "items", "K.1.2"), "perdaa")))

    assert problem["message_id"] == (
        "K.1.2: diharapkan salah satu tingkat: none, perkada, perda; "
        "ditemukan 'perdaa' (maksudnya 'perda'?)"
    )


HOSTILE = ROOT / "tests" / "hostile"
HOSTILE_FILES = sorted(path for path in HOSTILE.iterdir() if path.suffix in {".yaml", ".json"})


@pytest.mark.parametrize("path", HOSTILE_FILES, ids=lambda path: path.name)
def test_every_problem_of_a_hostile_upload_is_said_in_indonesian(
    service: Starlette, path: Path
) -> None:
    """The page's upload reads files with the strict reader: its refusals are translated too."""
    response = call(
        service, "POST", f"/page/submission?name={path.name}", content=path.read_bytes()
    )

    assert response.status_code in (400, 422)
    for problem in response.json()["problems"]:
        assert not problem["message_id"].endswith(UNTRANSLATED), problem
        assert problem["message_en"] == problem["message"]


def test_a_message_the_catalogue_does_not_know_stays_english_and_says_so() -> None:
    message = "a verifier's record names a stage twice"

    assert indonesian(message) == message + UNTRANSLATED
    assert "bahasa Inggris" in UNTRANSLATED


@settings(max_examples=examples(200))
@given(value=st.text(alphabet=st.characters(blacklist_characters="'"), max_size=40))
def test_a_value_quoted_from_the_input_is_kept_as_it_was_sent(value: str) -> None:
    """Whatever a user typed is shown back exactly: the catalogue translates the frame only."""
    message = f"K.1.2: expected one of the levels none, perda; found {value!r}"

    said = indonesian(message)

    assert said.startswith("K.1.2: diharapkan salah satu tingkat: none, perda; ditemukan ")
    assert said.endswith(repr(value))


@settings(max_examples=examples(200))
@given(text=st.text(max_size=200))
def test_any_text_is_translated_or_kept_with_the_note(text: str) -> None:
    said = indonesian(text)

    assert said == text + UNTRANSLATED or not said.endswith(UNTRANSLATED)


def test_a_bad_year_does_not_hide_a_percentage_of_150(service: Starlette) -> None:
    data = changed(_set(("year",), 1800))
    data["answers"]["I.1"]["value"] = 150
    data["answers"]["K.1"]["items"]["K.1.1"] = "maybe"

    problems = refused(service, data)

    assert [p["location"] for p in problems] == [
        "body: $.year",
        'body: $.answers["K.1"].items["K.1.1"]',
        'body: $.answers["I.1"]',
    ]
    assert problems[2]["message"] == "I.1.1: expected a percentage from 0 to 100; found 150"


def test_a_bad_region_does_not_hide_an_answers_problem_with_the_ruleset_of_the_year(
    service: Starlette,
) -> None:
    data = changed(_set(("region", "kind"), "planet"))
    data["answers"]["I.1"]["value"] = 150

    problems = refused(service, data, "/score")

    assert [p["location"] for p in problems] == ["body: $.region.kind", 'body: $.answers["I.1"]']


def test_an_answer_with_a_bad_shape_is_named_once(service: Starlette) -> None:
    data = changed(_set(("answers", "I.1", "value"), "abc"))
    data["year"] = 1800

    problems = refused(service, data)

    assert [p["location"] for p in problems] == ['body: $.answers["I.1"].value', "body: $.year"]


def test_a_plan_body_gathers_too(service: Starlette) -> None:
    submission = changed(_set(("region", "kind"), "planet"))
    submission["answers"]["I.1"]["value"] = 150

    problems = refused(service, {"submission": submission}, "/plan")

    assert [p["location"] for p in problems] == [
        "body.submission: $.region.kind",
        'body.submission: $.answers["I.1"]',
    ]


def test_gathered_problems_keep_the_cap_and_its_last_word(
    service: Starlette, bundled: kla.RuleSet
) -> None:
    data = example_data()
    data["year"] = 1800
    # Fewer shape problems than the cap (a bad year, broken evidence) and, with the answers
    # the ruleset refuses (every item answered "zzz"), more than the cap in all.
    data["evidence"] = [{"id": 1}] * 12
    data["answers"] = {
        indicator.id: {"items": {item.id: "zzz" for item in indicator.items}}
        for indicator in bundled.indicators.values()
    }
    shape = refused(service, {**data, "answers": {}})
    assert 0 < len(shape) < MAX_PROBLEMS

    problems = refused(service, data)

    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[: len(shape)] == shape
    assert 'body: $.answers["K.1"].items["K.1.1"]' in [p["location"] for p in problems]
    assert problems[-1]["message"] == (
        f"more than {MAX_PROBLEMS} problems: the rest were not looked for; fix these first"
    )
    assert problems[-1]["message_id"].startswith(f"lebih dari {MAX_PROBLEMS} masalah")
