"""Errors: one base class, built-in parents, and messages that list every problem."""

from __future__ import annotations

from kla_model import KlaError, Problem, RuleSetError, SubmissionError, UnknownRuleSetError


def test_errors_subclass_the_fitting_builtins() -> None:
    assert issubclass(RuleSetError, ValueError) and issubclass(RuleSetError, KlaError)
    assert issubclass(SubmissionError, ValueError)
    assert issubclass(UnknownRuleSetError, LookupError) and issubclass(
        UnknownRuleSetError, KlaError
    )


def test_message_lists_each_problem_and_summarises_a_long_list() -> None:
    one = SubmissionError("s.yaml", [Problem("s.yaml: $.year", "expected an integer; found 'x'")])
    assert str(one) == "s.yaml: 1 problem\n  s.yaml: $.year: expected an integer; found 'x'"
    many = RuleSetError("r.yaml", [Problem(f"r.yaml: $.groups[{i}]", "bad") for i in range(60)])
    lines = str(many).splitlines()
    assert lines[0] == "r.yaml: 60 problems"
    assert lines[50] == "  r.yaml: $.groups[49]: bad"
    assert lines[-1] == "  ... and 10 more"
    assert len(many.problems) == 60
