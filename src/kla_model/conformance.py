"""Whether a submission's answers fit a ruleset: known ids, and answers each rule can score.

A submission is checked on its own when it is built; this is the second check, against the
ruleset it is scored with.  :func:`check` returns every problem; :func:`score` raises them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping

from kla_model._schema import json_path
from kla_model.errors import Problem, SubmissionError
from kla_model.model import Indicator
from kla_model.ruleset import RuleSet
from kla_model.submission import IndicatorAnswer, ItemAnswer, ItemAnswers, Submission

__all__ = ["check", "item_answers", "raise_for_problems"]


def item_answers(indicator: Indicator, answer: IndicatorAnswer) -> Mapping[str, ItemAnswer]:
    """An indicator's answer as item id -> answer; a one-item indicator may be answered directly."""
    if isinstance(answer, ItemAnswers):
        return answer.items
    return {indicator.items[0].id: answer}


def _unknown(what: str, found: str, known: list[str]) -> str:
    close = difflib.get_close_matches(found, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"expected {what}; found unknown id {found!r}{hint}"


def _indicator_problems(
    indicator: Indicator, answer: IndicatorAnswer, where: str
) -> Iterator[Problem]:
    path: list[str | int] = ["answers", indicator.id]
    if not isinstance(answer, ItemAnswers) and len(indicator.items) > 1:
        ids = ", ".join(item.id for item in indicator.items)
        message = (
            f"expected {{items: {{...}}}} with answers for the items {ids}; found a single answer"
        )
        yield Problem(f"{where}: {json_path(path)}", message)
        return
    rules = {item.id: item.rule for item in indicator.items}
    for item_id, item_answer in item_answers(indicator, answer).items():
        item_path = [*path, "items", item_id] if isinstance(answer, ItemAnswers) else path
        if item_id not in rules:
            message = _unknown(f"an item id of {indicator.id}", item_id, list(rules))
            yield Problem(f"{where}: {json_path(item_path)}", message)
            continue
        problem = rules[item_id].problem(item_answer)
        if problem is not None:
            yield Problem(f"{where}: {json_path(item_path)}", f"{item_id}: {problem}")


def check(ruleset: RuleSet, submission: Submission) -> tuple[Problem, ...]:
    """Every way ``submission``'s answers do not fit ``ruleset`` (empty if they all do)."""
    where = submission.origin
    problems: list[Problem] = []
    for indicator_id, answer in submission.answers.items():
        indicator = ruleset.indicators.get(indicator_id)
        if indicator is None:
            message = _unknown(
                "an indicator id of the ruleset", indicator_id, list(ruleset.indicators)
            )
            problems.append(Problem(f"{where}: {json_path(['answers', indicator_id])}", message))
        else:
            problems.extend(_indicator_problems(indicator, answer, where))
    return tuple(problems)


def raise_for_problems(ruleset: RuleSet, submission: Submission) -> None:
    """Raise :class:`SubmissionError` listing every problem :func:`check` finds."""
    problems = check(ruleset, submission)
    if problems:
        raise SubmissionError(f"{submission.origin} (against ruleset {ruleset.id})", problems)
