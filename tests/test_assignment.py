"""Assignment files: a task force's agencies and what each owns, read strictly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model.submissions.assignment import ASSIGNMENT_STATUSES
from profiles import examples

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025-agencies.yaml"
TEMPLATE = ROOT / "examples" / "task-force-template-perpres-25-2021.yaml"


def _data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": "adopted",
        "agencies": [
            {"id": "dinkes", "name": "Dinas Kesehatan", "short": "Dinkes"},
            {"id": "dp3a", "name": "Dinas PPPA", "short": "DP3A"},
        ],
        "owners": [
            {"id": "K.1", "lead": "dp3a"},
            {"id": "K.1.4", "lead": "dinkes", "support": ["dp3a"]},
            {"id": "III.1", "lead": "dinkes"},
        ],
    }
    data.update(changes)
    return data


def test_the_example_is_illustrative_and_leaves_only_v3_without_a_lead(
    bundled: kla.RuleSet,
) -> None:
    assignment = kla.load_assignment(EXAMPLE, bundled)
    assert assignment.status == "illustrative"
    assert assignment.coordinator == "dp3ap2kb"
    assert assignment.agency("dp3ap2kb").short == "DP3AP2KB"
    assert len(assignment.agencies) == 14
    assert assignment.unassigned(bundled) == ("V.3.1",)


def test_the_template_is_a_template_and_assigns_every_item(bundled: kla.RuleSet) -> None:
    assignment = kla.load_assignment(TEMPLATE, bundled)
    assert assignment.status == "template"
    assert assignment.unassigned(bundled) == ()
    owners = assignment.owners_of(bundled)
    # The usual division: the health cluster with the health office, education with education.
    assert {owners[item].lead for item in ("III.1.1", "III.2.1", "III.3.1", "III.4.1")} == {
        "dinkes"
    }
    assert {owners[item].lead for item in ("IV.1.1", "IV.2.1", "IV.3.1")} == {"disdik"}


def test_an_item_entry_overrides_its_indicator_entry(bundled: kla.RuleSet) -> None:
    assignment = kla.Assignment.from_mapping(_data(), "a.yaml", bundled)
    owners = assignment.owners_of(bundled)
    assert [owners[item].lead for item in ("K.1.1", "K.1.2", "K.1.3", "K.1.4")] == [
        "dp3a",
        "dp3a",
        "dp3a",
        "dinkes",
    ]
    assert owners["K.1.4"].support == ("dp3a",)
    assert owners["K.1.1"].support == ()
    assert owners["III.1.1"].id == "III.1"  # the entry that decided it
    assert "K.2.1" not in owners
    assert len(assignment.unassigned(bundled)) == len(bundled.items) - 5


def test_every_problem_is_listed_at_once_with_its_location(bundled: kla.RuleSet) -> None:
    data = _data(
        coordinator="dp3",
        agencies=[
            {"id": "dinkes", "name": "Dinas Kesehatan", "short": "Dinkes"},
            {"id": "dp3a", "name": "Dinas PPPA", "short": "DP3A"},
            {"id": "dinkes", "name": "Dinas Kesehatan (lagi)", "short": "Dinkes"},
        ],
        owners=[
            {"id": "K.1", "lead": "dp3a"},
            {"id": "III.9", "lead": "dinkes"},
            {"id": "K.1", "lead": "dinkes"},
            {"id": "III.1", "lead": "dinks", "support": ["dp3a", "bappeda"]},
            {"id": "III.1", "lead": "dinks"},
            {"id": "II.2", "lead": "dp3a", "support": ["dp3a"]},
        ],
    )
    with pytest.raises(kla.AssignmentError) as caught:
        kla.Assignment.from_mapping(data, "tim.yaml", bundled)
    assert str(caught.value).splitlines() == [
        "tim.yaml: 9 problems",
        "  tim.yaml: $.agencies[2].id: duplicate agency id 'dinkes' (first used at "
        "$.agencies[0].id)",
        "  tim.yaml: $.coordinator: unknown agency 'dp3' (did you mean 'dp3a'?); the file's "
        "agencies are dinkes, dp3a",
        "  tim.yaml: $.owners[1].id: unknown indicator or item id 'III.9' (did you mean "
        "'III.6'?) in ruleset perpres-25-2021",
        "  tim.yaml: $.owners[2]: two leads for 'K.1': 'dinkes' here and 'dp3a' at $.owners[0]; "
        "an indicator or item has one lead (list the others under support)",
        "  tim.yaml: $.owners[3].lead: unknown agency 'dinks' (did you mean 'dinkes'?); the "
        "file's agencies are dinkes, dp3a",
        "  tim.yaml: $.owners[3].support[1]: unknown agency 'bappeda'; the file's agencies are "
        "dinkes, dp3a",
        "  tim.yaml: $.owners[4].lead: unknown agency 'dinks' (did you mean 'dinkes'?); the "
        "file's agencies are dinkes, dp3a",
        "  tim.yaml: $.owners[4]: 'III.1' is assigned twice (first at $.owners[3])",
        "  tim.yaml: $.owners[5].support[0]: 'dp3a' leads 'II.2'; an agency leads or supports, "
        "not both",
    ]
    assert isinstance(caught.value, ValueError)
    assert len(caught.value.problems) == 9


def test_without_a_ruleset_only_the_file_itself_is_checked(bundled: kla.RuleSet) -> None:
    data = _data(owners=[{"id": "X.9", "lead": "dinkes"}])
    assignment = kla.Assignment.from_mapping(data, "a.yaml")
    with pytest.raises(kla.AssignmentError, match=r"\$\.owners\[0\]\.id: unknown indicator"):
        assignment.owners_of(bundled)


def test_the_schema_refuses_unknown_fields_and_missing_ones() -> None:
    data = _data(agencies=[{"id": "Dinkes", "name": "Dinas Kesehatan"}], leader="x")
    with pytest.raises(kla.AssignmentError) as caught:
        kla.Assignment.from_mapping(data, "a.yaml")
    assert str(caught.value).splitlines() == [
        "a.yaml: 3 problems",
        "  a.yaml: $: unknown field(s) 'leader'; allowed: agencies, coordinator, note, owners, "
        "source, status",
        "  a.yaml: $.agencies[0]: 'short' is a required property",
        "  a.yaml: $.agencies[0].id: expected text matching ^[a-z0-9][a-z0-9_-]*$; found 'Dinkes'",
    ]


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("- dinkes\n", "utf-8")
    with pytest.raises(kla.AssignmentError, match="expected a mapping; found list"):
        kla.load_assignment(path)


def test_json_files_are_read_as_json_and_duplicate_keys_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(_data()), "utf-8")
    assert kla.load_assignment(path) == kla.Assignment.from_mapping(_data())
    path.write_text('{"status": "adopted", "status": "template"}', "utf-8")
    with pytest.raises(kla.AssignmentError, match="duplicate key 'status'"):
        kla.load_assignment(path)


@st.composite
def assignments(draw: st.DrawFn, ruleset: kla.RuleSet) -> dict[str, Any]:
    """A valid assignment mapping for ``ruleset``: any ids, each listed once."""
    agencies = draw(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=5, unique=True))
    ids = draw(st.lists(st.sampled_from([*ruleset.indicators, *ruleset.items]), unique=True))
    owners = []
    for owner_id in ids:
        lead = draw(st.sampled_from(agencies))
        support = draw(st.lists(st.sampled_from(agencies), unique=True))
        entry: dict[str, Any] = {"id": owner_id, "lead": lead}
        if [s for s in support if s != lead]:
            entry["support"] = [s for s in support if s != lead]
        owners.append(entry)
    return {
        "status": draw(st.sampled_from(ASSIGNMENT_STATUSES)),
        "agencies": [{"id": a, "name": f"Dinas {a}", "short": a.upper()} for a in agencies],
        "owners": owners,
    }


@settings(max_examples=examples(100))
@given(data=st.data())
def test_to_dict_round_trips(data: st.DataObject) -> None:
    """Written out and read back, an assignment is the same assignment."""
    ruleset = kla.load_ruleset("perpres-25-2021")
    mapping = data.draw(assignments(ruleset))
    assignment = kla.Assignment.from_mapping(mapping, "a", ruleset)
    assert assignment.to_dict() == mapping
    assert kla.Assignment.from_mapping(json.loads(json.dumps(assignment.to_dict()))) == assignment


@settings(max_examples=examples(100))
@given(data=st.data())
def test_an_item_is_unassigned_exactly_when_neither_it_nor_its_indicator_is_listed(
    data: st.DataObject,
) -> None:
    ruleset = kla.load_ruleset("perpres-25-2021")
    assignment = kla.Assignment.from_mapping(data.draw(assignments(ruleset)), "a", ruleset)
    listed = {owner.id for owner in assignment.owners}
    expected = tuple(
        item.id
        for indicator in ruleset.indicators.values()
        for item in indicator.items
        if item.id not in listed and indicator.id not in listed
    )
    assert assignment.unassigned(ruleset) == expected
    assert set(assignment.owners_of(ruleset)) | set(expected) == set(ruleset.items)
