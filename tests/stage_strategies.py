"""Hypothesis strategies for submissions with evidence and a verification history.

Every submission drawn is valid against the bundled ruleset: answers each rule can score,
evidence of kinds its items accept, at most one decision per piece of evidence and stage
(never before the piece was submitted), and at most one correction per item and stage,
of an answered item.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import strategies as st

from kla_model import (
    STAGES,
    Correction,
    Decision,
    Evidence,
    Indicator,
    Item,
    ItemAnswers,
    Region,
    RuleSet,
    Submission,
    load_ruleset,
)
from kla_model.rules.answers import IndicatorAnswer, ItemAnswer
from strategies import item_answers

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[T]], T]

RULESET = load_ruleset("perpres-25-2021")
REGION = Region(code="36.71", name="Kota Tangerang", kind="kota", province="Banten")
VERIFYING = STAGES[1:]


@st.composite
def indicator_answers(draw: Draw[Any], indicator: Indicator) -> IndicatorAnswer:
    """An answer for ``indicator``: its one item's answer, or answers for some of its items."""
    if len(indicator.items) == 1:
        answer: ItemAnswer = draw(item_answers(indicator.items[0]))
        return answer
    chosen = draw(st.lists(st.sampled_from(indicator.items), unique=True, min_size=1))
    return ItemAnswers({item.id: draw(item_answers(item)) for item in chosen})


def _answered(indicator: Indicator, answer: IndicatorAnswer) -> list[Item]:
    if isinstance(answer, ItemAnswers):
        return [item for item in indicator.items if item.id in answer.items]
    return [indicator.items[0]]


@st.composite
def evidence_for(draw: Draw[Any], indicator: Indicator, number: int) -> Evidence:
    """A piece of evidence attached to ``indicator`` or one of its items, of an accepted kind."""
    item = draw(st.sampled_from(indicator.items))
    assert item.evidence is not None  # every item of the bundled ruleset says what it accepts
    on_item = len(indicator.items) > 1 and draw(st.integers(0, 2)) == 0
    late = draw(st.integers(0, 4)) == 0  # handed in during verification, now and then
    return Evidence(
        id=f"ev-{number}",
        kind=draw(st.sampled_from(item.evidence.kinds)),
        title=f"Dokumen {number}",
        number=f"{number}/2024",
        issued=datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
        agency="DP3AP2KB",
        indicator=indicator.id,
        item=item.id if on_item else None,
        submitted=draw(st.sampled_from(VERIFYING)) if late else STAGES[0],
    )


#: Each stage's records are dated within its own window, so dates never contradict stages.
_WINDOWS = {
    "administrative": datetime.date(2024, 9, 1),
    "field": datetime.date(2025, 2, 1),
    "final": datetime.date(2025, 5, 1),
}


@st.composite
def record_dates(draw: Draw[Any], stage: str) -> datetime.date | None:
    """No date, or a date within ``stage``'s window."""
    if draw(st.booleans()):
        return None
    return _WINDOWS[stage] + datetime.timedelta(days=draw(st.integers(0, 60)))


@st.composite
def submissions_with_history(
    draw: Draw[Any], ruleset: RuleSet = RULESET, corrections: bool = True
) -> Submission:
    """A valid submission with answers, evidence and verification records."""
    indicators = draw(
        st.lists(st.sampled_from(list(ruleset.indicators.values())), unique=True, min_size=1)
    )
    answers = {indicator.id: draw(indicator_answers(indicator)) for indicator in indicators}
    evidence: list[Evidence] = []
    for indicator in ruleset.indicators.values():
        for _ in range(draw(st.integers(0, 3))):
            evidence.append(draw(evidence_for(indicator, len(evidence))))
    records: list[Decision | Correction] = []
    for piece in evidence:
        for stage in VERIFYING:
            if STAGES.index(stage) < STAGES.index(piece.submitted):
                continue
            action = draw(st.sampled_from([None, "accept", "accept", "accept", "reject"]))
            if action is not None:
                date = draw(record_dates(stage))
                records.append(
                    Decision(stage, action, piece.id, "Tim Verifikasi", "alasan", date=date)
                )
    if corrections:
        for indicator in indicators:
            for item in _answered(indicator, answers[indicator.id]):
                for stage in VERIFYING:
                    if draw(st.integers(0, 5)) == 0:
                        value = draw(item_answers(item))
                        item_id = None if len(indicator.items) == 1 else item.id
                        records.append(
                            Correction(
                                stage,
                                indicator.id,
                                value,
                                "Tim Verifikasi",
                                "koreksi",
                                item=item_id,
                                date=draw(record_dates(stage)),
                            )
                        )
    records = draw(st.permutations(records))
    return Submission(REGION, 2025, answers, evidence=evidence, verification=records)
