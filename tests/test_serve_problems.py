"""Refusals: every error is ``{"problems": [...]}`` with the right status, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.applications import Starlette

from kla_model.serve import MAX_BYTES, MAX_DEPTH, ServiceConfig, create_app, handlers
from serve_client import call, example_data, problems


def test_a_body_that_is_not_json_is_refused_with_400(service: Starlette) -> None:
    response = call(service, "POST", "/score", content=b'{"region": ')
    assert response.status_code == 400
    assert problems(response) == [
        {"location": "body: line 1, column 12", "message": "invalid JSON: Expecting value"}
    ]


def test_an_empty_body_is_refused_with_400(service: Starlette) -> None:
    response = call(service, "POST", "/validate", content=b"  ")
    assert response.status_code == 400
    assert problems(response)[0]["message"] == "expected a JSON document; the body is empty"


def test_a_body_that_is_not_utf8_is_refused_with_400(service: Starlette) -> None:
    response = call(service, "POST", "/score", content=b'{"a": "\xff"}')
    assert response.status_code == 400
    assert problems(response)[0]["message"].startswith("expected UTF-8 text; byte 7 is not")


def test_duplicate_keys_are_refused_with_400(service: Starlette) -> None:
    response = call(service, "POST", "/score", content=b'{"year": 2025, "year": 2024}')
    assert response.status_code == 400
    assert problems(response)[0]["message"] == "invalid JSON: duplicate key 'year'"


def test_a_body_nested_too_deeply_is_refused_with_400(service: Starlette) -> None:
    body = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    response = call(service, "POST", "/score", content=body.encode())
    assert response.status_code == 400
    message = f"expected at most {MAX_DEPTH} levels of nesting; found more"
    assert problems(response) == [{"location": "body", "message": message}]


def test_a_body_nested_within_the_bound_reaches_validation(service: Starlette) -> None:
    body = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    response = call(service, "POST", "/score", content=body.encode())
    assert response.status_code == 422
    assert problems(response) == [{"location": "body", "message": "expected a mapping; found list"}]


def test_a_body_past_the_limit_is_refused_with_413_by_its_length(service: Starlette) -> None:
    response = call(service, "POST", "/score", content=b" " * (MAX_BYTES + 1))
    assert response.status_code == 413
    message = f"the body is larger than the limit of {MAX_BYTES:,} bytes"
    assert problems(response) == [{"location": "body", "message": message}]


def test_a_streamed_body_is_counted_as_it_arrives_whatever_its_header_says() -> None:
    app = create_app(config=ServiceConfig(rulesets=("perpres-25-2021",), max_body=1000))
    sent = []

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            sent.append(1)
            yield b" " * 100

    # chunked: no Content-Length at all, so only counting can stop it
    response = call(app, "POST", "/score", content=chunks())
    assert response.status_code == 413
    assert problems(response)[0]["message"] == "the body is larger than the limit of 1,000 bytes"


def test_a_body_within_a_configured_limit_is_read() -> None:
    app = create_app(config=ServiceConfig(rulesets=("perpres-25-2021",), max_body=30_000))
    assert call(app, "POST", "/score", json=example_data()).status_code == 200


def test_an_invalid_submission_is_refused_with_422_and_every_problem(service: Starlette) -> None:
    data = example_data()
    data["year"] = 1800
    data["answers"]["K.1"]["items"]["K.1.2"] = "perwali"
    del data["region"]["code"]
    response = call(service, "POST", "/score", json=data)
    assert response.status_code == 422
    assert problems(response) == [
        {"location": "body: $.region", "message": "'code' is a required property"},
        {"location": "body: $.year", "message": "expected a number >= 1900; found 1800"},
    ]


def test_a_submission_that_does_not_fit_its_ruleset_is_refused_with_422(
    service: Starlette,
) -> None:
    data = example_data()
    data["answers"]["K.1"]["items"]["K.1.2"] = "perwali"
    data["answers"]["X.9"] = True
    response = call(service, "POST", "/validate", json=data)
    assert response.status_code == 422
    found = problems(response)
    assert [p["location"] for p in found] == [
        'body: $.answers["K.1"].items["K.1.2"]',
        'body: $.answers["X.9"]',
    ]
    assert found[1]["message"].startswith(
        "expected an indicator id of the ruleset; found unknown id 'X.9'"
    )


def test_a_round_no_loaded_ruleset_applies_to_is_refused_with_422(service: Starlette) -> None:
    data = example_data()
    data["year"] = 2005
    response = call(service, "POST", "/score", json=data)
    assert response.status_code == 422
    [problem] = problems(response)
    assert problem["location"] == "body: $.year"
    assert problem["message"].startswith("round 2005: expected a round that a ruleset applies to")
    assert problem["message"].endswith("; name one with ?ruleset=")


@pytest.mark.parametrize(
    ("url", "parameter", "found"),
    [
        ("/score?stage=later", "stage", "'later'"),
        ("/explain?lang=fr", "lang", "'fr'"),
        ("/evidence?stage=", "stage", "''"),
    ],
)
def test_a_query_value_out_of_its_choices_is_refused_with_422(
    service: Starlette, url: str, parameter: str, found: str
) -> None:
    response = call(service, "POST", url, json=example_data())
    assert response.status_code == 422
    [problem] = problems(response)
    assert problem["location"] == f"query.{parameter}"
    assert problem["message"].endswith(f"; found {found}")


def test_an_unknown_target_tier_is_refused_with_422(service: Starlette) -> None:
    response = call(service, "POST", "/plan?target=emas", json={"submission": example_data()})
    assert response.status_code == 422
    assert "emas" in problems(response)[0]["message"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            [],
            [
                {
                    "location": "body: $",
                    "message": "expected an object with a submission; found list",
                }
            ],
        ),
        (
            {"costs": {}, "extra": 1},
            [
                {
                    "location": "body: $.extra",
                    "message": "unknown field; allowed: submission, costs, fixed",
                },
                {"location": "body: $", "message": "expected a field 'submission'; found none"},
            ],
        ),
        (
            {"submission": {}, "fixed": "I.1"},
            [{"location": "body: $.fixed", "message": "expected a list of indicator or item ids"}],
        ),
    ],
)
def test_a_plan_body_of_the_wrong_shape_is_refused_with_422(
    service: Starlette, body: Any, expected: list[dict[str, str]]
) -> None:
    response = call(service, "POST", "/plan", json=body)
    assert response.status_code == 422
    assert problems(response) == expected


def test_bad_costs_are_refused_with_422_at_their_location(service: Starlette) -> None:
    body = {"submission": example_data(), "costs": {"default": -1, "items": {"Z.1": 2}}}
    response = call(service, "POST", "/plan", json=body)
    assert response.status_code == 422
    assert problems(response) == [
        {"location": "body.costs: $.default", "message": "expected a number >= 0; found -1"},
        {"location": 'body.costs: $.items["Z.1"]', "message": "unknown item id 'Z.1'"},
    ]


def test_a_plan_submission_is_located_inside_the_body(service: Starlette) -> None:
    data = example_data()
    del data["region"]["code"]
    response = call(service, "POST", "/plan", json={"submission": data})
    assert response.status_code == 422
    assert problems(response) == [
        {"location": "body.submission: $.region", "message": "'code' is a required property"}
    ]


def test_an_unknown_ruleset_is_refused_with_404(service: Starlette) -> None:
    response = call(service, "POST", "/score?ruleset=perpres-99", json=example_data())
    assert response.status_code == 404
    message = (
        "no loaded ruleset has id 'perpres-99'; "
        "loaded: desa-kelurahan, permen-pppa-12-2011, perpres-25-2021"
    )
    assert problems(response) == [{"location": "query.ruleset", "message": message}]


def test_a_path_is_never_taken_for_a_ruleset(service: Starlette) -> None:
    for url in ("/score?ruleset=rules/perpres-25-2021.yaml", "/rulesets/..%2Frules"):
        method = "POST" if url.startswith("/score") else "GET"
        response = call(service, method, url, json=example_data())
        assert response.status_code == 404


def test_unknown_paths_and_methods_answer_in_the_same_shape(service: Starlette) -> None:
    missing = call(service, "GET", "/scores")
    assert missing.status_code == 404
    assert problems(missing) == [{"location": "/scores", "message": "Not Found"}]
    wrong = call(service, "GET", "/score")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "POST"
    assert problems(wrong) == [{"location": "/score", "message": "Method Not Allowed"}]


def test_an_unknown_schema_is_refused_with_404(service: Starlette) -> None:
    response = call(service, "GET", "/schemas/secrets")
    assert response.status_code == 404
    assert problems(response)[0]["location"] == "path.name"


def test_an_unexpected_error_is_logged_and_answered_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(["perpres-25-2021"])

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("a bug deep in the engine")

    monkeypatch.setattr(handlers, "score_json", broken)  # what /score calls
    with caplog.at_level(logging.ERROR, logger="kla_model.serve"):
        response = call(app, "POST", "/score", json=example_data())
    assert response.status_code == 500
    [problem] = problems(response)
    assert problem["location"] == "server"
    assert problem["message"].startswith("an internal error occurred; it was logged as ")
    assert "ZeroDivisionError" not in response.text
    assert "Traceback" not in response.text
    incident = problem["message"].rsplit(" ", 1)[-1]
    assert incident in caplog.text
    assert "a bug deep in the engine" in caplog.text
