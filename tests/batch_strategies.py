"""Hypothesis strategies for scoring many submissions: answers drawn from a ruleset's rules.

``submissions(ruleset)`` draws valid submissions (every answer fits its rule, any indicator
or item may be left unanswered); ``odd_submissions(ruleset)`` also draws answers that do not
fit (wrong types, unknown ids, out-of-range numbers), which ``score`` refuses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import strategies as st

import kla_model as kla
from kla_model.rules.answers import IndicatorAnswer
from kla_model.rules.model import REGION_KINDS
from strategies import data_years, item_answers

CASES = Path(__file__).parent / "cases" / "batch"
#: A ruleset with fractional points, a linear rule and a must-pass tier condition: the
#: compiled path's slower branches.
FRACTIONAL = CASES / "fractional-ruleset.yaml"

REGIONS = st.builds(
    kla.Region,
    code=st.from_regex(r"[0-9]{2}\.[0-9]{2}", fullmatch=True),
    name=st.sampled_from(["Kota Contoh", "Kabupaten Contoh", "Desa Contoh"]),
    kind=st.sampled_from(REGION_KINDS),
    province=st.sampled_from(["Banten", "Jawa Tengah"]),
)


ODD_ANSWERS = st.one_of(
    st.booleans(),
    st.sampled_from(["perda", "tidak-ada", "yes"]),
    st.lists(st.sampled_from(["forum-anak", "x"]), unique=True).map(tuple),
    st.builds(kla.Measurement, value=st.floats(-10, 110), data_year=st.none() | st.just(1990)),
)


def _indicator_answer(
    indicator: kla.Indicator, odd: bool, window: tuple[int, int]
) -> st.SearchStrategy[IndicatorAnswer]:
    def answer(item: kla.Item) -> st.SearchStrategy[Any]:
        valid = item_answers(item, window)
        return st.one_of(valid, ODD_ANSWERS) if odd else valid

    items = st.fixed_dictionaries({}, optional={item.id: answer(item) for item in indicator.items})
    if odd:
        items = st.one_of(items, items.map(lambda answers: {**answers, f"{indicator.id}.99": True}))
    grouped = items.map(kla.ItemAnswers)
    if len(indicator.items) == 1:
        return st.one_of(answer(indicator.items[0]), grouped)
    return st.one_of(grouped, ODD_ANSWERS) if odd else grouped


def _submissions(ruleset: kla.RuleSet, odd: bool) -> st.SearchStrategy[kla.Submission]:
    # The round first, one whose accepted data years meet every reference series: valid
    # answers carry data years that round accepts.
    series = ruleset.references
    first = max([2018, *(s.first_year for s in series)])
    age = data_years(ruleset, 0)[1] - data_years(ruleset, 0)[0]
    last = min([2026, *(s.last_year + age for s in series)])
    return st.integers(first, max(first, last)).flatmap(lambda year: _round(ruleset, odd, year))


def _round(ruleset: kla.RuleSet, odd: bool, year: int) -> st.SearchStrategy[kla.Submission]:
    window = data_years(ruleset, year)
    answers = st.fixed_dictionaries(
        {},
        optional={
            indicator.id: _indicator_answer(indicator, odd, window)
            for indicator in ruleset.indicators.values()
        },
    )
    if odd:
        answers = st.one_of(answers, answers.map(lambda found: {**found, "Z.9": True}))
    return st.builds(kla.Submission, region=REGIONS, year=st.just(year), answers=answers)


def submissions(ruleset: kla.RuleSet) -> st.SearchStrategy[kla.Submission]:
    """Valid submissions for ``ruleset``: any subset of indicators and items answered."""
    return _submissions(ruleset, odd=False)


def odd_submissions(ruleset: kla.RuleSet) -> st.SearchStrategy[kla.Submission]:
    """Submissions that may also hold answers ``ruleset`` refuses."""
    return _submissions(ruleset, odd=True)


def with_columns(ruleset: kla.RuleSet, submission: kla.Submission) -> kla.Submission:
    """``submission`` without the answers a table for ``ruleset`` has no column for (an
    unknown indicator or item, which ``submission_row`` refuses), to write it as a row."""
    answers: dict[str, IndicatorAnswer] = {}
    for indicator_id, answer in submission.answers.items():
        indicator = ruleset.indicators.get(indicator_id)
        if indicator is None:
            continue
        known = {item.id for item in indicator.items}
        answers[indicator_id] = (
            kla.ItemAnswers({k: v for k, v in answer.items.items() if k in known})
            if isinstance(answer, kla.ItemAnswers)
            else answer
        )
    return kla.Submission(submission.region, submission.year, answers)
