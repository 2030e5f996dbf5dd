"""What if some answers were different: rescore a changed copy and compare the two cards.

:func:`what_if` never changes the submission it is given: it builds a new one from the
old one's data with the changes laid over it, so the changed answers are checked exactly
like answers read from a file.  :func:`compare` lists the items, indicators and groups whose
points differ between two cards of the same ruleset, and how the tier moved.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from kla_model._base.json_schema import json_path
from kla_model.analysis.wording import checked_lang, points
from kla_model.errors import KlaError, Problem, SubmissionError
from kla_model.rules.model import Indicator, Label
from kla_model.rules.points import difference
from kla_model.rules.ruleset import RuleSet
from kla_model.rules.tiers import Tier
from kla_model.scoring.engine import score
from kla_model.scoring.results import ScoreCard
from kla_model.submissions.submission import ItemAnswers, Measurement, Submission, answer_to_data

__all__ = ["Change", "Comparison", "WhatIf", "changed_submission", "compare", "what_if"]


def _as_data(answer: Any) -> Any:
    if isinstance(answer, (Measurement, ItemAnswers, tuple)):
        return answer_to_data(answer)
    return answer


def _set_item(answers: dict[str, Any], indicator: Indicator, item_id: str, new: Any) -> None:
    """Lay ``new`` (``None``: no answer) over one item's answer in plain ``answers`` data."""
    current = answers.get(indicator.id)
    in_items = isinstance(current, dict) and "items" in current
    if len(indicator.items) == 1 and not in_items:
        if new is None:
            answers.pop(indicator.id, None)
        else:
            answers[indicator.id] = new
        return
    items = dict(current["items"]) if isinstance(current, dict) and in_items else {}
    if new is None:
        items.pop(item_id, None)
    else:
        items[item_id] = new
    if items:
        answers[indicator.id] = {"items": items}
    else:
        answers.pop(indicator.id, None)


def _conflicts(ruleset: RuleSet, changes: Mapping[str, Any]) -> Iterator[Problem]:
    for key in changes:
        indicator = ruleset.indicators.get(key)
        if indicator is None:
            continue
        for item in indicator.items:
            if item.id in changes and item.id != key:
                yield Problem(
                    f"changes: {json_path([item.id])}",
                    f"expected a change of indicator {key} or of its item {item.id}; found both",
                )


def changed_submission(
    ruleset: RuleSet, submission: Submission, changes: Mapping[str, Any]
) -> Submission:
    """A new submission: ``submission`` with ``changes`` laid over its answers.

    ``changes`` maps an indicator id or an item id to a new answer in submission format
    (``true``, a level id, a list of option ids, ``{value, data_year}``, or for an
    indicator ``{items: {...}}``), or to ``None`` to remove the answer.  Raises
    :class:`SubmissionError` naming every unknown id.
    """
    data = submission.to_dict()
    answers: dict[str, Any] = data["answers"]
    indicator_of = {item.id: ind for ind in ruleset.indicators.values() for item in ind.items}
    problems = list(_conflicts(ruleset, changes))
    for key, new in changes.items():
        if key in ruleset.indicators:
            if new is None:
                answers.pop(key, None)
            else:
                answers[key] = _as_data(new)
        elif key in indicator_of:
            _set_item(answers, indicator_of[key], key, _as_data(new))
        else:
            known = [*ruleset.indicators, *indicator_of]
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                Problem(
                    f"changes: {json_path([key])}", f"unknown indicator or item id {key!r}{hint}"
                )
            )
    if problems:
        raise SubmissionError("changes", problems)
    return Submission.from_mapping(data, source=f"{submission.origin} (what-if)")


@attrs.frozen
class Change:
    """The points of one group, indicator or item before and after."""

    scope: str
    id: str
    label: Label
    before: float
    after: float

    @property
    def delta(self) -> float:
        return difference(self.after, self.before)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "id": self.id,
            "label": self.label.to_dict(),
            "before": self.before,
            "after": self.after,
            "delta": self.delta,
        }


_MOVED = Label(
    id="Total {before} → {after} ({delta}): peringkat {tier_before} → {tier_after}.",
    en="Total {before} → {after} ({delta}): tier {tier_before} → {tier_after}.",
)
_STAYED = Label(
    id="Total {before} → {after} ({delta}): peringkat tetap {tier_before}.",
    en="Total {before} → {after} ({delta}): the tier stays {tier_before}.",
)


