"""Whether a submission fits a ruleset: known ids, answers each rule can score, evidence
of kinds its items accept, and corrections of answered values that their rules can score.

A submission is checked on its own when it is built; this is the second check, against the
ruleset it is scored with.  :func:`check` returns every problem; :func:`score` raises them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from kla_model._base.capped import first_problems, listed, shown
from kla_model._base.json_schema import json_path
from kla_model._base.suggest import did_you_mean
from kla_model.errors import Problem, SubmissionError
from kla_model.rules.answers import data_year_problem
from kla_model.rules.model import Indicator, Item
from kla_model.rules.ruleset import RuleSet, bundled_rulesets, load_ruleset
from kla_model.submissions.evidence import Correction, Evidence
from kla_model.submissions.submission import IndicatorAnswer, ItemAnswer, ItemAnswers, Submission

__all__ = [
    "accepts",
    "check",
    "corrected_item",
    "data_year_problems",
    "history_check",
    "item_answers",
    "raise_for_problems",
    "stale_data",
]


def item_answers(indicator: Indicator, answer: IndicatorAnswer) -> Mapping[str, ItemAnswer]:
    """An indicator's answer as item id -> answer; a one-item indicator may be answered directly."""
    if isinstance(answer, ItemAnswers):
        return answer.items
    return {indicator.items[0].id: answer}


def _unknown(what: str, found: str, known: list[str]) -> str:
    return f"expected {what}; found unknown id {shown(found)}{did_you_mean(found, known)}"


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


def accepts(item: Item, kind: str) -> bool:
    """Whether ``item`` accepts evidence of ``kind`` (an item with no evidence rule takes any)."""
    return item.evidence is None or kind in item.evidence.kinds


def _evidence_problems(ruleset: RuleSet, submission: Submission) -> Iterator[Problem]:
    for index, piece in enumerate(submission.evidence):
        problem = _piece_problem(ruleset, piece)
        if problem is not None:
            field, message = problem
            where = json_path(["evidence", index, field])
            yield Problem(f"{submission.origin}: {where}", f"evidence {piece.id!r}: {message}")


def _piece_problem(ruleset: RuleSet, piece: Evidence) -> tuple[str, str] | None:
    """What is wrong with a piece of evidence, as (field, message), or ``None``."""
    indicator = ruleset.indicators.get(piece.indicator)
    if indicator is None:
        return "indicator", _unknown(
            "an indicator id of the ruleset", piece.indicator, list(ruleset.indicators)
        )
    items = {item.id: item for item in indicator.items}
    if piece.item is not None and piece.item not in items:
        return "item", _unknown(f"an item id of {indicator.id}", piece.item, list(items))
    problem = _kind_problem(piece, indicator, items)
    return None if problem is None else ("kind", problem)


def _kind_problem(piece: Evidence, indicator: Indicator, items: Mapping[str, Item]) -> str | None:
    if piece.item is not None:
        item = items[piece.item]
        if accepts(item, piece.kind):
            return None
        assert item.evidence is not None  # an item without a rule accepts every kind
        kinds = ", ".join(item.evidence.kinds)
        return f"expected a kind item {item.id} accepts ({kinds}); found {piece.kind!r}"
    if any(accepts(item, piece.kind) for item in indicator.items):
        return None
    rules = [item.evidence for item in indicator.items if item.evidence is not None]
    taken = sorted({kind for rule in rules for kind in rule.kinds})
    return (
        f"expected a kind some item of {indicator.id} accepts ({', '.join(taken)}); "
        f"found {piece.kind!r}"
    )


def corrected_item(ruleset: RuleSet, correction: Correction) -> Item | None:
    """The item a correction replaces the value of, or ``None`` if it names none."""
    indicator = ruleset.indicators.get(correction.indicator)
    if indicator is None:
        return None
    if correction.item is None:
        return indicator.items[0] if len(indicator.items) == 1 else None
    return next((item for item in indicator.items if item.id == correction.item), None)


def _declared(submission: Submission, indicator: Indicator, item: Item) -> ItemAnswer | None:
    answer = submission.answers.get(indicator.id)
    return None if answer is None else item_answers(indicator, answer).get(item.id)


def _correction_problem(
    ruleset: RuleSet, submission: Submission, record: Correction
) -> tuple[str, str] | None:
    """What is wrong with a correction, as (field, message), or ``None``."""
    indicator = ruleset.indicators.get(record.indicator)
    if indicator is None:
        return "indicator", _unknown(
            "an indicator id of the ruleset", record.indicator, list(ruleset.indicators)
        )
    item = corrected_item(ruleset, record)
    ids = [entry.id for entry in indicator.items]
    if item is None and record.item is None:
        return "item", f"expected the id of the item corrected, one of {', '.join(ids)}; found none"
    if item is None:
        return "item", _unknown(f"an item id of {indicator.id}", str(record.item), ids)
    if _declared(submission, indicator, item) is None:
        return "", (
            f"the submission never answered {item.id}; a correction replaces an answered value"
        )
    problem = item.rule.problem(record.value)
    return None if problem is None else ("value", f"{item.id}: {problem}")


