"""Score cards: points per item, indicator, group and total, the tier, and the trace.

A card carries the labels of what it scored, so it can be shown, explained and
serialised without the ruleset at hand; ``to_dict`` is JSON-safe and validates against the
shipped ``result`` schema, and ``ScoreCard.from_dict(card.to_dict()) == card``.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import attrs

from kla_model._base.display import html_view, text_view
from kla_model._base.frozen import freeze, thaw
from kla_model._base.json_schema import schema_problems
from kla_model.errors import Problem, ResultError
from kla_model.rules.answers import ItemAnswer, trace_input
from kla_model.rules.model import Item, Label, Region
from kla_model.rules.ruleset_ref import RuleSetRef
from kla_model.rules.tiers import ConditionResult, Tier, TierEligibility

__all__ = [
    "OUTCOMES",
    "GroupScore",
    "IndicatorScore",
    "ItemScore",
    "LazyGroups",
    "RuleSetRef",
    "ScoreCard",
    "declared_item_score",
]


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
    score the answer.  How the engine scores an answer at the self-assessment: the rule's
    outcome, a look-up in its own table of answers where they are finite."""
    evaluated = item.rule.evaluate(answer)
    if evaluated is None:
        return None
    points, matched = evaluated
    data = trace_input(answer)
    return ItemScore(item.id, item.label, points, item.max, item.rule.kind, "scored", data, matched)


