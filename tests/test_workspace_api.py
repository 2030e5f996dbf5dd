"""The workspace over HTTP (``/workspaces``), in-process, on both stores: links and rights,
versions and conflicts, history, export, restore, the live views and the limits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

import kla_model as kla
from kla_model.serve import ServiceConfig, create_app
from kla_model.workspace import open_store
from kla_model.workspace.desk import utc_now
from serve_client import call
from workspace_stores import (
    empty_submission,
    example_assignment,
    example_submission,
    store_where,
)

__all__ = ["store_where"]  # the fixture, imported for pytest

RULESET = "perpres-25-2021"


def make_app(where: str, **limits: int) -> Starlette:
    config = ServiceConfig(rulesets=(RULESET,), store=where, workspace_limits=limits)
    return create_app(config=config)


class Workspace:
    """A workspace made through the API, with its coordinator's token."""

    def __init__(self, app: Starlette, submission: dict[str, Any] | None = None) -> None:
        self.app = app
        body = {
            "submission": submission or example_submission(),
            "assignment": example_assignment(),
        }
        response = call(app, "POST", "/workspaces", json=body)
        assert response.status_code == 201, response.text
        self.created = response.json()
        self.id: str = self.created["workspace"]["id"]
        self.token: str = self.created["link"]["token"]

    def request(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token or self.token}", **kwargs.pop("headers", {})}
        return call(self.app, method, f"/workspaces/{self.id}{path}", headers=headers, **kwargs)

    def read(self, token: str | None = None) -> dict[str, Any]:
        response = self.request("GET", "", token)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def agency(self, agency: str) -> str:
        response = self.request("POST", "/links", json={"agency": agency})
        assert response.status_code == 201, response.text
        token: str = response.json()["token"]
        return token

    def change(
        self, base: int, *changes: tuple[str, str, Any], token: str | None = None
    ) -> httpx.Response:
        body = {"base": base, "changes": [{"kind": k, "id": i, "value": v} for k, i, v in changes]}
        return self.request("POST", "/changes", token, json=body)


def measured(value: float, year: int = 2024) -> dict[str, Any]:
    return {"value": value, "data_year": year}


@pytest.fixture
def app(store_where: str) -> Starlette:
    return make_app(store_where)


def test_creating_answers_the_coordinators_link_and_the_workspace(app: Starlette) -> None:
    ws = Workspace(app)
    link = ws.created["link"]
    assert link["role"] == "coordinator"
    assert len(ws.token) == 43
    assert link["link"] == f"/#workspace={ws.id}&token={ws.token}"
    view = ws.read()
    assert view["you"]["role"] == "coordinator"
    assert view["you"]["items"] == list(kla.load_ruleset(RULESET).items)
    # The log holds the assignment, every answered item and every piece of evidence.
    data = example_submission()
    answered = sum(
        len(a["items"]) if isinstance(a, dict) and "items" in a else 1
        for a in data["answers"].values()
    )
    assert view["version"] == 1 + answered + len(data["evidence"])
    exported = view["submission"]
    assert exported["answers"] == data["answers"]
    assert sorted(exported["evidence"], key=lambda p: p["id"]) == sorted(
        data["evidence"], key=lambda p: p["id"]
    )
    assert (exported["region"], exported["year"]) == (data["region"], data["year"])


def test_the_store_keeps_only_the_hash_of_a_token(store_where: str) -> None:
    ws = Workspace(make_app(store_where))
    store = open_store(store_where, utc_now())
    with store.backend.transaction(write=False) as tx:
        rows = tx.rows("SELECT id, token_sha256 FROM kla_links")
    assert ws.token not in json.dumps(rows)
    import hashlib  # noqa: PLC0415

    assert rows[0][1] == hashlib.sha256(ws.token.encode()).hexdigest()


