"""The errors kla_model raises on purpose.

Every error a user can cause is a :class:`KlaError`.  The subclasses also subclass the
built-in that fits (``ValueError`` for bad content, ``LookupError`` for an unknown name), so
callers that already catch those keep working.  Errors about content carry every problem
found, each with its location, instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "AssignmentError",
    "KlaError",
    "MissingExtraError",
    "PlanError",
    "Problem",
    "ProblemsError",
    "ProvinceError",
    "ResultError",
    "RoundNotCoveredError",
    "RoundNotHeldWarning",
    "RuleSetError",
    "SubmissionError",
    "TableError",
    "UnknownRuleSetError",
]

#: How many problems an error message lists before summarising the rest.
_SHOWN = 50


@attrs.frozen
class Problem:
    """One thing wrong with an input: where it is and what is wrong."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class KlaError(Exception):
    """Base class of every error kla_model raises on purpose."""


class ProblemsError(KlaError):
    """An input had one or more problems; ``problems`` lists all of them."""

    def __init__(self, what: str, problems: Iterable[Problem]) -> None:
        self.what = what
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{self.what}: {count} {noun}"]
        lines += [f"  {problem}" for problem in self.problems[:_SHOWN]]
        if count > _SHOWN:
            lines.append(f"  ... and {count - _SHOWN} more")
        return "\n".join(lines)


class AssignmentError(ProblemsError, ValueError):
    """A task force's assignment file is invalid, on its own or against a ruleset."""


class PlanError(ProblemsError, ValueError):
    """A plan's inputs are invalid: the target tier, the costs or the fixed ids (or, to draw
    a plan, a card that is not the one the plan starts from)."""


class ProvinceError(KlaError, ValueError):
    """Score cards given for a province are not one province's districts in one round."""


class ResultError(ProblemsError, ValueError):
    """Data given as a score card (``ScoreCard.from_dict``) is not one."""


class RuleSetError(ProblemsError, ValueError):
    """A rule file or ruleset mapping is invalid."""


class SubmissionError(ProblemsError, ValueError):
    """A submission is invalid, on its own or against the ruleset it is scored with."""


class UnknownRuleSetError(KlaError, LookupError):
    """No bundled ruleset has the requested name, and no file exists at that path."""


class TableError(ProblemsError, ValueError):
    """A table of submissions is invalid as a whole (its header), or a row is, in strict mode."""


class MissingExtraError(KlaError, ImportError):
    """A feature needs an optional dependency that is not installed (``pip install`` hint)."""


class RoundNotCoveredError(UnknownRuleSetError):
    """No single ruleset applies to the requested evaluation round (none, or more than one)."""


class RoundNotHeldWarning(UserWarning):
    """The requested evaluation round was, as far as the record shows, not held.

    A warning, not an error: the record of rounds is partly inferred (no award reported that
    year), and scoring data of such a year can still be useful as a dry run.
    """