@attrs.frozen
class Comparison:
    """What changed between two score cards of the same ruleset."""

    before_total: float
    after_total: float
    before_tier: Tier | None
    after_tier: Tier | None
    #: How many tiers up (positive) or down (negative) the second card is.
    tier_steps: int
    groups: tuple[Change, ...]
    indicators: tuple[Change, ...]
    items: tuple[Change, ...]
    none_label: Label

    @property
    def delta(self) -> float:
        return difference(self.after_total, self.before_total)

    def sentence(self, lang: str = "id") -> str:
        """The change of total and tier in one sentence."""
        chosen = checked_lang(lang)
        sign = "+" if self.delta >= 0 else "-"
        facts = {
            "before": points(self.before_total, chosen),
            "after": points(self.after_total, chosen),
            "delta": sign + points(abs(self.delta), chosen),
            "tier_before": (self.before_tier.label if self.before_tier else self.none_label).text(
                chosen
            ),
            "tier_after": (self.after_tier.label if self.after_tier else self.none_label).text(
                chosen
            ),
        }
        return (_MOVED if self.tier_steps else _STAYED).text(chosen).format_map(facts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "before_total": self.before_total,
            "after_total": self.after_total,
            "delta": self.delta,
            "before_tier": None if self.before_tier is None else self.before_tier.id,
            "after_tier": None if self.after_tier is None else self.after_tier.id,
            "tier_steps": self.tier_steps,
            "groups": [change.to_dict() for change in self.groups],
            "indicators": [change.to_dict() for change in self.indicators],
            "items": [change.to_dict() for change in self.items],
            "sentence": {"id": self.sentence("id"), "en": self.sentence("en")},
        }


def _rank(card: ScoreCard, tier: Tier | None) -> int:
    order = [entry.tier.id for entry in card.eligibility]
    return -1 if tier is None else order.index(tier.id)


def compare(before: ScoreCard, after: ScoreCard) -> Comparison:
    """The groups, indicators and items whose points differ, and the change of tier.

    Both cards must come from the same ruleset (the same content hash): the same ids may
    mean different things in another one.
    """
    if before.ruleset.sha256 != after.ruleset.sha256:
        raise KlaError(
            f"compare: expected two score cards of the same ruleset; found "
            f"{before.ruleset.id} {before.ruleset.version} (sha256 {before.ruleset.sha256[:12]}) "
            f"and {after.ruleset.id} {after.ruleset.version} "
            f"(sha256 {after.ruleset.sha256[:12]})"
        )
    pairs = list(zip(before.trace(), after.trace(), strict=True))
    groups = {g.id: (g, g2) for (g, _, _), (g2, _, _) in pairs}
    indicators = {i.id: (i, i2) for (_, i, _), (_, i2, _) in pairs}
    items = [(item, item2) for (_, _, item), (_, _, item2) in pairs]

    def changed(scope: str, found: Any) -> tuple[Change, ...]:
        return tuple(
            Change(scope, old.id, old.label, old.points, new.points)
            for old, new in found
            if old.points != new.points
        )

    return Comparison(
        before_total=before.total,
        after_total=after.total,
        before_tier=before.tier,
        after_tier=after.tier,
        tier_steps=_rank(after, after.tier) - _rank(before, before.tier),
        groups=changed("group", groups.values()),
        indicators=changed("indicator", indicators.values()),
        items=changed("item", items),
        none_label=before.none_label,
    )


@attrs.frozen
class WhatIf:
    """A changed submission, its card, and how it compares with the original's card."""

    submission: Submission
    before: ScoreCard
    after: ScoreCard
    comparison: Comparison

    def __repr__(self) -> str:
        return f"<WhatIf {self.before.total:g} → {self.after.total:g}: {self.after!r}>"

    def to_dict(self) -> dict[str, Any]:
        return {
            "submission": self.submission.to_dict(),
            "card": self.after.to_dict(),
            "comparison": self.comparison.to_dict(),
        }


def what_if(
    ruleset: RuleSet,
    submission: Submission,
    changes: Mapping[str, Any],
    *,
    stage: str | None = None,
) -> WhatIf:
    """Score ``submission`` with ``changes`` laid over it, and compare with the original.

    See :func:`changed_submission` for the form of ``changes``.  Both are scored at
    ``stage`` (default: the latest stage the submission has reached).  The changes are to
    declared answers: at a verification stage, a corrected value still stands and an item
    that requires evidence still scores only with accepted evidence.  ``submission`` is not
    changed.
    """
    before = score(ruleset, submission, stage=stage)
    changed = changed_submission(ruleset, submission, changes)
    after = score(ruleset, changed, stage=before.stage)
    return WhatIf(changed, before, after, compare(before, after))
