"""Rulesets in time: the rounds each ruleset applies to, and the older 31-indicator list."""

from __future__ import annotations

import math
import re
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kla_model as kla
from kla_model.rules.point_rules import ReferenceRule

OLD = kla.load_ruleset("permen-pppa-12-2011")
NEW = kla.load_ruleset("perpres-25-2021")
TAG = re.compile(r"\[(C|S|R|P)[\],]")


@given(st.integers(2011, 2200))
def test_every_round_from_2011_has_exactly_one_ruleset(year: int) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ruleset = kla.ruleset_for(year)
    # kla.md §8a: no round is reported for 2020 or 2024, nor (tier histories) 2014 and 2016.
    assert bool(caught) == (year in (2014, 2016, 2020, 2024))
    assert all(issubclass(w.category, kla.RoundNotHeldWarning) for w in caught)
    assert ruleset.applies_to is not None
    assert year in ruleset.applies_to
    in_force = [
        name
        for name in kla.bundled_rulesets()
        if (window := kla.load_ruleset(name).applies_to) is not None and year in window
    ]
    assert in_force == [ruleset.id]


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2011, OLD.id), (2015, OLD.id), (2017, OLD.id), (2018, NEW.id), (2025, NEW.id)],
)
def test_the_change_of_instrument_falls_between_2017_and_2018(year: int, expected: str) -> None:
    assert kla.ruleset_for(year).id == expected


@given(st.integers(1900, 2010))
def test_a_round_before_any_ruleset_is_refused(year: int) -> None:
    with pytest.raises(kla.RoundNotCoveredError) as raised:
        kla.ruleset_for(year)
    message = str(raised.value)
    assert message.startswith(f"round {year}: expected a round that a ruleset applies to")
    assert "permen-pppa-12-2011 2011-2017, perpres-25-2021 2018-" in message
    assert isinstance(raised.value, LookupError)


def test_a_round_that_is_not_a_year() -> None:
    with pytest.raises(kla.RoundNotCoveredError) as raised:
        kla.ruleset_for("2019")  # type: ignore[arg-type]
    assert "expected an evaluation round as a year (an integer); found '2019'" in str(raised.value)


def test_two_rulesets_for_one_round_are_ambiguous() -> None:
    with pytest.raises(kla.RoundNotCoveredError) as raised:
        kla.ruleset_for(2019, [NEW, NEW])
    assert "round 2019: expected exactly one ruleset in force; 2 apply" in str(raised.value)


def test_the_choice_can_be_among_given_rulesets() -> None:
    with pytest.warns(kla.RoundNotHeldWarning, match=r"round 2016: no KLA evaluation round"):
        assert kla.ruleset_for(2016, [OLD]) is OLD
    with pytest.raises(kla.RoundNotCoveredError) as raised:
        kla.ruleset_for(2016, [kla.load_ruleset("desa-kelurahan")])
    assert "none declares its rounds" in str(raised.value)


@given(st.sets(st.integers(2018, 2030), min_size=1, max_size=5))
def test_a_tables_rounds_of_one_ruleset_choose_it(rounds: set[int]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kla.RoundNotHeldWarning)
        assert kla.ruleset_for_rounds(rounds) is NEW
        assert kla.ruleset_for_rounds([*rounds, *rounds], [OLD, NEW]) is NEW


def test_a_tables_rounds_of_two_rulesets_are_refused_naming_each() -> None:
    with pytest.raises(kla.MixedRoundsError) as raised:
        kla.ruleset_for_rounds({2019, 2013, 2017})
    assert str(raised.value) == (
        "expected rounds of one ruleset; found 2013: permen-pppa-12-2011, "
        "2017: permen-pppa-12-2011, 2019: perpres-25-2021"
    )
    assert dict(raised.value.in_force) == {2013: OLD, 2017: OLD, 2019: NEW}
    assert isinstance(raised.value, kla.RoundNotCoveredError)


def test_a_table_without_rounds_or_with_an_uncovered_one_is_refused() -> None:
    with pytest.raises(kla.NoRoundError) as none:
        kla.ruleset_for_rounds(set())
    assert str(none.value) == "expected a row with a year to choose a ruleset by; found none"
    with pytest.raises(kla.RoundNotCoveredError) as raised:
        kla.ruleset_for_rounds({2019, 2005, 2001})
    # the first uncovered round, in order, as ruleset_for words it
    assert str(raised.value).startswith("round 2001: expected a round that a ruleset applies to")
    assert not isinstance(raised.value, (kla.NoRoundError, kla.MixedRoundsError))


def test_the_old_list_has_31_indicators_in_the_published_groups() -> None:
    """Domain notes §3: 7 institutional + 3 + 3 + 9 + 5 + 4."""
    assert [len(group.indicators) for group in OLD.groups] == [7, 3, 3, 9, 5, 4]
    assert [group.id for group in OLD.groups] == [group.id for group in NEW.groups]
    assert [ind.number for ind in OLD.indicators.values()] == list(range(1, 32))
    assert OLD.status == "provisional"
    assert OLD.applies_to == kla.RoundWindow(2011, 2017)
    assert OLD.max_score == 1000


def test_the_old_list_adds_up() -> None:
    assert math.fsum(group.max for group in OLD.groups) == OLD.max_score
    for group in OLD.groups:
        assert math.fsum(ind.max for ind in group.indicators) == group.max
        for indicator in group.indicators:
            assert math.fsum(item.max for item in indicator.items) == indicator.max


def test_the_old_list_says_where_its_numbers_come_from() -> None:
    assert "NOT official" in OLD.source
    assert "reconstruction" in OLD.source
    for indicator in OLD.indicators.values():
        assert TAG.search(indicator.source), indicator.id
        assert "[P]" in indicator.source, indicator.id
    for series in OLD.references:
        assert "NOT" in series.source
        assert "official" in series.source
        assert all("unverified" in (point.source or "") for point in series.points)


def test_the_old_list_is_bilingual_and_asks_for_evidence() -> None:
    for indicator in OLD.indicators.values():
        assert indicator.label.id != indicator.label.en
    for item in OLD.items.values():
        assert item.label.id
        assert item.label.en
        assert item.evidence is not None
        assert item.evidence.required


def test_old_and_new_ids_never_collide() -> None:
    """An old submission can never be read silently as a new one."""
    assert set(OLD.indicators).isdisjoint(NEW.indicators)
    assert set(OLD.items).isdisjoint(NEW.items)


def test_the_old_lower_is_better_rates_compare_with_dated_series() -> None:
    infant = OLD.items["P12.14.1"].rule
    underweight = OLD.items["P12.15.1"].rule
    assert isinstance(infant, ReferenceRule)
    assert isinstance(underweight, ReferenceRule)
    assert (infant.series.id, infant.unit, infant.direction) == (
        "infant-mortality",
        "number",
        "lower_is_better",
    )
    assert (underweight.series.id, underweight.direction) == ("underweight", "lower_is_better")
    assert OLD.indicators["P12.14"].type == OLD.indicators["P12.15"].type == "rate"
