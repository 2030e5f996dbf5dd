"""carry_over: a legacy submission's answers carried to the 24 indicators of Perpres 25/2021."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import kla_model as kla
from kla_model.submissions.submission import ItemAnswer
from profiles import examples
from ruleset_answers import answered_items, best, submission, worst

NAME = "permen-pppa-12-2011--perpres-25-2021"
OLD = kla.load_ruleset("permen-pppa-12-2011")
NEW = kla.load_ruleset("perpres-25-2021")
CROSSWALK = kla.load_crosswalk(NAME)
REGION = kla.Region("33.74", "Kota Semarang", "kota", "Jawa Tengah")


def test_a_full_legacy_submission_carries_over() -> None:
    answers = {item.id: best(item, 2017) for item in OLD.items.values()}
    legacy = submission(OLD, answers, REGION, 2017)
    before = legacy.to_dict()
    carried, report = kla.carry_over(legacy, CROSSWALK)
    assert legacy.to_dict() == before
    assert carried.region == REGION
    assert carried.year == 2017
    assert carried.note is not None
    assert "Carried over from permen-pppa-12-2011" in carried.note
    assert kla.check(NEW, carried) == ()
    # Of the 45 old items, 13 have no counterpart; the other 32 carry over, and all score
    # (the helper's numbers carry data year 2017, the round's, inside the new reference series).
    assert {entry.from_item for entry in report.dropped} == {
        "P12.02.1",
        "P12.04.1",
        "P12.05.2",
        "P12.13.1",
        "P12.13.2",
        "P12.14.1",
        "P12.15.1",
        "P12.17.1",
        "P12.18.1",
        "P12.19.1",
        "P12.19.2",
        "P12.20.1",
        "P12.26.1",
    }
    assert report.unscorable == ()
    assert report.unanswered == ("II.3", "III.1", "III.2", "III.4", "V.4")
    assert len(OLD.items) == 45
    assert len(report.carried) == 32
    card = kla.score(NEW, carried)
    assert card.indicators["K.1"].points == 24 + 32 + 10  # K.1.3 is not fed; K.1.4 forum-anak
    assert card.indicators["I.1"].points == 40
    assert card.indicators["IV.4"].points == 10 + 15  # RBRA 'available'; four options, cap 15


def test_level_answers_map_through_the_crosswalk() -> None:
    legacy = submission(OLD, {"P12.03.1": "three-to-five", "P12.27.1": "none"}, REGION, 2016)
    carried, report = kla.carry_over(legacy, CROSSWALK)
    assert carried.answers["K.1"] == kla.ItemAnswers({"K.1.4": ("forum-anak",)})
    assert carried.answers["IV.4"] == kla.ItemAnswers({"IV.4.1": "none"})
    assert [entry.to_dict() for entry in report.carried] == [
        {
            "from": "P12.03.1",
            "to": "K.1.4",
            "match": "approximate",
            "note": CROSSWALK.link("P12.03").note,
        },
        {"from": "P12.27.1", "to": "IV.4.1", "match": "same", "note": None},
    ]


def test_a_value_the_new_reference_cannot_judge_is_reported_not_carried() -> None:
    legacy = submission(OLD, {"P12.11.1": kla.Measurement(12.5, 2015)}, REGION, 2016)
    carried, report = kla.carry_over(legacy, CROSSWALK)
    assert "II.1" not in carried.answers
    assert [entry.to_dict() for entry in report.unscorable] == [
        {
            "from": "P12.11.1",
            "to": "II.1.1",
            "problem": "expected a data year from 2017 to 2024 (reference series "
            "'child-marriage'); found 2015",
        }
    ]


def test_a_value_older_than_the_new_age_limit_is_reported_not_carried() -> None:
    """The round stays as declared (2017) and the value keeps its data year (2009): the new
    ruleset accepts data from 2010 on in that round, so the report says so and the carried
    submission still scores."""
    legacy = submission(OLD, {"P12.08.1": kla.Measurement(95.0, 2009)}, REGION, 2017)
    carried, report = kla.carry_over(legacy, CROSSWALK)
    assert carried.year == 2017
    assert "I.1" not in carried.answers
    assert [entry.to_dict() for entry in report.unscorable] == [
        {
            "from": "P12.08.1",
            "to": "I.1.1",
            "problem": "expected a data year from 2010 to 2017 (the ruleset accepts data at "
            "most 7 years older than the round); found 2009",
        }
    ]
    assert kla.score(NEW, carried).total == 0


def test_a_legacy_value_from_after_the_round_is_refused_by_the_old_ruleset() -> None:
    legacy = submission(OLD, {"P12.08.1": kla.Measurement(95.0, 2018)}, REGION, 2017)
    with pytest.raises(kla.SubmissionError) as raised:
        kla.carry_over(legacy, CROSSWALK)
    assert "expected a data year no later than the round 2017; found 2018" in str(raised.value)


def test_a_submission_that_does_not_fit_the_old_ruleset_is_refused() -> None:
    legacy = kla.Submission.from_mapping(
        {"region": REGION.to_dict(), "year": 2016, "answers": {"K.1": {"items": {"K.1.1": True}}}}
    )
    with pytest.raises(kla.SubmissionError) as raised:
        kla.carry_over(legacy, CROSSWALK)
    assert "expected an indicator id of the ruleset; found unknown id 'K.1'" in str(raised.value)


def test_scores_across_the_change_of_instrument_can_be_compared() -> None:
    """The same district in 2017 (old list, carried over) and 2018 (new list)."""
    old_answers = {item.id: worst(item, 2017) for item in OLD.items.values()}
    old_answers |= {"P12.08.1": kla.Measurement(95.0, 2016), "P12.24.1": kla.Measurement(80, 2016)}
    legacy = submission(OLD, old_answers, REGION, 2017)
    carried, _ = kla.carry_over(legacy, CROSSWALK)
    then = kla.score(NEW, carried)
    now = kla.score(NEW, submission(NEW, {"I.1.1": kla.Measurement(97.0, 2017)}, REGION, 2018))
    assert then.indicators["I.1"].points == now.indicators["I.1"].points == 40
    assert then.indicators["IV.2"].points == 33.75
    assert then.ruleset == now.ruleset


@settings(max_examples=examples(60), deadline=None)
@given(answered_items(OLD, 2016))
def test_any_legacy_submission_carries_over_to_one_the_new_ruleset_scores(
    answers: dict[str, ItemAnswer],
) -> None:
    legacy = submission(OLD, answers, REGION, 2016)
    before = legacy.to_dict()
    carried, report = kla.carry_over(legacy, CROSSWALK)
    assert legacy.to_dict() == before
    assert kla.check(NEW, carried) == ()
    accounted = [entry.from_item for entry in report.carried]
    accounted += [entry.from_item for entry in report.dropped]
    accounted += [entry.from_item for entry in report.unscorable]
    assert sorted(accounted) == sorted(answers)
    card = kla.score(NEW, carried)
    assert 0 <= card.total <= NEW.max_score
    links = {item.from_id: (link, item) for link in CROSSWALK.indicators for item in link.items}
    for entry in report.carried:
        link, item = links[entry.from_item]
        assert link.to_id is not None
        carried_answer = carried.answers[link.to_id]
        if isinstance(carried_answer, kla.ItemAnswers):
            carried_answer = carried_answer.items[entry.to_item]
        assert carried_answer == item.carry(answers[entry.from_item])
        if item.levels is None:
            assert carried_answer == answers[entry.from_item]


def test_the_documented_example() -> None:
    """docs/rulesets-in-time.md: 143.75 under the old list, 129.75 carried over."""
    legacy = kla.Submission.from_mapping(
        {
            "region": {
                "code": "36.71",
                "name": "Kota Tangerang",
                "kind": "kota",
                "province": "Banten",
            },
            "year": 2017,
            "answers": {
                "P12.01": {"items": {"P12.01.1": True, "P12.01.2": "perda"}},
                "P12.08": {"value": 91.5, "data_year": 2016},
                "P12.11": {"value": 9.8, "data_year": 2015},
                "P12.14": {"value": 21.0, "data_year": 2015},
                "P12.24": {"value": 82.0, "data_year": 2016},
            },
        }
    )
    assert kla.score(CROSSWALK.from_ruleset, legacy).total == 143.75
    carried, report = kla.carry_over(legacy, CROSSWALK)
    assert kla.score(CROSSWALK.to_ruleset, carried).total == 129.75
    assert [entry.from_item for entry in report.dropped] == ["P12.14.1"]
    assert [(entry.from_item, entry.to_item) for entry in report.unscorable] == [
        ("P12.11.1", "II.1.1")
    ]
    assert len(report.unanswered) == 21
