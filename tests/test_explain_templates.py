"""The sentence templates: one for every rule kind and trace outcome, in both languages."""

from __future__ import annotations

import re

import pytest

from kla_model.analysis.explain_templates import (
    FORMS,
    ITEM_TEMPLATES,
    MISSING,
    READINGS,
    SHORTS,
)
from kla_model.rules.point_rules import RULE_KINDS
from kla_model.scoring.results import OUTCOMES

FIELD = re.compile(r"{(\w+)}")


@pytest.mark.parametrize("kind", RULE_KINDS)
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_rule_kind_and_outcome_has_a_template_in_both_languages(
    kind: str, outcome: str
) -> None:
    template = ITEM_TEMPLATES.get((kind, outcome))
    assert template is not None, f"no sentence for a {kind} item with outcome {outcome!r}"
    assert template.text.id != template.text.en
    # The two languages fill in the same facts.
    assert set(FIELD.findall(template.text.id)) == set(FIELD.findall(template.text.en))
    if template.short is not None:
        assert "{status}" in template.text.en
        assert set(FIELD.findall(template.short.id)) == set(FIELD.findall(template.short.en))


def test_no_template_for_an_unknown_kind_or_outcome() -> None:
    assert set(ITEM_TEMPLATES) <= {(k, o) for k in RULE_KINDS for o in OUTCOMES}


def test_every_rule_kind_has_a_reading_a_clause_and_a_missing_sentence() -> None:
    assert set(READINGS) == set(SHORTS) == set(MISSING) == set(RULE_KINDS)
    assert set(FORMS) | {"missing"} == set(OUTCOMES)


def test_a_template_is_its_kind_reading_in_its_outcome_form() -> None:
    template = ITEM_TEMPLATES[("bands", "scored")]
    assert (
        template.text.en
        == "{ref}: {value} is in the band {band}, {points} of {max} points{status}."
    )
    assert template.short is not None
    assert template.short.id == "; dengan {reach}: {next_points} poin"
    unverified = ITEM_TEMPLATES[("levels", "unverified")]
    assert unverified.short is None
    assert unverified.text.en.startswith("{ref}: level {level}, which would give {would} of {max}")


@pytest.mark.parametrize("kind", RULE_KINDS)
def test_no_placeholder_is_left_unfilled_by_composition(kind: str) -> None:
    for outcome in OUTCOMES:
        template = ITEM_TEMPLATES[(kind, outcome)]
        assert "<read>" not in template.text.en + template.text.id
        assert "<short>" not in str(template.short)
