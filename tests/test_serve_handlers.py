"""Every endpoint in-process: each answers what the library gives, in its shipped schema."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette

import kla_model as kla
from conftest import EXAMPLE, ROOT
from kla_model._base.json_schema import SCHEMA_NAMES, schema
from kla_model._base.strict_yaml import parse_yaml
from serve_client import call, conforms, example_data

COSTS = ROOT / "examples" / "kota-tangerang-2025-costs.yaml"


def _post(service: Starlette, url: str, body: Any) -> Any:
    response = call(service, "POST", url, json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def test_score_answers_the_card_of_kla_score(
    service: Starlette, bundled: kla.RuleSet, example: kla.Submission
) -> None:
    card = _post(service, "/score", example_data())
    conforms("result", card)
    assert card == kla.score(bundled, example).to_dict()
    assert card["total"] == 710.75
    assert card["tier"]["id"] == "nindya"


def test_score_takes_the_stage_and_the_ruleset_from_the_query(service: Starlette) -> None:
    url = "/score?stage=self_assessment&ruleset=perpres-25-2021"
    card = _post(service, url, example_data())
    assert (card["stage"], card["total"]) == ("self_assessment", 763.25)
    assert card["ruleset"]["id"] == "perpres-25-2021"


def test_validate_counts_the_answered_indicators(service: Starlette) -> None:
    body = _post(service, "/validate", example_data())
    conforms("validation", body)
    assert (body["valid"], body["answered"], body["indicators"]) == (True, 24, 24)
    assert body["ruleset"]["id"] == "perpres-25-2021"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_explain_answers_the_explanation_in_the_language_asked(
    service: Starlette, bundled: kla.RuleSet, example: kla.Submission, lang: str
) -> None:
    body = _post(service, f"/explain?lang={lang}&stage=self_assessment", example_data())
    conforms("explanation", body)
    card = kla.score(bundled, example, stage="self_assessment")
    assert body == kla.explain(card, lang).to_dict()


def test_explain_is_in_indonesian_by_default(service: Starlette) -> None:
    body = _post(service, "/explain", example_data())
    assert body["lang"] == "id"
    assert body["summary"][0].startswith("Aturan: perpres-25-2021 versi 2025.1 (sementara:")
    assert "poin" in body["summary"][1]
    assert body["ruleset"]["status"] == "provisional"


def test_plan_reads_the_costs_and_fixed_ids_from_the_body(
    service: Starlette, bundled: kla.RuleSet, example: kla.Submission
) -> None:
    costs = kla.load_costs(COSTS, bundled)
    body = {"submission": example_data(), "costs": costs.to_dict(), "fixed": ["I.2.1"]}
    plan = _post(service, "/plan?target=utama", body)
    conforms("plan", plan)
    expected = kla.plan(bundled, example, target="utama", cost=costs, fixed=["I.2.1"])
    assert plan == expected.to_dict()
    assert plan["target"]["id"] == "utama"
    assert all(step["item"] != "I.2.1" for step in plan["steps"])


def test_plan_without_costs_counts_every_change_as_one(
    service: Starlette, bundled: kla.RuleSet, example: kla.Submission
) -> None:
    plan = _post(service, "/plan?stage=self_assessment", {"submission": example_data()})
    conforms("plan", plan)
    assert plan == kla.plan(bundled, example, stage="self_assessment").to_dict()


def test_stages_answers_the_history_of_score_stages(
    service: Starlette, bundled: kla.RuleSet, example: kla.Submission
) -> None:
    body = _post(service, "/stages", example_data())
    conforms("stages", body)
    assert body == kla.score_stages(bundled, example).to_dict()


def test_evidence_answers_the_report_at_the_stage_asked(
    service: Starlette, bundled: kla.RuleSet, example: kla.Submission
) -> None:
    body = _post(service, "/evidence?stage=administrative", example_data())
    conforms("evidence-report", body)
    assert body == kla.evidence_report(bundled, example, stage="administrative").to_dict()


def test_rulesets_lists_every_loaded_ruleset(service: Starlette) -> None:
    body = call(service, "GET", "/rulesets").json()
    conforms("rulesets", body)
    ids = [entry["id"] for entry in body["rulesets"]]
    assert ids == list(kla.bundled_rulesets())
    current = body["rulesets"][ids.index("perpres-25-2021")]
    assert current["rounds"] == {"from": 2018}
    assert current["status"] == "provisional"


def test_a_ruleset_comes_with_its_indicator_catalogue(
    service: Starlette, bundled: kla.RuleSet
) -> None:
    body = call(service, "GET", "/rulesets/perpres-25-2021").json()
    conforms("ruleset", body)
    assert body == bundled.to_dict()
    indicators = [i["id"] for group in body["groups"] for i in group["indicators"]]
    assert len(indicators) == 24


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_shipped_schema_is_served_as_it_is(service: Starlette, name: str) -> None:
    response = call(service, "GET", f"/schemas/{name}")
    assert response.status_code == 200
    assert response.json() == schema(name)


def test_health_and_version(service: Starlette, bundled: kla.RuleSet) -> None:
    health = call(service, "GET", "/health").json()
    conforms("health", health)
    assert health == {"status": "ok", "rulesets": len(kla.bundled_rulesets())}
    version = call(service, "GET", "/version").json()
    conforms("version", version)
    assert version["kla_model"] == kla.__version__
    assert bundled.ref.to_dict() in version["rulesets"]


def test_a_service_loads_only_the_rulesets_it_is_given() -> None:
    from kla_model.serve import create_app  # noqa: PLC0415 (the [serve] extra)

    own = ROOT / "tests" / "rulesets"
    path = next(iter(sorted(own.glob("*.yaml"))))
    app = create_app(["perpres-25-2021", str(path)])
    listed = [entry["id"] for entry in call(app, "GET", "/rulesets").json()["rulesets"]]
    assert listed == ["perpres-25-2021", kla.load_ruleset(path).id]
    refused = call(app, "GET", "/rulesets/desa-kelurahan")
    assert refused.status_code == 404


def test_the_json_example_is_the_yaml_example(example: kla.Submission) -> None:
    """examples/kota-tangerang-2025.json is for curl and fetch; it must not drift."""
    from_yaml = parse_yaml(EXAMPLE.read_text("utf-8"), str(EXAMPLE), kla.SubmissionError)
    assert example_data() == from_yaml
    assert kla.load_submission(ROOT / "examples" / "kota-tangerang-2025.json") == example
