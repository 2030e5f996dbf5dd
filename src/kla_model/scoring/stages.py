"""A submission scored at every stage of the evaluation, and why its score changed.

:func:`score_stages` scores a submission at each of :data:`~kla_model.STAGES` and compares
consecutive stages item by item.  Each item whose points changed carries its causes: a
verifier's correction, a decision on its evidence, or required evidence that no verifier
accepted.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import attrs

from kla_model._base.display import html_view
from kla_model._base.text import format_number
from kla_model.rules.answers import ItemAnswer, Measurement
from kla_model.rules.model import Item, Label, Region
from kla_model.rules.point_rules import same_points
from kla_model.rules.points import difference
from kla_model.rules.ruleset import RuleSet
from kla_model.scoring.engine import score
from kla_model.scoring.results import ItemScore, RuleSetRef, ScoreCard
from kla_model.submissions.conformance import item_answers
from kla_model.submissions.evidence import STAGE_LABELS, STAGES, reason_text
from kla_model.submissions.stage_view import StageView, stage_view, supported_items
from kla_model.submissions.submission import Submission

__all__ = ["CAUSE_KINDS", "Cause", "ItemChange", "StageChange", "StageHistory", "score_stages"]

#: Why an item's points changed between two stages: a verifier ``corrected`` its value,
#: ``rejected`` or ``accepted`` a piece of its evidence; its evidence is ``pending`` (no
#: verifier has decided on it); or ``no_evidence`` of a kind it accepts was attached.
CAUSE_KINDS = ("corrected", "rejected", "accepted", "pending", "no_evidence")


@attrs.frozen
class Cause:
    """One reason an item's points changed at a stage, in words (Indonesian and English)."""

    kind: str = attrs.field(validator=attrs.validators.in_(CAUSE_KINDS))
    stage: str
    text: Label
    #: The piece of evidence concerned, if any.
    evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "stage": self.stage,
            "evidence": self.evidence,
            "text": self.text.to_dict(),
        }


@attrs.frozen
class ItemChange:
    """An item whose points differ between two consecutive stages, and why."""

    indicator: str
    item: str
    label: Label
    before: float
    after: float
    causes: tuple[Cause, ...]

    @property
    def delta(self) -> float:
        return difference(self.after, self.before)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "item": self.item,
            "label": self.label.to_dict(),
            "before": self.before,
            "after": self.after,
            "delta": self.delta,
            "causes": [cause.to_dict() for cause in self.causes],
        }


@attrs.frozen
class StageChange:
    """How the score changed from one stage to the next, item by item in ruleset order."""

    before: ScoreCard
    after: ScoreCard
    items: tuple[ItemChange, ...]

    @property
    def delta(self) -> float:
        return difference(self.after.total, self.before.total)

    def main(self, count: int) -> tuple[ItemChange, ...]:
        """The ``count`` item changes that moved the total most (ties in ruleset order)."""
        ranked = sorted(enumerate(self.items), key=lambda pair: (-abs(pair[1].delta), pair[0]))
        return tuple(change for _, change in ranked[:count])

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.before.stage,
            "to": self.after.stage,
            "before": self.before.total,
            "after": self.after.total,
            "delta": self.delta,
            "items": [change.to_dict() for change in self.items],
        }


def _stage_summary(card: ScoreCard) -> dict[str, Any]:
    return {
        "stage": card.stage,
        "label": STAGE_LABELS[card.stage].to_dict(),
        "total": card.total,
        "tier": None if card.tier is None else card.tier.id,
        "tier_label": card.tier_label.to_dict(),
        "points_to_next_tier": card.points_to_next_tier,
    }


@attrs.frozen
class StageHistory:
    """A submission's score card at every stage, and the changes between them."""

    cards: tuple[ScoreCard, ...]
    changes: tuple[StageChange, ...]

    def __repr__(self) -> str:
        stages = " → ".join(f"{card.stage} {card.total:g}" for card in self.cards)
        rs = self.ruleset
        return (
            f"<StageHistory {self.region.name} {self.cards[0].year}: {stages} · "
            f"{rs.id} {rs.version} ({rs.status})>"
        )

    @property
    def region(self) -> Region:
        return self.cards[0].region

    @property
    def ruleset(self) -> RuleSetRef:
        return self.cards[0].ruleset

    def card(self, stage: str) -> ScoreCard:
        """The card at ``stage``; ``KeyError`` for a stage that is not one of ``STAGES``."""
        for card in self.cards:
            if card.stage == stage:
                return card
        raise KeyError(stage)

    def _repr_html_(self) -> str:
        """The history as HTML, for notebooks (rendered by :mod:`kla_model.views.html`)."""
        return html_view(self)

    def to_dict(self) -> dict[str, Any]:
        """The totals per stage and every change with its causes; valid against the
        shipped ``stages`` schema.  The full card of a stage is ``score(..., stage=...)``."""
        first = self.cards[0]
        return {
            "ruleset": first.ruleset.to_dict(),
            "region": first.region.to_dict(),
            "year": first.year,
            "max_score": first.max_score,
            "stages": [_stage_summary(card) for card in self.cards],
            "changes": [change.to_dict() for change in self.changes],
        }


def _shown(answer: ItemAnswer, lang: str = "en") -> str:
    """An answer as causes quote it: ``97.1`` (``97,1``), ``true``, ``perda``, ``[a, b]``."""
    if isinstance(answer, Measurement):
        return format_number(answer.value, "id" if lang == "id" else "en")
    if isinstance(answer, bool):
        return "true" if answer else "false"
    if isinstance(answer, tuple):
        return f"[{', '.join(answer)}]"
    return answer


