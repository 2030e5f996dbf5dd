"""The window a rule file declares, read from its events: equal to the built ruleset's, or
refused for a file not written plainly.

``ruleset_for`` reads each bundled file's window this way instead of building every bundled
ruleset; these tests hold what it reads to the full load.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import kla_model as kla
from kla_model.rules import ruleset as ruleset_module
from kla_model.rules.declared_window import declared_window
from kla_model.rules.ruleset import _bundled_dir


@pytest.mark.parametrize("name", kla.bundled_rulesets())
def test_every_bundled_file_declares_the_window_it_is_built_with(name: str) -> None:
    text = _bundled_dir().joinpath(f"{name}.yaml").read_text("utf-8")
    window = kla.load_ruleset(name).applies_to
    expected = None if window is None else (window.first, window.last)
    assert declared_window(text) == expected


def test_the_bundled_files_are_read_plainly() -> None:
    """The hint is read, not given up on: 2011-2017, 2018- and none (the village ruleset)."""
    windows = {
        name: declared_window(_bundled_dir().joinpath(f"{name}.yaml").read_text("utf-8"))
        for name in kla.bundled_rulesets()
    }
    assert windows == {
        "desa-kelurahan": None,
        "permen-pppa-12-2011": (2011, 2017),
        "perpres-25-2021": (2018, None),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: x\napplies_to: {from: 2018}\n", (2018, None)),
        ("id: x\napplies_to:\n  to: 2017\n  from: 2011\ngroups: []\n", (2011, 2017)),
        ("groups: [{a: [1, {b: 2}]}]\nnotes: {applies_to: {from: 1}}\n", None),
        ("{}", None),
    ],
)
def test_windows_written_plainly_are_read(text: str, expected: object) -> None:
    assert declared_window(text) == expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # an overlay inherits its parent's window
        ("extends: perpres-25-2021\nid: mine\n", "an overlay (extends:)"),
        # a quoted year is text: the full check says so
        ("id: x\napplies_to: {from: '2018'}\n", "a key or year of applies_to"),
        ("id: x\napplies_to: {from: !!int 2018}\n", "a key or year of applies_to"),
        ("id: x\napplies_to: !!map {from: 2018}\n", "another form of applies_to"),
        ("id: x\napplies_to: {from: 2018, from: 2019}\n", "a key or year of applies_to"),
        ("id: x\napplies_to: {from: 2018, until: 2019}\n", "the keys from, until"),
        ("id: x\napplies_to: {to: 2019}\n", "the keys to"),
        ("id: x\napplies_to: {from: 02018}\n", "a key or year of applies_to"),
        ("id: x\napplies_to: {from: 2_018}\n", "a key or year of applies_to"),
        ("id: x\napplies_to: {from: &y 2018, to: *y}\n", "a key or year of applies_to"),
        ("id: x\napplies_to: 2018\n", "another form of applies_to"),
        ("id: x\n!!str applies_to: {from: 2018}\n", "a top-level key written in another form"),
        ("? [a]\n: 1\napplies_to: {from: 2018}\n", "a top-level key written in another form"),
        ("- applies_to: {from: 2018}\n", "a file that is not one mapping"),
        ("id: [unclosed\napplies_to: {from: 2018}\n", "text that is not YAML"),
        ("", "a file that is not one mapping"),
    ],
)
def test_anything_but_a_plain_window_is_refused_saying_what_was_found(
    text: str, found: str
) -> None:
    with pytest.raises(ValueError, match=r"^expected applies_to: \{from: YEAR\}") as raised:
        declared_window(text)
    assert f"; found {found}" in str(raised.value)


def test_a_bundled_file_not_written_plainly_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Choosing the ruleset for a round never guesses at a bundled file's rounds."""
    monkeypatch.setattr(ruleset_module, "bundled_rulesets", lambda: ("odd",))
    monkeypatch.setattr(ruleset_module, "_bundled_dir", _OddFolder)
    ruleset_module._bundled_window.cache_clear()
    try:
        with pytest.raises(kla.RuleSetError) as raised:
            kla.ruleset_for(2025)
    finally:
        ruleset_module._bundled_window.cache_clear()
    (problem,) = raised.value.problems
    assert problem.location == "rules/odd.yaml: $.applies_to"
    assert problem.message.endswith(
        "; found an overlay (extends:), whose parent's window only a load reads"
    )


class _OddFolder:
    """A bundled folder holding one overlay."""

    def joinpath(self, name: str) -> Any:
        return _OddFile()


class _OddFile:
    def read_text(self, encoding: str) -> str:
        return "extends: perpres-25-2021\nid: odd\n"


#: Text with what YAML treats specially (quotes, brackets, colons, comments, numbers).
_text = st.text("az _:-#'\"{}[],.&*!|>019", max_size=10)
_scalars = st.one_of(st.integers(-5, 3000), _text, st.booleans(), st.none())
_data = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=12,
)


@given(
    other=st.dictionaries(
        _text.filter(lambda key: key not in ("applies_to", "extends")),
        _data,
        max_size=4,
    ),
    window=st.none()
    | st.fixed_dictionaries({"from": st.integers(1, 9999)}, optional={"to": st.integers(1, 9999)}),
    flow=st.sampled_from([None, True, False]),
)
def test_the_hint_never_contradicts_the_parsed_file(
    other: dict[str, Any], window: dict[str, int] | None, flow: bool | None
) -> None:
    data = dict(other)
    if window is not None:
        data["applies_to"] = window
    text = yaml.safe_dump(data, default_flow_style=flow, sort_keys=False, allow_unicode=True)
    assert yaml.safe_load(text) == data
    expected = None if window is None else (window["from"], window.get("to"))
    assert declared_window(text) == expected  # a window a YAML emitter writes is always read


def test_the_round_in_force_builds_only_its_ruleset(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    load_bundled = ruleset_module._load_bundled

    def recording(name: str) -> kla.RuleSet:
        built.append(name)
        return load_bundled(name)

    monkeypatch.setattr(ruleset_module, "_load_bundled", recording)
    assert kla.ruleset_for(2025).id == "perpres-25-2021"
    assert kla.ruleset_for(2015).id == "permen-pppa-12-2011"
    assert built == ["perpres-25-2021", "permen-pppa-12-2011"]