def _record_problems(ruleset: RuleSet, submission: Submission) -> Iterator[Problem]:
    corrected: dict[tuple[str, str], int] = {}
    for index, record in enumerate(submission.verification):
        if not isinstance(record, Correction):
            continue
        path: list[str | int] = ["verification", index]
        problem = _correction_problem(ruleset, submission, record)
        if problem is not None:
            field, message = problem
            where = json_path([*path, field] if field else path)
            yield Problem(f"{submission.origin}: {where}", f"{record.describe()}: {message}")
            continue
        item = corrected_item(ruleset, record)
        assert item is not None  # checked by _correction_problem
        key = (item.id, record.stage)
        if key in corrected:
            earlier = json_path(["verification", corrected[key]])
            message = (
                f"{record.describe()}: conflicting records: {earlier} already corrects "
                f"{item.id} at {record.stage}; a stage makes one correction per item"
            )
            yield Problem(f"{submission.origin}: {json_path(path)}", message)
        else:
            corrected[key] = index


def stale_data(ruleset: RuleSet, submission: Submission) -> bool:
    """Whether some measured answer or corrected value has a data year the round does not
    allow (after the round, or older than ``max_data_age``); O(1), with no wording, so the
    scorers ask it of every submission."""
    if submission.data_years is None:
        return False
    earliest, latest = submission.data_years
    limit = ruleset.max_data_age
    return latest > submission.year or (limit is not None and earliest < submission.year - limit)


def data_year_problems(ruleset: RuleSet, submission: Submission) -> Iterator[Problem]:
    """Measured answers and corrected values whose data year the round does not allow:
    after the round (whatever the ruleset), or older than the ruleset's ``max_data_age``."""
    year, limit, where = submission.year, ruleset.max_data_age, submission.origin
    for indicator_id, answer in submission.answers.items():
        indicator = ruleset.indicators.get(indicator_id)
        if indicator is None:
            continue
        rules = {item.id: item.rule for item in indicator.items}
        for item_id, item_answer in item_answers(indicator, answer).items():
            problem = data_year_problem(item_answer, year, limit)
            # an answer its rule refuses already has its problem (a reference's years, say)
            rule = rules.get(item_id)
            if problem is not None and rule is not None and rule.problem(item_answer) is None:
                path: list[str | int] = ["answers", indicator_id]
                path += ["items", item_id] if isinstance(answer, ItemAnswers) else []
                yield Problem(
                    f"{where}: {json_path([*path, 'data_year'])}", f"{item_id}: {problem}"
                )
    for index, record in enumerate(submission.verification):
        if isinstance(record, Correction):
            problem = data_year_problem(record.value, year, limit)
            if problem is not None:
                path = ["verification", index, "value", "data_year"]
                yield Problem(f"{where}: {json_path(path)}", f"{record.describe()}: {problem}")


def history_check(ruleset: RuleSet, submission: Submission) -> tuple[Problem, ...]:
    """Every problem with ``submission``'s evidence and records against ``ruleset`` (empty
    if there are none).  How they agree with one another was checked, once, when the
    submission was made: a submission whose history contradicts itself is never made."""
    if not submission.evidence and not submission.verification:
        return ()
    return (*_evidence_problems(ruleset, submission), *_record_problems(ruleset, submission))


#: From this many unknown indicator ids on, when they are most of the answers, a submission
#: is taken as written for another ruleset and gets one problem instead of one per id.
_FOREIGN_AT = 3


def _fitting_bundled(ids: list[str]) -> list[str]:
    """The bundled rulesets that know every one of ``ids``."""
    return [
        name for name in bundled_rulesets() if all(i in load_ruleset(name).indicators for i in ids)
    ]


def _foreign(ruleset: RuleSet, submission: Submission) -> Problem | None:
    """One problem for a submission written for another ruleset, instead of a did-you-mean
    for each of its indicator ids."""
    answered = list(submission.answers)
    unknown = [i for i in answered if i not in ruleset.indicators]
    if len(unknown) < _FOREIGN_AT or 2 * len(unknown) <= len(answered):
        return None
    some = listed(unknown[:4]) + (", ..." if len(unknown) > 4 else "")
    fits = [name for name in _fitting_bundled(answered) if name != ruleset.id]
    hint = f"; its ids are those of {fits[0]} (--ruleset {fits[0]})" if fits else ""
    return Problem(
        f"{submission.origin}: $.answers",
        f"expected indicator ids of ruleset {ruleset.id}; found {len(unknown)} of the "
        f"{len(answered)} answered indicators unknown to it ({some}): the submission is "
        f"written for another ruleset{hint}",
    )


def check(ruleset: RuleSet, submission: Submission) -> tuple[Problem, ...]:
    """Every way ``submission`` does not fit ``ruleset`` (empty if it all does): its answers,
    its evidence and its verification records (the first hundred: checking stops there).  A
    submission whose answers are mostly ids the ruleset does not have gets one problem
    saying so."""
    foreign = _foreign(ruleset, submission)
    if foreign is not None:
        return (foreign,)
    return tuple(first_problems(_check(ruleset, submission), submission.origin))


def _check(ruleset: RuleSet, submission: Submission) -> Iterator[Problem]:
    where = submission.origin
    for indicator_id, answer in submission.answers.items():
        indicator = ruleset.indicators.get(indicator_id)
        if indicator is None:
            message = _unknown(
                "an indicator id of the ruleset", indicator_id, list(ruleset.indicators)
            )
            yield Problem(f"{where}: {json_path(['answers', indicator_id])}", message)
        else:
            yield from _indicator_problems(indicator, answer, where)
    yield from data_year_problems(ruleset, submission)
    yield from history_check(ruleset, submission)


def raise_for_problems(ruleset: RuleSet, submission: Submission) -> None:
    """Raise :class:`SubmissionError` listing every problem :func:`check` finds."""
    problems = check(ruleset, submission)
    if problems:
        raise SubmissionError(f"{submission.origin} (against ruleset {ruleset.id})", problems)