def test_an_agency_changes_its_own_items_and_is_refused_the_others(app: Starlette) -> None:
    ws = Workspace(app)
    dinkes = ws.agency("dinkes")
    view = ws.read(dinkes)
    assert view["you"]["agency"] == "dinkes"
    assert "III.1.1" in view["you"]["items"] and "K.1.1" not in view["you"]["items"]
    refused = ws.change(view["version"], ("item", "K.1.1", False), token=dinkes)
    assert refused.status_code == 403
    message = refused.json()["problems"][0]["message"]
    assert "tautan dinkes tidak boleh mengubah K.1.1" in message
    assert "the dinkes link may not change K.1.1 (assigned to: hukum, dp3ap2kb)" in message
    done = ws.change(view["version"], ("item", "III.1.1", measured(91.5)), token=dinkes)
    assert done.status_code == 200, done.text
    (change,) = done.json()["changes"]
    assert change["by"] == {"link": view["you"]["id"], "role": "agency", "agency": "dinkes"}
    assert change["before"] == {"value": 98.6, "data_year": 2023}
    assert change["after"] == measured(91.5)
    assert ws.read()["submission"]["answers"]["III.1"] == measured(91.5)


def test_a_change_to_an_item_changed_since_by_another_link_is_refused_with_its_value(
    app: Starlette,
) -> None:
    ws = Workspace(app)
    dinkes = ws.agency("dinkes")
    base = ws.read()["version"]
    assert ws.change(base, ("item", "III.1.1", measured(80.0)), token=dinkes).status_code == 200
    late = ws.change(base, ("item", "III.1.1", measured(70.0)), ("item", "K.1.1", False))
    assert late.status_code == 409
    body = late.json()
    assert body["version"] == base + 1
    assert body["conflicts"] == [
        {
            "kind": "item",
            "id": "III.1.1",
            "version": base + 1,
            "value": measured(80.0),
            "by": {"link": ws.read(dinkes)["you"]["id"], "role": "agency", "agency": "dinkes"},
        }
    ]
    assert "III.1.1 was changed by dinkes in version" in body["problems"][0]["message"]
    # Nothing of the refused request landed, K.1.1 included.
    assert ws.read()["version"] == base + 1
    assert ws.read()["submission"]["answers"]["K.1"]["items"]["K.1.1"] is True


def test_two_agencies_changing_different_items_on_the_same_version_both_land(
    app: Starlette,
) -> None:
    ws = Workspace(app)
    dinkes, dindik = ws.agency("dinkes"), ws.agency("dindik")
    base = ws.read()["version"]
    assert ws.change(base, ("item", "III.1.1", measured(81.0)), token=dinkes).status_code == 200
    assert ws.change(base, ("item", "IV.1.1", measured(82.0)), token=dindik).status_code == 200
    answers = ws.read()["submission"]["answers"]
    assert answers["III.1"] == measured(81.0)
    assert answers["IV.1"] == measured(82.0)


def test_a_links_own_later_changes_do_not_conflict_with_it(app: Starlette) -> None:
    ws = Workspace(app)
    base = ws.read()["version"]
    for value in (10.0, 20.0, 30.0):  # queued offline edits, all made on one version
        assert ws.change(base, ("item", "I.1.1", measured(value))).status_code == 200
    assert ws.read()["submission"]["answers"]["I.1"] == measured(30.0)


def test_an_invalid_value_is_refused_and_nothing_of_the_request_lands(app: Starlette) -> None:
    ws = Workspace(app)
    base = ws.read()["version"]
    response = ws.change(base, ("item", "K.1.1", False), ("item", "K.1.2", "bogus"))
    assert response.status_code == 422
    assert any(
        "expected one of the levels none, perkada, perda; found 'bogus'" in p["message"]
        for p in response.json()["problems"]
    )
    unknown = ws.change(base, ("item", "Z.9.9", True))
    assert unknown.status_code == 422
    assert unknown.json()["problems"][0]["message"] == "no item 'Z.9.9' in ruleset perpres-25-2021"
    assert ws.read()["version"] == base


