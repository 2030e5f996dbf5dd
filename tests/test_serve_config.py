"""The service's configuration: through the environment to workers, and the rulesets it loads."""

from __future__ import annotations

import pytest

from kla_model.errors import KlaError
from kla_model.serve.app import app_from_env
from kla_model.serve.config import ENVIRONMENT, Rulesets, ServiceConfig
from serve_client import call


def test_a_configuration_travels_through_the_environment() -> None:
    config = ServiceConfig(
        rulesets=("perpres-25-2021", "rules/x.yaml"), max_body=10, max_batch_body=20
    )
    assert ServiceConfig.from_environment(config.to_environment()) == config


def test_no_configuration_in_the_environment_is_the_default() -> None:
    assert ServiceConfig.from_environment({}) == ServiceConfig()


@pytest.mark.parametrize(
    "text", ["not json", "{}", '{"rulesets": 1, "max_body": 1, "max_batch_body": 1}']
)
def test_a_broken_configuration_in_the_environment_is_refused(text: str) -> None:
    with pytest.raises(KlaError, match=f"^{ENVIRONMENT}: expected the service configuration; "):
        ServiceConfig.from_environment({ENVIRONMENT: text})


def test_a_worker_builds_its_app_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    config = ServiceConfig(rulesets=("desa-kelurahan",))
    monkeypatch.setenv(ENVIRONMENT, config.to_environment()[ENVIRONMENT])
    body = call(app_from_env(), "GET", "/rulesets").json()
    assert [entry["id"] for entry in body["rulesets"]] == ["desa-kelurahan"]


def test_no_names_load_every_bundled_ruleset() -> None:
    assert list(Rulesets.load(()).by_id) == [
        "desa-kelurahan",
        "permen-pppa-12-2011",
        "perpres-25-2021",
    ]


def test_a_ruleset_loaded_twice_is_refused() -> None:
    with pytest.raises(KlaError) as refused:
        Rulesets.load(["perpres-25-2021", "perpres-25-2021"])
    assert str(refused.value) == (
        "--ruleset perpres-25-2021: a ruleset with id 'perpres-25-2021' is loaded twice"
    )
