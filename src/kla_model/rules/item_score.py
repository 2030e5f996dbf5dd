"""An item's score: its points and the trace of how they came about.

It lives with the rules because a rule's outcome for an answer is already an item score:
a ruleset tabulates the declared scores of its short answers when it is built, and the
engine (:mod:`kla_model.scoring.engine`) adds what verification changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from kla_model._base.frozen import freeze, thaw
from kla_model.rules.answers import ItemAnswer, trace_input
from kla_model.rules.model import Item, Label

__all__ = ["OUTCOMES", "ItemScore", "declared_item_score"]

#: Trace outcomes: the item was answered and scored as declared; it had no answer; its
#: value was corrected by a verifier and the corrected value scored; or it requires
#: evidence that no verifier has accepted by this stage, so it scores 0.
OUTCOMES = ("scored", "missing", "corrected", "unverified")


class ItemScore(NamedTuple):
    """One item's points and the trace of how they came about.

    A named tuple rather than an attrs class: a card holds one per item of the ruleset, and
    building them is most of the time ``score()`` takes (see ``docs/performance.md``).  It is
    just as immutable, and its trace records (``matched``) are read-only mappings.
    """

    id: str
    label: Label
    points: float
    max: float
    kind: str
    outcome: str
    #: The answer scored: the declared one, or the value a verifier corrected it to.
    input: Any
    matched: Mapping[str, Any]
    #: The ids of the evidence behind the points: attached (self-assessment) or accepted.
    evidence: tuple[str, ...] = ()
    #: For a corrected value: the declared answer, and the stage, verifier and reason.
    correction: Mapping[str, Any] | None = None

    def __hash__(self) -> int:
        # The trace records are mappings; the score itself identifies the item's result.
        return hash((self.id, self.points, self.max, self.kind, self.outcome, self.evidence))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label.to_dict(),
            "points": self.points,
            "max": self.max,
            "kind": self.kind,
            "outcome": self.outcome,
            "input": thaw(self.input),
            "matched": thaw(self.matched),
            "evidence": list(self.evidence),
            "correction": None if self.correction is None else dict(self.correction),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ItemScore:
        return cls(
            id=data["id"],
            label=Label.from_dict(data["label"]),
            points=data["points"],
            max=data["max"],
            kind=data["kind"],
            outcome=data["outcome"],
            input=freeze(data["input"]),
            matched=freeze(data["matched"]),
            evidence=tuple(data.get("evidence", ())),
            correction=data.get("correction"),
        )


def declared_item_score(item: Item, answer: ItemAnswer) -> ItemScore | None:
    """``item``'s score for ``answer`` taken as declared, or ``None`` if its rule cannot
    score the answer.  The engine's plain path, and the tables a ruleset makes of it."""
    evaluated = item.rule.evaluate(answer)
    if evaluated is None:
        return None
    points, matched = evaluated
    data = trace_input(answer)
    return ItemScore(item.id, item.label, points, item.max, item.rule.kind, "scored", data, matched)