def test_a_request_without_a_valid_live_token_is_refused_401(app: Starlette) -> None:
    ws = Workspace(app)
    none = call(app, "GET", f"/workspaces/{ws.id}")
    assert none.status_code == 401
    assert none.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer <token>" in none.json()["problems"][0]["message"]
    wrong = ws.request("GET", "", token="x" * 43)
    assert wrong.status_code == 401
    assert "this token is not a link of this workspace" in wrong.json()["problems"][0]["message"]
    dinkes = ws.agency("dinkes")
    link_id = ws.read(dinkes)["you"]["id"]
    revoked = ws.request("DELETE", f"/links/{link_id}")
    assert revoked.status_code == 200 and revoked.json()["revoked"] is not None
    after = ws.request("GET", "", token=dinkes)
    assert after.status_code == 401
    assert "this link was revoked at" in after.json()["problems"][0]["message"]
    other = Workspace(app)
    assert ws.request("GET", "", token=other.token).status_code == 401  # tokens are per workspace


def test_only_the_coordinator_issues_lists_and_revokes_links_restores_and_reassigns(
    app: Starlette,
) -> None:
    ws = Workspace(app)
    dinkes = ws.agency("dinkes")
    base = ws.read()["version"]
    attempts = [
        ws.request("GET", "/links", dinkes),
        ws.request("POST", "/links", dinkes, json={"agency": "dindik"}),
        ws.request("DELETE", f"/links/{ws.created['link']['id']}", dinkes),
        ws.request("POST", "/restore", dinkes, json={"base": base, "version": 1}),
        ws.request(
            "PUT", "/assignment", dinkes, json={"base": base, "assignment": example_assignment()}
        ),
    ]
    for response in attempts:
        assert response.status_code == 403, response.text
        assert response.json()["problems"][0]["message"].startswith("hanya koordinator yang boleh")
    listed = ws.request("GET", "/links").json()["links"]
    assert [(x["role"], x["agency"]) for x in listed] == [
        ("coordinator", None),
        ("agency", "dinkes"),
    ]
    assert all("token" not in x for x in listed)


def test_an_unknown_agency_gets_no_link_and_the_last_coordinator_link_stays(app: Starlette) -> None:
    ws = Workspace(app)
    unknown = ws.request("POST", "/links", json={"agency": "nobody"})
    assert unknown.status_code == 422
    assert "expected an agency of the assignment" in unknown.json()["problems"][0]["message"]
    last = ws.request("DELETE", f"/links/{ws.created['link']['id']}")
    assert last.status_code == 409
    assert "the last coordinator link cannot be revoked" in last.json()["problems"][0]["message"]
    second = ws.request("POST", "/links", json={"role": "coordinator"})
    assert second.status_code == 201
    assert (
        ws.request(
            "DELETE", f"/links/{ws.created['link']['id']}", second.json()["token"]
        ).status_code
        == 200
    )


def test_reassigning_an_item_moves_the_right_to_change_it(app: Starlette) -> None:
    ws = Workspace(app)
    dinkes = ws.agency("dinkes")
    assignment = example_assignment()
    for owner in assignment["owners"]:
        if owner["id"] == "III.1":
            owner["lead"] = "dinsos"
    base = ws.read()["version"]
    moved = ws.request("PUT", "/assignment", json={"base": base, "assignment": assignment})
    assert moved.status_code == 200, moved.text
    assert moved.json()["changes"][0]["kind"] == "assignment"
    assert "III.1.1" not in ws.read(dinkes)["you"]["items"]
    assert ws.change(base + 1, ("item", "III.1.1", measured(1.0)), token=dinkes).status_code == 403
    bad = ws.request(
        "PUT", "/assignment", json={"base": base + 1, "assignment": {"status": "adopted"}}
    )
    assert bad.status_code == 422


