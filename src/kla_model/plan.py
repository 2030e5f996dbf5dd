"""The least a district must improve to reach a tier: an exact plan, step by step.

:func:`plan` looks at every item's feasible moves (:mod:`kla_model.moves`) and picks, at
most one per item, the set that reaches the target tier at the least total cost.  The
choice is exact, not greedy (:mod:`kla_model._knapsack`).  Ties are broken, in order, by
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

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from kla_model._goal import Goal, Slot, lowered
from kla_model._knapsack import Requirement, solve
from kla_model._schema import json_path
from kla_model._wording import join, number
from kla_model.conformance import item_answers
from kla_model.costs import Costs
from kla_model.engine import score
from kla_model.errors import PlanError, Problem
from kla_model.evidence import STAGE_LABELS, STAGES
from kla_model.model import Label, Lang
from kla_model.moves import Move, item_moves
from kla_model.plan_result import ConditionGap, Plan, Step
from kla_model.results import ScoreCard
from kla_model.ruleset import RuleSet
from kla_model.steps import step_sentence
from kla_model.submission import ItemAnswer, Submission, answer_to_data
from kla_model.tiers import Condition, Tier
from kla_model.whatif import changed_submission

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
        close = difflib.get_close_matches(target, ids, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        message = f"expected one of the tiers {', '.join(ids)}; found {target!r}{hint}"
        raise PlanError(what, [Problem("target", message)])
    if target not in above:
        expected = ", ".join(above) if above else "none: it is the top tier"
        message = (
            f"expected a tier above the current one ({card.tier_label.en}): {expected}; "
            f"found {target!r}"
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
    problems = [
        Problem(f"fixed: {json_path([index])}", f"unknown indicator or item id {fixed_id!r}")
        for index, fixed_id in enumerate(fixed)
        if fixed_id not in ruleset.indicators and fixed_id not in ruleset.items
    ]
    problems += costs.problems(ruleset)
    if problems:
        raise PlanError(what, problems)
    return costs.with_fixed(fixed)


@attrs.frozen
class _Held:
    """Items a changed answer cannot raise at the card's stage, and why."""

    #: Corrected by verifiers: their value, not the declared one, counts at this stage.
    corrected: tuple[str, ...]
    #: At a verification stage, items that require evidence and have none accepted.
    needs_evidence: tuple[str, ...]
    #: What the unverified answers among them would give with their evidence accepted.
    withheld: float

    @classmethod
    def of(cls, ruleset: RuleSet, submission: Submission, card: ScoreCard) -> _Held:
        verifying = card.stage != STAGES[0]
        corrected, needs_evidence, withheld = [], [], []
        for _, indicator, item in card.trace():
            rule = ruleset.items[item.id].evidence
            if item.outcome == "corrected":
                corrected.append(item.id)
            elif verifying and rule is not None and rule.required and not item.evidence:
                needs_evidence.append(item.id)
                declared = _declared(ruleset, submission, indicator.id, item.id)
                if item.outcome == "unverified" and declared is not None:
                    withheld.append(ruleset.items[item.id].rule.apply(declared).points)
        return cls(tuple(corrected), tuple(needs_evidence), math.fsum(withheld))

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.corrected or item_id in self.needs_evidence


def _declared(
    ruleset: RuleSet, submission: Submission, indicator_id: str, item_id: str
) -> ItemAnswer | None:
    answer = submission.answers.get(indicator_id)
    if answer is None:
        return None
    return item_answers(ruleset.indicators[indicator_id], answer).get(item_id)


def _slots(
    ruleset: RuleSet, submission: Submission, card: ScoreCard, costs: Costs, held: _Held
) -> list[Slot]:
    slots = []
    for group, indicator_score, item_score in card.trace():
        indicator = ruleset.indicators[indicator_score.id]
        item = ruleset.items[item_score.id]
        current = _declared(ruleset, submission, indicator.id, item.id)
        frozen = costs.is_fixed(item.id, indicator.id) or item.id in held
        moves = () if frozen else item_moves(item, current, item_score.points, submission.year)
        unit_cost = costs.of(item.id, indicator.id)
        slots.append(Slot(group.id, indicator, item, current, item_score.points, unit_cost, moves))
    return slots


