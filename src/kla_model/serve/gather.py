"""Every problem of a submission the service refuses, not only those found first.

Reading a submission has two checks: its shape (:meth:`Submission.from_mapping`, against the
submission schema) and then its answers against a ruleset (:func:`kla_model.check`).  A shape
problem stops the reading before the second check, so a bad year used to hide a percentage of
150.  For a person filling in a form that is one correction, one wait and one more surprise:
here the answers whose shape is right are checked against the ruleset too, and their problems
are reported with the shape's, up to the schema's cap (:data:`MAX_PROBLEMS`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import kla_model as kla
from kla_model._base.json_schema import MAX_PROBLEMS
from kla_model.errors import Problem
from kla_model.serve.config import Rulesets
from kla_model.serve.problems import ApiError

__all__ = ["gathered"]

#: A region that passes the schema, standing in for the one the body gets wrong: the answers'
#: check against a ruleset does not read it.
_STAND_IN_REGION = {"code": "00", "name": "-", "kind": "kota", "province": "-"}
#: The last problem of a capped list (worded as :func:`schema_problems` words it).
_MORE = "more than {} problems: the rest were not looked for; fix these first"


def gathered(
    refused: kla.SubmissionError, data: Any, rulesets: Rulesets, requested: str | None, source: str
) -> kla.SubmissionError:
    """``refused`` (the shape's problems) with the problems of the answers whose shape is
    right, against the ruleset the body would be scored with, when that ruleset can be told."""
    if not isinstance(data, Mapping) or not isinstance(data.get("answers"), Mapping):
        return refused
    shown = refused.problems
    if len(shown) >= MAX_PROBLEMS:
        return refused
    year = _usable_year(data, shown, source)
    ruleset = _ruleset(rulesets, requested, year)
    if ruleset is None:
        return refused
    more = [p for p in _answer_problems(ruleset, data, year, shown, source) if p not in shown]
    if not more:
        return refused
    problems = [*shown, *more]
    if len(problems) > MAX_PROBLEMS:
        # The same cap, and the same last word, as the schema check's.
        problems = [*problems[:MAX_PROBLEMS], Problem(source, _MORE.format(MAX_PROBLEMS))]
    return kla.SubmissionError(refused.what, problems)


def _usable_year(data: Mapping[str, Any], shown: tuple[Problem, ...], source: str) -> int | None:
    year = data.get("year")
    faulted = any(p.location.startswith(f"{source}: $.year") for p in shown)
    return year if isinstance(year, int) and not isinstance(year, bool) and not faulted else None


def _ruleset(rulesets: Rulesets, requested: str | None, year: int | None) -> kla.RuleSet | None:
    """The ruleset the body names, or the one in force for its year, or the only one loaded."""
    if requested is not None:
        return rulesets.named(requested)
    if year is not None:
        try:
            return rulesets.choose(None, year)
        except ApiError:
            return None
    only = list(rulesets.by_id.values())
    return only[0] if len(only) == 1 else None


def _answer_problems(
    ruleset: kla.RuleSet,
    data: Mapping[str, Any],
    year: int | None,
    shown: tuple[Problem, ...],
    source: str,
) -> tuple[Problem, ...]:
    """The ruleset's problems with the answers the shape check did not fault."""
    faulted = {
        match.group(1)
        for p in shown
        if (match := re.match(re.escape(f"{source}: $.answers[") + r'"([^"]*)"\]', p.location))
    }
    answers = {key: value for key, value in data["answers"].items() if key not in faulted}
    stand_in = {"region": _STAND_IN_REGION, "year": year or 2000, "answers": answers}
    try:
        submission = kla.Submission.from_mapping(stand_in, source)
    except kla.SubmissionError:
        return ()  # the shape's problems are all there is to say
    problems = kla.check(ruleset, submission)
    if year is None:
        # A data year is judged against the round: with no usable round, say nothing of it.
        problems = tuple(p for p in problems if not p.location.endswith(".data_year"))
    return problems
