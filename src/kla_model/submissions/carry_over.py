"""Carrying a legacy submission over to a newer instrument through a crosswalk.

:func:`carry_over` turns a submission for the older ruleset of a :class:`Crosswalk` into one
its newer ruleset can always score, and reports what happened to every answer: carried (and
how closely the two indicators match), dropped (no counterpart, with the reason) or not
scorable by the new rule (say, a data year outside the new reference series).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from kla_model.rules.answers import data_year_problem
from kla_model.rules.crosswalk import Crosswalk
from kla_model.rules.ruleset import RuleSet
from kla_model.submissions.conformance import item_answers, raise_for_problems
from kla_model.submissions.submission import IndicatorAnswer, ItemAnswer, ItemAnswers, Submission

__all__ = [
    "CarriedAnswer",
    "CarryOverReport",
    "DroppedAnswer",
    "UnscorableAnswer",
    "carry_over",
]


@attrs.frozen
class CarriedAnswer:
    """An old item's answer that now answers a new item."""

    from_item: str
    to_item: str
    match: str
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.from_item, "to": self.to_item, "match": self.match, "note": self.note}


@attrs.frozen
class DroppedAnswer:
    """An old item's answer that has no counterpart, and why."""

    from_item: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.from_item, "reason": self.reason}


@attrs.frozen
class UnscorableAnswer:
    """An answer that carried over but that the new item's rule cannot score, and why."""

    from_item: str
    to_item: str
    problem: str

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.from_item, "to": self.to_item, "problem": self.problem}


@attrs.frozen
class CarryOverReport:
    """What happened to each answer of a legacy submission, and what is left unanswered."""

    crosswalk: str
    carried: tuple[CarriedAnswer, ...]
    dropped: tuple[DroppedAnswer, ...]
    unscorable: tuple[UnscorableAnswer, ...]
    #: The new ruleset's indicators the carried submission does not answer.
    unanswered: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "crosswalk": self.crosswalk,
            "carried": [entry.to_dict() for entry in self.carried],
            "dropped": [entry.to_dict() for entry in self.dropped],
            "unscorable": [entry.to_dict() for entry in self.unscorable],
            "unanswered": list(self.unanswered),
        }


def _new_answers(
    collected: Mapping[str, dict[str, ItemAnswer]], new_rs: RuleSet
) -> dict[str, IndicatorAnswer]:
    answers: dict[str, IndicatorAnswer] = {}
    for indicator_id, indicator in new_rs.indicators.items():
        items = collected.get(indicator_id)
        if not items:
            continue
        single = len(indicator.items) == 1
        answers[indicator_id] = next(iter(items.values())) if single else ItemAnswers(items)
    return answers


def _note(submission: Submission, crosswalk: Crosswalk) -> str:
    moved = (
        f"Dialihkan dari {crosswalk.from_ruleset.id} lewat padanan {crosswalk.id} / "
        f"Carried over from {crosswalk.from_ruleset.id} by crosswalk {crosswalk.id}."
    )
    return moved if submission.note is None else f"{moved} {submission.note}"


def carry_over(submission: Submission, crosswalk: Crosswalk) -> tuple[Submission, CarryOverReport]:
    """A legacy submission's answers carried over to the crosswalk's newer ruleset.

    ``submission`` must fit the crosswalk's older ruleset (else :class:`SubmissionError`).
    Returns the new submission (same region, round and answers where they carry over),
    which the newer ruleset can always score, and a report of what carried, what was
    dropped (no counterpart), what could not be scored (say, a data year outside the new
    reference series, or older than the new ruleset's ``max_data_age`` allows in the
    submission's round, which stays as declared) and which new indicators are left
    unanswered.  ``submission`` is not changed.
    """
    old_rs, new_rs = crosswalk.from_ruleset, crosswalk.to_ruleset
    raise_for_problems(old_rs, submission)
    collected: dict[str, dict[str, ItemAnswer]] = {}
    carried: list[CarriedAnswer] = []
    dropped: list[DroppedAnswer] = []
    unscorable: list[UnscorableAnswer] = []
    for indicator_id, indicator in old_rs.indicators.items():
        if indicator_id not in submission.answers:
            continue
        link = crosswalk.link(indicator_id)
        links = {item.from_id: item for item in link.items}
        for item_id, answer in item_answers(indicator, submission.answers[indicator_id]).items():
            item_link = links.get(item_id)
            reason = link.dropped if item_link is None else item_link.dropped
            if item_link is None or item_link.to_id is None or link.to_id is None:
                dropped.append(DroppedAnswer(item_id, reason or ""))
                continue
            new_answer = item_link.carry(answer)
            # the round stays as declared, so a value keeps its data year: one the new
            # ruleset's age limit refuses is reported here, not by the scorer later
            problem = new_rs.items[item_link.to_id].rule.problem(new_answer) or (
                data_year_problem(new_answer, submission.year, new_rs.max_data_age)
            )
            if problem is not None:
                unscorable.append(UnscorableAnswer(item_id, item_link.to_id, problem))
                continue
            collected.setdefault(link.to_id, {})[item_link.to_id] = new_answer
            carried.append(CarriedAnswer(item_id, item_link.to_id, link.match or "", link.note))
    answers = _new_answers(collected, new_rs)
    result = Submission(
        region=submission.region,
        year=submission.year,
        answers=answers,
        note=_note(submission, crosswalk),
        origin=f"{submission.origin} (carried over to {new_rs.id})",
    )
    report = CarryOverReport(
        crosswalk=crosswalk.id,
        carried=tuple(carried),
        dropped=tuple(dropped),
        unscorable=tuple(unscorable),
        unanswered=tuple(i for i in new_rs.indicators if i not in answers),
    )
    return result, report