class _Causes:
    """Finds why an item's points changed from the stage seen by ``before`` to ``after``."""

    def __init__(
        self, ruleset: RuleSet, submission: Submission, before: StageView, after: StageView
    ) -> None:
        self.titles = {piece.id: piece.title for piece in submission.evidence}
        #: Item id -> every piece that can support it, whenever it was handed in.
        self.late: dict[str, list[str]] = {}
        for piece in submission.evidence:
            for item_id in supported_items(ruleset, piece):
                self.late.setdefault(item_id, []).append(piece.id)
        self.before = before
        self.after = after

    def of(self, item: Item, declared: ItemAnswer | None) -> tuple[Cause, ...]:
        causes = [*self._correction(item, declared), *self._decisions(item)]
        if not causes:
            causes = list(self._unverified(item))
        return tuple(causes)

    def _correction(self, item: Item, declared: ItemAnswer | None) -> Iterator[Cause]:
        correction = self.after.corrections.get(item.id)
        if correction is None or correction.stage != self.after.stage or declared is None:
            return
        earlier = self.before.corrections.get(item.id)
        old = declared if earlier is None else earlier.value
        new = correction.value
        label = STAGE_LABELS[correction.stage]
        text = Label(
            f"nilai dikoreksi dari {_shown(old, 'id')} menjadi {_shown(new, 'id')} pada "
            f"{label.id.lower()}: {reason_text(correction.reason, 'id')}",
            f"value corrected from {_shown(old)} to {_shown(new)} at {label.en.lower()}: "
            f"{reason_text(correction.reason, 'en')}",
        )
        yield Cause("corrected", correction.stage, text)

    def _decisions(self, item: Item) -> Iterator[Cause]:
        stage = self.after.stage
        found = []
        for evidence_id in self.after.attached.get(item.id, ()):
            decision = self.after.decisions.get(evidence_id)
            if decision is None or decision.stage != stage:
                continue
            title = self.titles[evidence_id]
            label = STAGE_LABELS[stage]
            verb_id, verb_en = (
                ("diterima", "accepted") if decision.accepted else ("ditolak", "rejected")
            )
            text = Label(
                f"data dukung '{title}' {verb_id} pada {label.id.lower()}: "
                f"{reason_text(decision.reason, 'id')}",
                f"evidence '{title}' {verb_en} at {label.en.lower()}: "
                f"{reason_text(decision.reason, 'en')}",
            )
            kind = "accepted" if decision.accepted else "rejected"
            found.append(Cause(kind, stage, text, evidence_id))
        # Rejections first: they are what a district needs to act on.
        return iter(sorted(found, key=lambda cause: cause.kind != "rejected"))

    def _unverified(self, item: Item) -> Iterator[Cause]:
        stage = self.after.stage
        label = STAGE_LABELS[stage]
        attached = self.after.attached.get(item.id, ())
        waiting = [e for e in attached if self.after.status[e] == "pending"]
        if waiting:
            titles = ", ".join(f"'{self.titles[e]}'" for e in waiting)
            text = Label(
                f"data dukung {titles} belum diverifikasi pada {label.id.lower()}",
                f"evidence {titles} not yet verified at {label.en.lower()}: "
                "no verifier accepted it",
            )
            yield Cause("pending", stage, text, waiting[0])
            return
        late = [e for e in self.late.get(item.id, ()) if self.after.status[e] == "not_submitted"]
        if late:
            titles = ", ".join(f"'{self.titles[e]}'" for e in late)
            text = Label(
                f"data dukung {titles} belum diserahkan pada {label.id.lower()}",
                f"evidence {titles} not yet handed in at {label.en.lower()}",
            )
            yield Cause("pending", stage, text, late[0])
            return
        if not attached:
            kinds = ", ".join(item.evidence.kinds) if item.evidence is not None else "any"
            text = Label(
                f"tidak ada data dukung yang dilampirkan (jenis yang diterima: {kinds})",
                f"no evidence attached (kinds accepted: {kinds})",
            )
            yield Cause("no_evidence", stage, text)


def _declared(submission: Submission, ruleset: RuleSet, indicator_id: str) -> dict[str, ItemAnswer]:
    answer = submission.answers.get(indicator_id)
    if answer is None:
        return {}
    return dict(item_answers(ruleset.indicators[indicator_id], answer))


def _item_changes(
    ruleset: RuleSet, submission: Submission, before: ScoreCard, after: ScoreCard
) -> tuple[ItemChange, ...]:
    causes = _Causes(
        ruleset,
        submission,
        stage_view(ruleset, submission, before.stage),
        stage_view(ruleset, submission, after.stage),
    )
    changes = []
    old_items: dict[str, ItemScore] = {item.id: item for _, _, item in before.trace()}
    for _, indicator, item in after.trace():
        old = old_items[item.id]
        if same_points(old.points, item.points):
            continue
        declared = _declared(submission, ruleset, indicator.id).get(item.id)
        rule_item = ruleset.items[item.id]
        changes.append(
            ItemChange(
                indicator.id,
                item.id,
                item.label,
                old.points,
                item.points,
                causes.of(rule_item, declared),
            )
        )
    return tuple(changes)


def score_stages(ruleset: RuleSet, submission: Submission) -> StageHistory:
    """Score ``submission`` at every stage of :data:`~kla_model.STAGES`, in order, and
    explain, item by item, each change between consecutive stages.

    Raises :class:`~kla_model.SubmissionError` like :func:`~kla_model.score`.
    """
    cards = tuple(score(ruleset, submission, stage=stage) for stage in STAGES)
    changes = tuple(
        StageChange(before, after, _item_changes(ruleset, submission, before, after))
        for before, after in itertools.pairwise(cards)
    )
    return StageHistory(cards, changes)