class IndicatorScore(NamedTuple):
    """An indicator's points: the sum of its items' points (a named tuple, like ItemScore)."""

    id: str
    label: Label
    points: float
    max: float
    answered: bool
    items: tuple[ItemScore, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label.to_dict(),
            "points": self.points,
            "max": self.max,
            "answered": self.answered,
            "items": [item.to_dict() for item in self.items],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IndicatorScore:
        return cls(
            id=data["id"],
            label=Label.from_dict(data["label"]),
            points=data["points"],
            max=data["max"],
            answered=data["answered"],
            items=tuple(ItemScore.from_dict(item) for item in data["items"]),
        )


class GroupScore(NamedTuple):
    """Institutional strengthening or a cluster: the sum of its indicators' points."""

    id: str
    label: Label
    points: float
    max: float
    indicators: tuple[IndicatorScore, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label.to_dict(),
            "points": self.points,
            "max": self.max,
            "indicators": [indicator.to_dict() for indicator in self.indicators],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GroupScore:
        return cls(
            id=data["id"],
            label=Label.from_dict(data["label"]),
            points=data["points"],
            max=data["max"],
            indicators=tuple(IndicatorScore.from_dict(ind) for ind in data["indicators"]),
        )


class LazyGroups(abc.ABC):
    """A card's groups not made yet: called, it makes them (``card.groups``).  What else it
    holds is for those that write the card without them (see
    :mod:`kla_model.scoring.card_json`)."""

    __slots__ = ()

    @abc.abstractmethod
    def __call__(self) -> tuple[GroupScore, ...]:
        """The groups' records, made now."""


def _materialised(
    groups: tuple[GroupScore, ...] | Callable[[], tuple[GroupScore, ...]],
) -> tuple[GroupScore, ...]:
    return groups() if callable(groups) else groups


def _shown_groups(groups: Any) -> str:
    return repr(_materialised(groups))


def _built(card: ScoreCard) -> tuple[GroupScore, ...]:
    groups = card._groups
    if callable(groups):
        groups = groups()
        object.__setattr__(card, "_groups", groups)  # made once, then kept: still immutable
    return groups


def _eligibility_from_dict(data: Mapping[str, Any]) -> TierEligibility:
    return TierEligibility(
        tier=Tier.from_dict(data["tier"]),
        reached=data["reached"],
        points_short=data["points_short"],
        failed=tuple(ConditionResult.from_dict(result) for result in data["failed"]),
    )


def _eligibility_to_dict(eligibility: TierEligibility) -> dict[str, Any]:
    return {**eligibility.to_dict(), "tier": eligibility.tier.to_dict()}


@attrs.frozen
class ScoreCard:
    """The result of scoring one submission with one ruleset at one stage."""

    ruleset: RuleSetRef
    region: Region
    year: int
    stage: str
    total: float
    max_score: float
    tier: Tier | None
    next_tier: Tier | None
    points_to_next_tier: float | None
    eligibility: tuple[TierEligibility, ...]
    #: The groups, or a function that makes them: ``score()`` builds the trace only when it
    #: is first read (``groups``), since most callers of a single score read the total and
    #: tier.  Compared and shown as the groups it stands for (and left out of the hash).
    _groups: tuple[GroupScore, ...] | Callable[[], tuple[GroupScore, ...]] = attrs.field(
        alias="groups", eq=_materialised, hash=False, repr=_shown_groups
    )
    none_label: Label

    @property
    def groups(self) -> tuple[GroupScore, ...]:
        """Every group's score, with its indicators' and items' (made on first read)."""
        return _built(self)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled with its groups made, not the function that would make them.
        fields = {field.alias: getattr(self, field.name) for field in attrs.fields(ScoreCard)}
        return (_card_from_fields, ({**fields, "groups": self.groups},))

    @property
    def tier_label(self) -> Label:
        """The tier's label, or the scale's label for no tier."""
        return self.none_label if self.tier is None else self.tier.label

    @property
    def points_to_next_tier_inclusive(self) -> bool | None:
        """How to read :attr:`points_to_next_tier`: ``True``, the next tier needs at least
        that many more points (its threshold is ``≥``); ``False``, *more than* that many
        (``>``, as every bundled tier above Pratama); ``None`` at the top tier.

        ``points_to_next_tier`` is the gap between the total and the next tier's threshold,
        0 once the total clears it.  It counts the total only: when the total is enough but
        a must-pass condition of the next tier fails, it is 0 and
        :attr:`next_tier_blocked_by` names the conditions.
        """
        return None if self.next_tier is None else self.next_tier.min_inclusive

    @property
    def next_tier_blocked_by(self) -> tuple[ConditionResult, ...]:
        """The must-pass conditions of the next tier this card fails (empty if none, or at
        the top tier)."""
        if self.next_tier is None:
            return ()
        for entry in self.eligibility:
            if entry.tier.id == self.next_tier.id:
                return entry.failed
        return ()

    def __repr__(self) -> str:
        tier = "no tier" if self.tier is None else self.tier.id
        return (
            f"<ScoreCard {self.region.name} {self.year} {self.stage}: {self.total:g}/"
            f"{self.max_score:g} {tier} · {self.ruleset.id} {self.ruleset.version} "
            f"({self.ruleset.status})>"
        )

    def __str__(self) -> str:
        """The card as ``kla score`` prints it (rendered by :mod:`kla_model.views.report`)."""
        return text_view(self)

    @property
    def indicators(self) -> dict[str, IndicatorScore]:
        """Every indicator's score, keyed by indicator id, in ruleset order."""
        return {ind.id: ind for group in self.groups for ind in group.indicators}

    @property
    def missing(self) -> tuple[str, ...]:
        """The ids of the indicators the submission did not answer (each scored 0)."""
        return tuple(
            ind.id for group in self.groups for ind in group.indicators if not ind.answered
        )

    def trace(self) -> Iterator[tuple[GroupScore, IndicatorScore, ItemScore]]:
        """Every item's score with the indicator and group it belongs to, in ruleset order."""
        for group in self.groups:
            for indicator in group.indicators:
                for item in indicator.items:
                    yield group, indicator, item

    def _repr_html_(self) -> str:
        """The card as HTML, for notebooks (rendered by :mod:`kla_model.views.html`)."""
        return html_view(self)

    def to_dict(self) -> dict[str, Any]:
        """The card as JSON-safe data, valid against the shipped ``result`` schema.

        The data is the caller's own: changing it changes no other card's data, nor this
        card's records.
        """
        data = [group.to_dict() for group in self.groups]
        missing = [
            indicator["id"]
            for group in data
            for indicator in group["indicators"]
            if not indicator["answered"]
        ]
        return {
            "ruleset": self.ruleset.to_dict(),
            "region": self.region.to_dict(),
            "year": self.year,
            "stage": self.stage,
            "total": self.total,
            "max_score": self.max_score,
            "tier": None if self.tier is None else self.tier.to_dict(),
            "next_tier": None if self.next_tier is None else self.next_tier.to_dict(),
            "points_to_next_tier": self.points_to_next_tier,
            "points_to_next_tier_inclusive": self.points_to_next_tier_inclusive,
            "next_tier_blocked_by": [result.to_dict() for result in self.next_tier_blocked_by],
            "none_label": self.none_label.to_dict(),
            "missing": missing,
            "eligibility": [_eligibility_to_dict(e) for e in self.eligibility],
            "groups": data,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "score card") -> ScoreCard:
        """Rebuild a card from :meth:`to_dict` output.

        The data is checked against the shipped ``result`` schema first (numbers included), so
        anything else raises :class:`~kla_model.KlaError` (a ``ResultError``) naming every
        problem, never a ``KeyError`` or ``OverflowError`` from half-way through.
        """
        if not isinstance(data, Mapping):
            found = type(data).__name__
            raise ResultError(source, [Problem(source, f"expected a mapping; found {found}")])
        problems = schema_problems("result", dict(data), source)
        if problems:
            raise ResultError(source, problems)
        try:
            return cls._from_valid(data)
        except (KeyError, TypeError, ValueError) as bad:  # the schema and the reader disagree
            problem = Problem(source, f"expected a score card as to_dict() writes it: {bad!r}")
            raise ResultError(source, [problem]) from None

    @classmethod
    def _from_valid(cls, data: Mapping[str, Any]) -> ScoreCard:
        tier, next_tier = data["tier"], data["next_tier"]
        return cls(
            ruleset=RuleSetRef.from_dict(data["ruleset"]),
            region=Region.from_dict(data["region"]),
            year=data["year"],
            stage=data["stage"],
            total=data["total"],
            max_score=data["max_score"],
            tier=None if tier is None else Tier.from_dict(tier),
            next_tier=None if next_tier is None else Tier.from_dict(next_tier),
            points_to_next_tier=data["points_to_next_tier"],
            eligibility=tuple(_eligibility_from_dict(e) for e in data["eligibility"]),
            groups=tuple(GroupScore.from_dict(group) for group in data["groups"]),
            none_label=Label.from_dict(data["none_label"]),
        )


def _card_from_fields(fields: dict[str, Any]) -> ScoreCard:
    """A card from its fields, by their names in ``ScoreCard(...)`` (for pickling)."""
    return ScoreCard(**fields)
