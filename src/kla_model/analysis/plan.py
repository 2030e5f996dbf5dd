"""The least a district must improve to reach a tier: an exact plan, step by step.

:func:`plan` looks at every item's feasible moves (:mod:`kla_model.analysis.moves`) and picks, at
most one per item, the set that reaches the target tier at the least total cost.  The
choice is exact, not greedy (:mod:`kla_model.analysis.knapsack`).  Ties are broken, in order, by
fewest changes, most points gained, and the plan that changes items earlier in the
ruleset.  Each step is then lowered to the least target of the same item that still
reaches the tier at the same cost (a band or level lower, ``equal`` to a reference rather
than better than it, a linear value just high enough), items in ruleset order, so a
step never asks for more than the plan needs.

When the target cannot be reached, the plan says so, and by how many points the best
possible total (every allowed move made) falls short, and which must-pass conditions it
cannot meet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

import attrs

from kla_model._base.capped import MAX_PROBLEMS, first_problems, shown
from kla_model._base.json_schema import json_path
from kla_model._base.suggest import did_you_mean
from kla_model.analysis import plan_words as words
from kla_model.analysis.costs import Costs
from kla_model.analysis.goal import Goal, Held, Slot, declared, lowered
from kla_model.analysis.knapsack import Requirement, solve
from kla_model.analysis.moves import Move, item_moves
from kla_model.analysis.plan_result import ConditionGap, Plan, Step
from kla_model.analysis.steps import step_sentence
from kla_model.analysis.whatif import changed_submission
from kla_model.errors import PlanError, Problem
from kla_model.rules.model import Label, Lang
from kla_model.rules.points import as_fraction, difference
from kla_model.rules.ruleset import RuleSet
from kla_model.rules.tiers import Condition, Tier
from kla_model.scoring.engine import score
from kla_model.scoring.results import ScoreCard
from kla_model.submissions.submission import Submission, answer_to_data

__all__ = ["ConditionGap", "Plan", "Step", "plan"]


def _target(ruleset: RuleSet, card: ScoreCard, target: str | None, what: str) -> Tier:
    tiers = ruleset.tiers.tiers
    current = -1 if card.tier is None else tiers.index(card.tier)
    above = [tier.id for tier in tiers[current + 1 :]]
    if target is None:
        following = ruleset.tiers.above(card.tier)
        if following is None:
            message = f"expected a tier above the current one; {card.tier_label.en} is the top tier"
            raise PlanError(what, [Problem("target", message)])
        return following
    ids = [tier.id for tier in tiers]
    if target not in ids:
        hint = did_you_mean(target, ids)
        message = f"expected one of the tiers {', '.join(ids)}; found {shown(target)}{hint}"
        raise PlanError(what, [Problem("target", message)])
    if target not in above:
        expected = ", ".join(above) if above else "none: it is the top tier"
        message = (
            f"expected a tier above the current one ({card.tier_label.en}): {expected}; "
            f"found {shown(target)}"
        )
        raise PlanError(what, [Problem("target", message)])
    return ruleset.tiers.get(target)


def _costs(
    ruleset: RuleSet, cost: Costs | Mapping[str, float] | None, fixed: Iterable[str], what: str
) -> Costs:
    if cost is None:
        costs = Costs()
    elif isinstance(cost, Costs):
        costs = cost
    else:
        costs = Costs.by_id(cost, ruleset)
    fixed = list(fixed)
    unknown = (
        Problem(f"fixed: {json_path([index])}", f"unknown indicator or item id {shown(fixed_id)}")
        for index, fixed_id in enumerate(fixed)
        if fixed_id not in ruleset.indicators and fixed_id not in ruleset.items
    )
    problems = first_problems(unknown, "fixed")  # checking stops after a hundred
    if len(problems) <= MAX_PROBLEMS:
        problems += costs.problems(ruleset)
    if problems:
        raise PlanError(what, problems)
    return costs.with_fixed(fixed)


def _slots(
    ruleset: RuleSet, submission: Submission, card: ScoreCard, costs: Costs, held: Held
) -> list[Slot]:
    slots = []
    for group, indicator_score, item_score in card.trace():
        indicator = ruleset.indicators[indicator_score.id]
        item = ruleset.items[item_score.id]
        current = declared(ruleset, submission, indicator.id, item.id)
        frozen = costs.is_fixed(item.id, indicator.id) or item.id in held
        moves = () if frozen else item_moves(item, current, item_score.points, submission.year)
        unit_cost = costs.of(item.id, indicator.id)
        slots.append(Slot(group.id, indicator, item, current, item_score.points, unit_cost, moves))
    return slots


def _goal(ruleset: RuleSet, card: ScoreCard, target: Tier, slots: Sequence[Slot]) -> Goal:
    """The target as exact gains over the card (sums of the items' points, exactly)."""
    # The decimals the points stand for, added exactly: the engine's sums (rules/points.py).
    exact = {slot.item.id: as_fraction(slot.points) for slot in slots}
    total = Requirement(
        as_fraction(target.min) - sum(exact.values(), Fraction(0)), not target.min_inclusive
    )
    conditions = []
    for tier in ruleset.tiers.tiers[: ruleset.tiers.tiers.index(target) + 1]:
        for condition in tier.requires:
            scope = frozenset(
                index
                for index, slot in enumerate(slots)
                if (slot.indicator.id if condition.scope == "indicator" else slot.group)
                == condition.id
            )
            have = sum((as_fraction(slots[i].points) for i in scope), Fraction(0))
            need = Requirement(as_fraction(condition.min_points) - have, slots=scope)
            conditions.append((condition, tier, need))
    return Goal(
        total,
        tuple(conditions),
        card,
        ruleset.tiers,
        ruleset.tiers.tiers.index(target),
        {slot.item.id: index for index, slot in enumerate(slots)},
        ruleset.resolution,
    )


def _ref(slot: Slot, lang: Lang) -> str:
    """A one-item indicator is named as the indicator, another item as itself."""
    if len(slot.indicator.items) == 1:
        return f"{slot.indicator.id} {slot.indicator.label.text(lang)}"
    return f"{slot.item.id} {slot.item.label.text(lang)}"


def _step(slot: Slot, move: Move) -> Step:
    before = None if slot.answer is None else answer_to_data(slot.answer)
    after = answer_to_data(move.answer)
    kind = slot.item.rule.kind
    points = (slot.points, move.points)

    def sentence(lang: Lang) -> str:
        return step_sentence(
            kind,
            answers=(before, after),
            points=points,
            detail=move.detail,
            lang=lang,
            ref=_ref(slot, lang),
        )

    return Step(
        indicator=slot.indicator.id,
        item=slot.item.id,
        label=slot.item.label,
        kind=kind,
        before=before,
        after=after,
        points_before=slot.points,
        points_after=move.points,
        cost=slot.unit_cost * move.changes,
        changes=move.changes,
        sentence=Label(id=sentence("id"), en=sentence("en")),
    )


def _reached_plan(
    ruleset: RuleSet,
    *,
    submission: Submission,
    card: ScoreCard,
    target: Tier,
    slots: Sequence[Slot],
    chosen: Mapping[int, Move],
    held: Held,
    fixed: Sequence[str],
) -> Plan:
    steps = tuple(_step(slots[i], move) for i, move in sorted(chosen.items()))
    changed = changed_submission(ruleset, submission, {s.item: s.after for s in steps})
    new_card = score(ruleset, changed, stage=card.stage)
    facts = words.headline(card, target) | {
        "changes": words.changes_label(sum(step.changes for step in steps)),
        "cost": float(sum(step.cost for step in steps)),
        "gain": float(sum(step.gain for step in steps)),
        "new_total": new_card.total,
        "new_tier": words.tier_label(new_card.tier, new_card),
    }
    return Plan(
        ruleset=card.ruleset,
        region=card.region,
        year=card.year,
        total=card.total,
        tier=card.tier,
        target=target,
        reachable=True,
        steps=steps,
        new_total=new_card.total,
        new_tier=new_card.tier,
        short_by=0.0,
        conditions=(),
        blocked_by_fixed=False,
        summary=(
            words.provenance(card),
            words.both(words.REACHED, facts),
            *words.fixed_sentences(fixed),
            *words.held_sentences(card, held),
        ),
        fixed=tuple(fixed),
        stage=card.stage,
        corrected=held.corrected,
        needs_evidence=held.needs_evidence,
        withheld=held.withheld,
        none_label=card.none_label,
    )


def _best(slots: Sequence[Slot]) -> dict[int, Move]:
    return {index: slot.moves[-1] for index, slot in enumerate(slots) if slot.moves}


def _scope_points(card: ScoreCard, condition: Condition) -> float:
    if condition.scope == "indicator":
        return card.indicators[condition.id].points
    return next(group.points for group in card.groups if group.id == condition.id)


def _unreachable_plan(
    ruleset: RuleSet,
    *,
    submission: Submission,
    card: ScoreCard,
    target: Tier,
    slots: Sequence[Slot],
    goal: Goal,
    blocked_by_fixed: bool,
    held: Held,
    fixed: Sequence[str],
) -> Plan:
    best = _best(slots)
    changes = {slots[i].item.id: answer_to_data(move.answer) for i, move in best.items()}
    best_card = score(ruleset, changed_submission(ruleset, submission, changes), stage=card.stage)
    summary = [words.provenance(card), words.both(words.UNREACHABLE, words.headline(card, target))]
    short_by = max(difference(target.min, best_card.total), 0.0)
    if not target.admits(best_card.total):
        template = words.SHORT if short_by > 0 else words.SHORT_STRICT
        summary.append(
            words.both(template, {"best": best_card.total, "short": short_by, "min": target.min})
        )
    gaps = []
    for condition, tier, _ in goal.conditions:
        reached = _scope_points(best_card, condition)
        if reached >= condition.min_points:
            continue
        gap = ConditionGap(condition, tier, _scope_points(card, condition), reached)
        gaps.append(gap)
        facts = {
            "tier": tier.label,
            "scope": words.SCOPE[condition.scope],
            "id": condition.id,
            "min": condition.min_points,
            "best": reached,
            "short": gap.short_by,
        }
        summary.append(words.both(words.CONDITION_SHORT, facts))
    if blocked_by_fixed:
        summary.append(words.both(words.FIXED, {}))
    summary += words.fixed_sentences(fixed)
    summary += words.held_sentences(card, held)
    return Plan(
        ruleset=card.ruleset,
        region=card.region,
        year=card.year,
        total=card.total,
        tier=card.tier,
        target=target,
        reachable=False,
        steps=(),
        new_total=best_card.total,
        new_tier=best_card.tier,
        short_by=short_by,
        conditions=tuple(gaps),
        blocked_by_fixed=blocked_by_fixed,
        summary=tuple(summary),
        fixed=tuple(fixed),
        stage=card.stage,
        corrected=held.corrected,
        needs_evidence=held.needs_evidence,
        withheld=held.withheld,
        none_label=card.none_label,
    )


def plan(
    ruleset: RuleSet,
    submission: Submission,
    target: str | None = None,
    cost: Costs | Mapping[str, float] | None = None,
    fixed: Iterable[str] = (),
    *,
    stage: str | None = None,
) -> Plan:
    """The cheapest set of changes that takes ``submission`` to tier ``target``.

    ``target`` is a tier id (default: the tier right above the current one).  ``cost`` is a
    :class:`Costs`, or a mapping from indicator or item id to the cost of one change of it
    (default: every change costs 1); ``fixed`` names indicators or items that cannot change.
    ``stage`` is the stage whose score the plan starts from (default: the latest the
    submission has reached, as for :func:`score`).  A plan changes declared answers; at a
    verification stage it leaves alone what such a change cannot raise: items the verifiers
    corrected, and items that require evidence and have none accepted.
    Raises :class:`PlanError` for a target that does not exist or is not above the current
    tier, and for unknown ids or negative costs.  ``submission`` is not changed.
    """
    card = score(ruleset, submission, stage=stage)
    what = f"plan for {submission.origin}"
    goal_tier = _target(ruleset, card, target, what)
    costs = _costs(ruleset, cost, fixed, what)
    held = Held.of(ruleset, submission, card)
    slots = _slots(ruleset, submission, card, costs, held)
    goal = _goal(ruleset, card, goal_tier, slots)
    options = [[slot.option(move) for move in slot.moves] for slot in slots]
    conditions = [requirement for _, _, requirement in goal.conditions]
    choice = solve(options, goal.total, conditions)
    if choice is None:
        free = _slots(ruleset, submission, card, attrs.evolve(costs, fixed=()), held)
        blocked = bool(costs.fixed) and goal.met(_best(free))
        return _unreachable_plan(
            ruleset,
            submission=submission,
            card=card,
            target=goal_tier,
            slots=slots,
            goal=goal,
            blocked_by_fixed=blocked,
            held=held,
            fixed=costs.fixed,
        )
    chosen = {i: slots[i].moves[m] for i, m in enumerate(choice) if m is not None}
    return _reached_plan(
        ruleset,
        submission=submission,
        card=card,
        target=goal_tier,
        slots=slots,
        chosen=lowered(slots, goal, chosen),
        held=held,
        fixed=costs.fixed,
    )