def _goal(ruleset: RuleSet, card: ScoreCard, target: Tier, slots: Sequence[Slot]) -> Goal:
    """The target as exact gains over the card (sums of the items' points, exactly)."""
    exact = {slot.item.id: Fraction(slot.points) for slot in slots}  # the engine's sums, exactly
    total = Requirement(
        Fraction(target.min) - sum(exact.values(), Fraction(0)), not target.min_inclusive
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
            have = sum((Fraction(slots[i].points) for i in scope), Fraction(0))
            need = Requirement(Fraction(condition.min_points) - have, slots=scope)
            conditions.append((condition, tier, need))
    return Goal(
        total,
        tuple(conditions),
        card,
        ruleset.tiers,
        ruleset.tiers.tiers.index(target),
        {slot.item.id: index for index, slot in enumerate(slots)},
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


_REACHED = Label(
    id="Dari total {total}, {tier}, menuju {target} yang memerlukan total "
    "{threshold}: {changes} dengan biaya {cost}, +{gain} poin, sehingga total menjadi "
    "{new_total}, {new_tier}.",
    en="From a total of {total}, {tier}, to {target}, which needs a total {threshold}: "
    "{changes} at a cost of {cost}, +{gain} points, giving a total of {new_total}, "
    "{new_tier}.",
)
_UNREACHABLE = Label(
    id="Dari total {total}, {tier}, {target} yang memerlukan total {threshold} "
    "tidak dapat dicapai.",
    en="From a total of {total}, {tier}, {target}, which needs a total {threshold}, "
    "cannot be reached.",
)
_SHORT = Label(
    id="Dengan semua perubahan yang diizinkan, total paling tinggi {best}, "
    "{short} poin di bawah {min}.",
    en="With every change allowed the total is at most {best}, {short} points below {min}.",
)
_SHORT_STRICT = Label(
    id="Dengan semua perubahan yang diizinkan, total paling tinggi {best}, "
    "padahal harus lebih dari {min}.",
    en="With every change allowed the total is at most {best}, and it must be more than {min}.",
)
_CONDITION_SHORT = Label(
    id="{tier} mensyaratkan {scope} {id} mendapat sekurang-kurangnya {min} poin; "
    "paling tinggi {best} (kurang {short}).",
    en="{tier} requires {scope} {id} to score at least {min} points; "
    "it can reach at most {best} ({short} short).",
)
_SCOPE = {
    "indicator": Label(id="indikator", en="indicator"),
    "group": Label(id="kelompok", en="group"),
}
_FIXED = Label(
    id="Tanpa butir yang ditetapkan tidak berubah, peringkat ini dapat dicapai.",
    en="Without the ids fixed as unchangeable, the tier could be reached.",
)


_NEEDS_EVIDENCE = Label(
    id="Pada tahap {stage}, {count} butir hanya dihitung dengan data dukung yang diterima, "
    "sehingga rencana ini membiarkannya: {ids}.",
    en="At the {stage} stage, {count} items count only with accepted evidence, so the plan "
    "leaves them as they are: {ids}.",
)
_WITHHELD = Label(
    id="Bila data dukungnya diterima, jawaban yang sudah ada akan memberi kembali {points} poin.",
    en="With their evidence accepted, the answers already given would bring back {points} points.",
)
_CORRECTED = Label(
    id="Nilai yang dikoreksi verifikator tetap berlaku: {ids}.",
    en="The values the verifiers corrected stand: {ids}.",
)


def _held_sentences(card: ScoreCard, held: _Held) -> list[Label]:
    stage = STAGE_LABELS.get(card.stage, Label(id=card.stage, en=card.stage))
    stage_name = Label(id=stage.id.lower(), en=stage.en.lower())
    sentences = []
    if held.needs_evidence:
        facts = {"stage": stage_name, "count": str(len(held.needs_evidence))}
        ids = Label(
            id=join(list(held.needs_evidence), "id"), en=join(list(held.needs_evidence), "en")
        )
        sentences.append(_both(_NEEDS_EVIDENCE, facts | {"ids": ids}))
    if held.withheld > 0:
        sentences.append(_both(_WITHHELD, {"points": held.withheld}))
    if held.corrected:
        ids = Label(id=join(list(held.corrected), "id"), en=join(list(held.corrected), "en"))
        sentences.append(_both(_CORRECTED, {"ids": ids}))
    return sentences


def _both(template: Label, facts: Mapping[str, Any]) -> Label:
    """``template`` in both languages; facts that are numbers are formatted per language."""

    def filled(lang: Lang) -> str:
        shown = {
            key: number(value, lang) if isinstance(value, float) else value
            for key, value in facts.items()
        }
        shown |= {key: value.text(lang) for key, value in facts.items() if isinstance(value, Label)}
        return template.text(lang).format_map(shown)

    return Label(id=filled("id"), en=filled("en"))


def _changes_label(count: int) -> Label:
    return Label(id=f"{count} perubahan", en=f"{count} change{'' if count == 1 else 's'}")


def _tier_label(tier: Tier | None, card: ScoreCard) -> Label:
    """``tier Nindya`` (``peringkat Nindya``), or the scale's label for no tier."""
    if tier is None:
        return card.none_label
    return Label(id=f"peringkat {tier.label.id}", en=f"tier {tier.label.en}")


def _headline(card: ScoreCard, target: Tier) -> dict[str, Any]:
    return {
        "target": target.label,
        "threshold": target.threshold,
        "total": card.total,
        "tier": _tier_label(card.tier, card),
    }


def _reached_plan(
    ruleset: RuleSet,
    *,
    submission: Submission,
    card: ScoreCard,
    target: Tier,
    slots: Sequence[Slot],
    chosen: Mapping[int, Move],
    held: _Held,
) -> Plan:
    steps = tuple(_step(slots[i], move) for i, move in sorted(chosen.items()))
    changed = changed_submission(ruleset, submission, {s.item: s.after for s in steps})
    new_card = score(ruleset, changed, stage=card.stage)
    facts = _headline(card, target) | {
        "changes": _changes_label(sum(step.changes for step in steps)),
        "cost": float(sum(step.cost for step in steps)),
        "gain": float(sum(step.gain for step in steps)),
        "new_total": new_card.total,
        "new_tier": _tier_label(new_card.tier, new_card),
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
        summary=(_both(_REACHED, facts), *_held_sentences(card, held)),
        stage=card.stage,
        corrected=held.corrected,
        needs_evidence=held.needs_evidence,
        withheld=held.withheld,
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
    held: _Held,
) -> Plan:
    best = _best(slots)
    changes = {slots[i].item.id: answer_to_data(move.answer) for i, move in best.items()}
    best_card = score(ruleset, changed_submission(ruleset, submission, changes), stage=card.stage)
    summary = [_both(_UNREACHABLE, _headline(card, target))]
    short_by = max(target.min - best_card.total, 0.0)
    if not target.admits(best_card.total):
        template = _SHORT if short_by > 0 else _SHORT_STRICT
        summary.append(
            _both(template, {"best": best_card.total, "short": short_by, "min": target.min})
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
            "scope": _SCOPE[condition.scope],
            "id": condition.id,
            "min": condition.min_points,
            "best": reached,
            "short": gap.short_by,
        }
        summary.append(_both(_CONDITION_SHORT, facts))
    if blocked_by_fixed:
        summary.append(_both(_FIXED, {}))
    summary += _held_sentences(card, held)
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
        stage=card.stage,
        corrected=held.corrected,
        needs_evidence=held.needs_evidence,
        withheld=held.withheld,
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
    held = _Held.of(ruleset, submission, card)
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
    )