def test_evidence_may_be_changed_by_the_agencies_of_the_items_it_supports(app: Starlette) -> None:
    ws = Workspace(app)
    dinkes = ws.agency("dinkes")
    base = ws.read()["version"]
    piece = {
        "kind": "dataset",
        "title": "Profil Kesehatan 2023'; DROP TABLE kla_changes; --",
        "number": "440/12/2024",
        "issued": "2024-03-01",
        "agency": "Dinas Kesehatan",
        "indicator": "III.1",
    }
    added = ws.change(base, ("evidence", "ev-iii1-profil", piece), token=dinkes)
    assert added.status_code == 200, added.text
    evidence = {p["id"]: p for p in ws.read()["submission"]["evidence"]}
    assert evidence["ev-iii1-profil"] == {"id": "ev-iii1-profil", **piece}
    elsewhere = ws.change(
        base + 1, ("evidence", "ev-k1", {**piece, "indicator": "K.1"}), token=dinkes
    )
    assert elsewhere.status_code == 403
    assert (
        "the dinkes link may not change evidence ev-k1"
        in elsewhere.json()["problems"][0]["message"]
    )
    foreign = ws.change(base + 1, ("evidence", "ev-k1-perda-kla", None), token=dinkes)
    assert foreign.status_code == 403
    unknown = ws.change(base + 1, ("evidence", "ev-x", {**piece, "indicator": "Z.9"}))
    assert unknown.status_code == 422  # the coordinator may; the ruleset has no Z.9
    assert any("Z.9" in p["message"] for p in unknown.json()["problems"])
    removed = ws.change(base + 1, ("evidence", "ev-iii1-profil", None), token=dinkes)
    assert removed.status_code == 200
    assert "ev-iii1-profil" not in {p["id"] for p in ws.read()["submission"]["evidence"]}


def test_verification_records_are_refused_when_creating(app: Starlette) -> None:
    data = example_submission()
    data["verification"] = [
        {
            "stage": "administrative",
            "action": "accept",
            "evidence": "ev-k1-perda-kla",
            "verifier": "X",
            "reason": "ok",
        }
    ]
    response = call(
        app, "POST", "/workspaces", json={"submission": data, "assignment": example_assignment()}
    )
    assert response.status_code == 422
    assert "expected no verification records" in response.json()["problems"][0]["message"]


def test_the_exported_submission_is_what_kla_score_reads(app: Starlette, tmp_path: Path) -> None:
    ws = Workspace(app)
    base = ws.read()["version"]
    assert (
        ws.change(
            base, ("item", "K.1.2", "perkada"), ("item", "III.1.1", measured(55.0))
        ).status_code
        == 200
    )
    card = ws.request("GET", "/score").json()
    for form in ("yaml", "json"):
        exported = ws.request("GET", f"/submission?format={form}")
        assert exported.status_code == 200
        path = tmp_path / f"exported.{form}"
        path.write_text(exported.text, encoding="utf-8")
        scored = subprocess.run(
            [sys.executable, "-m", "kla_model", "score", str(path), "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert scored.returncode == 0, scored.stderr
        assert json.loads(scored.stdout)["total"] == card["total"]
    assert (
        'filename="36.71-2025.yaml"'
        in ws.request("GET", "/submission?format=yaml").headers["content-disposition"]
    )


def test_the_live_views_equal_the_stateless_endpoints_on_the_exported_submission(
    app: Starlette,
) -> None:
    ws = Workspace(app)
    base = ws.read()["version"]
    assert ws.change(base, ("item", "V.4.1", measured(20.0))).status_code == 200
    submission = ws.request("GET", "/submission").json()
    for stage in ("self_assessment", "final"):
        live = ws.request("GET", f"/score?stage={stage}").json()
        assert live == call(app, "POST", f"/score?stage={stage}", json=submission).json()
    plan = ws.request("GET", "/plan?target=utama").json()
    assert plan == call(app, "POST", "/plan?target=utama", json={"submission": submission}).json()
    tasks = ws.request("GET", "/tasks").json()
    body = {"submission": submission, "assignment": example_assignment()}
    assert tasks == call(app, "POST", "/tasks", json=body).json()


def test_history_pages_and_exports(app: Starlette) -> None:
    ws = Workspace(app, empty_submission())
    assert ws.read()["version"] == 1  # the assignment
    for index in range(3):
        assert (
            ws.change(ws.read()["version"], ("item", "I.1.1", measured(float(index)))).status_code
            == 200
        )
    page = ws.request("GET", "/history?after=1&limit=2").json()
    assert page["version"] == 4
    assert [c["seq"] for c in page["changes"]] == [2, 3]
    assert [c["after"] for c in page["changes"]] == [measured(0.0), measured(1.0)]
    assert page["changes"][1]["before"] == measured(0.0)
    lines = ws.request("GET", "/history.jsonl").text.splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2, 3, 4]
    csv_text = ws.request("GET", "/history.csv").text.splitlines()
    assert csv_text[0] == "seq,at,link,role,agency,kind,id,before,after,restore"
    assert csv_text[-1].endswith(
        ',item,I.1.1,"{""data_year"": 2024, ""value"": 1.0}","{""data_year"": 2024, ""value"": 2.0}",'
    )
    bad = ws.request("GET", "/history?limit=0")
    assert bad.status_code == 422
    assert (
        bad.json()["problems"][0]["message"] == "expected a whole number from 1 to 5000; found '0'"
    )


def test_restoring_an_earlier_version_appends_changes_back_to_it(app: Starlette) -> None:
    ws = Workspace(app)
    then = ws.read()["version"]
    before = ws.request("GET", "/submission").json()
    assert ws.change(then, ("item", "K.1.1", False), ("item", "I.1.1", None)).status_code == 200
    piece = {
        "kind": "photo",
        "title": "Foto",
        "number": "1",
        "issued": "2024-01-01",
        "agency": "X",
        "indicator": "K.2",
    }
    assert ws.change(then + 2, ("evidence", "ev-new", piece)).status_code == 200
    assert ws.request("GET", "/submission").json() != before
    restored = ws.request("POST", "/restore", json={"base": then + 3, "version": then})
    assert restored.status_code == 200, restored.text
    assert {c["restore"] for c in restored.json()["changes"]} == {then}
    assert len(restored.json()["changes"]) == 3
    assert ws.request("GET", "/submission").json() == before
    assert ws.request("GET", f"/submission?version={then}").json() == before
    history = ws.request("GET", "/history?limit=5000").json()["changes"]
    assert len(history) == then + 6  # nothing dropped: the old changes and the restoring ones
    missing = ws.request("GET", f"/submission?version={then + 100}")
    assert missing.status_code == 422
    assert f"expected a version from 1 to {then + 6}" in missing.json()["problems"][0]["message"]


def test_a_link_making_too_many_changes_a_minute_is_refused_429(store_where: str) -> None:
    ws = Workspace(make_app(store_where, changes_per_minute=3))
    base = ws.read()["version"]
    assert (
        ws.change(
            base, ("item", "I.1.1", measured(1.0)), ("item", "III.1.1", measured(2.0))
        ).status_code
        == 200
    )
    assert ws.change(base, ("item", "IV.1.1", measured(3.0))).status_code == 200
    refused = ws.change(base, ("item", "V.1.1", measured(4.0)))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "at most 3 a minute" in refused.json()["problems"][0]["message"]
    assert "paling banyak 3 per menit" in refused.json()["problems"][0]["message"]


def test_bodies_too_large_or_not_json_are_refused(store_where: str) -> None:
    app = make_app(store_where, max_body=5000)
    large = call(
        app, "POST", "/workspaces", json={"submission": example_submission(), "assignment": {}}
    )
    assert large.status_code == 413
    assert (
        large.json()["problems"][0]["message"] == "the body is larger than the limit of 5,000 bytes"
    )
    form = call(
        app,
        "POST",
        "/workspaces",
        content=b"a=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 415
    assert (
        form.json()["problems"][0]["message"]
        == "expected application/json; found application/x-www-form-urlencoded"
    )


def test_a_full_store_and_a_full_history_are_refused_507(store_where: str) -> None:
    app = make_app(store_where, max_workspaces=1, max_history=3)
    ws = Workspace(app, empty_submission())
    second = call(
        app,
        "POST",
        "/workspaces",
        json={"submission": empty_submission(), "assignment": example_assignment()},
    )
    assert second.status_code == 507
    assert "the store holds 1 workspaces, its limit is 1" in second.json()["problems"][0]["message"]
    assert (
        ws.change(
            1, ("item", "I.1.1", measured(1.0)), ("item", "III.1.1", measured(1.0))
        ).status_code
        == 200
    )
    full = ws.change(3, ("item", "IV.1.1", measured(1.0)))
    assert full.status_code == 507
    assert (
        "this workspace's history has 3 changes, its limit is 3"
        in full.json()["problems"][0]["message"]
    )


def test_a_request_can_name_no_file_or_table(app: Starlette) -> None:
    ws = Workspace(app)
    for path in (
        "/workspaces/..%2F..%2Fetc%2Fpasswd",
        "/workspaces/kla_changes;DROP",
        "/workspaces/x'--",
    ):
        response = call(app, "GET", path, headers={"Authorization": f"Bearer {ws.token}"})
        assert response.status_code == 404, path
    injected = ws.change(ws.read()["version"], ("item", "K.1.1' OR '1'='1", True))
    assert injected.status_code == 422
    assert ws.read()["version"] == ws.created["workspace"]["version"]


def test_without_a_store_the_service_has_no_workspaces() -> None:
    app = create_app(config=ServiceConfig(rulesets=(RULESET,)))
    response = call(app, "POST", "/workspaces", json={})
    assert response.status_code == 404
    assert not any(
        path.startswith("/workspaces") for path in call(app, "GET", "/openapi.json").json()["paths"]
    )


def test_the_openapi_document_has_every_workspace_operation_with_closed_bodies(
    app: Starlette,
) -> None:
    document = call(app, "GET", "/openapi.json").json()
    paths = {
        path: set(ops) for path, ops in document["paths"].items() if path.startswith("/workspaces")
    }
    assert paths == {
        "/workspaces": {"post"},
        "/workspaces/{workspace}": {"get"},
        "/workspaces/{workspace}/changes": {"post"},
        "/workspaces/{workspace}/history": {"get"},
        "/workspaces/{workspace}/history.csv": {"get"},
        "/workspaces/{workspace}/history.jsonl": {"get"},
        "/workspaces/{workspace}/submission": {"get"},
        "/workspaces/{workspace}/restore": {"post"},
        "/workspaces/{workspace}/score": {"get"},
        "/workspaces/{workspace}/plan": {"get"},
        "/workspaces/{workspace}/tasks": {"get"},
        "/workspaces/{workspace}/assignment": {"put"},
        "/workspaces/{workspace}/links": {"get", "post"},
        "/workspaces/{workspace}/links/{link}": {"delete"},
    }
    for path, ops in document["paths"].items():
        for op in ops.values():
            body = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            if path.startswith("/workspaces") and body is not None:
                variants = body.get("oneOf", [body])
                assert all(v["additionalProperties"] is False for v in variants), path
    for name, component in document["components"]["schemas"].items():
        if name.startswith("ws-"):
            assert component["additionalProperties"] is False, name


def test_kla_serve_passes_only_the_limits_given_and_shows_the_defaults_of_limits() -> None:
    import argparse  # noqa: PLC0415

    from kla_model.cli import serve as command  # noqa: PLC0415
    from kla_model.workspace import Limits  # noqa: PLC0415

    parser = argparse.ArgumentParser()
    command.add(parser.add_subparsers())
    argv = ["serve", "--store", "x.sqlite3", "--max-history", "50", "--max-workspace-body", "900"]
    args = parser.parse_args(argv)
    assert command._limits(args) == {"max_history": 50, "max_body": 900}
    defaults = Limits()
    shown = {option: default for option, default, _ in command._WORKSPACE_LIMITS}
    assert shown == {
        "max-workspaces": defaults.max_workspaces,
        "max-history": defaults.max_history,
        "changes-per-minute": defaults.changes_per_minute,
        "max-workspace-body": defaults.max_body,
    }
    assert Limits(**command._limits(args)).max_history == 50
