"""A score card's trace as plain data, straight from the answers: ``to_dict`` without
building a record per item, indicator and group first.

A card's ``to_dict()`` is what the web service sends back, and it holds some 400 dicts and
lists for a bundled ruleset.  Most of them do not depend on the submission: an item's label,
and for a yes/no, levels or short checklist answer the item's whole entry (the ruleset
tabulates those scores, ``RuleSet.declared``).  So :func:`layout_of` writes each such entry
down once per ruleset as plain data, with a function that copies it fresh (a dict that only
holds text and numbers is copied by ``dict.copy`` itself, without a Python call), and
:class:`CompactTrace` fills in the rest from the answers: the points of measured answers,
each indicator's and group's sum, what was answered.  Every container it returns is new, so
changing the data never changes another card's or the ruleset's.

The data equals ``[group.to_dict() for group in card.groups]``, the records' own output (a
property test holds the two equal); anything the compact path does not expect makes it
return ``None`` and the card serialises its records instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from kla_model._base.frozen import thaw
from kla_model.rules.answers import Measurement
from kla_model.rules.model import Indicator, Item
from kla_model.rules.ruleset import RuleSet
from kla_model.rules.tiers import TierVerdict, tier_verdict
from kla_model.scoring.results import (
    GroupScore,
    IndicatorScore,
    ItemScore,
    LazyGroups,
)
from kla_model.submissions.submission import ItemAnswers, Submission

__all__ = ["CardLayout", "CompactTrace", "TierVerdict", "layout_of"]

#: A function that returns a new copy of one piece of plain data.
Fresh = Callable[[], Any]

#: How many entries of measured answers an item keeps copiers of: a bound that a rule with
#: many shared records (a long reference series) cannot pass.
_MAX_KEPT_RECORDS = 1024


def fresh_copier(value: Any) -> Fresh:
    """A function returning a new copy of plain data ``value``: every dict and list new,
    the leaves (text, numbers, booleans, ``None``, which cannot change) shared.

    A container of leaves only is copied by its own ``copy`` (no Python call); a nested one
    by one call that copies each container from a template, in document order.
    """
    if not _is_container(value):
        raise TypeError(f"expected a dict or list; found {type(value).__name__}")
    steps: list[tuple[int, Any, Any]] = []
    root = _template(value, steps)
    if not steps:
        return root.copy  # type: ignore[no-any-return]
    return functools.partial(_copied, root, tuple(steps))


def _is_container(value: object) -> bool:
    kind = type(value)
    if kind is dict or kind is list:
        return True
    if value is None or kind in (str, bool, int, float):
        return False
    raise TypeError(f"expected plain data; found {kind.__name__}")


def _template(value: Any, steps: list[tuple[int, Any, Any]]) -> Any:
    """``value``'s own container, with each nested container added to ``steps`` as
    (index of its parent in the order made, its key or index there, its template)."""
    copied = value.copy()
    parent = len(steps)  # the root is made first (0); each step makes the next
    pairs = value.items() if type(value) is dict else enumerate(value)
    for key, item in pairs:
        if _is_container(item):
            placeholder = len(steps)
            steps.append((parent, key, None))
            steps[placeholder] = (parent, key, _template(item, steps))
    return copied


def _copied(root: Any, steps: tuple[tuple[int, Any, Any], ...]) -> Any:
    made = [root.copy()]
    append = made.append
    for parent, key, template in steps:
        copied = template.copy()
        made[parent][key] = copied
        append(copied)
    return made[0]


class _ItemLayout(NamedTuple):
    id: str
    item: Item
    #: The ruleset's score of each answer it tabulated (``RuleSet.declared``).
    declared: Mapping[object, ItemScore]
    #: Of the tabulated answers met so far: the points and a copier of the entry, made on
    #: first use (a short checklist has 65 orders of ticks; most are never answered).
    tabled: dict[object, tuple[float, Fresh]]
    #: The item's whole entry when it is not answered.
    missing: Fresh
    #: For a measured answer, by the identity of its rule's trace record: a copier of the
    #: entry but for its input.  Only rules that hand out one of a fixed set of shared
    #: records have one (bands, reference series); others make a record per answer.
    kept: dict[int, tuple[Mapping[str, Any], Fresh]] | None


class _IndicatorLayout(NamedTuple):
    id: str
    head: dict[str, Any]
    label: Fresh
    items: tuple[_ItemLayout, ...]
    #: The whole entry of the indicator when it is not answered.
    unanswered: Fresh


class _GroupLayout(NamedTuple):
    head: dict[str, Any]
    label: Fresh
    indicators: tuple[_IndicatorLayout, ...]


class CardLayout:
    """What every score card of one ruleset shares, as plain data made once."""

    def __init__(self, ruleset: RuleSet) -> None:
        # Nothing here refers to the ruleset itself, only to its parts: the layout is kept
        # while the ruleset lives, and a reference back would keep both forever.
        self.add = ruleset.resolution.add
        self.indicator_ids = frozenset(ruleset.indicators)
        self._ruleset_groups = ruleset.groups
        self._declared = ruleset.declared
        self._groups: tuple[_GroupLayout, ...] | None = None
        self._tiers = ruleset.tiers
        self._subtract = ruleset.resolution.subtract
        self._verdicts: dict[float, TierVerdict] = {}

    @property
    def groups(self) -> tuple[_GroupLayout, ...]:
        """The groups' entries: made when a card's data is first written, not when a card is
        only scored (``kla score`` prints one card and needs none of this)."""
        if self._groups is None:
            self._groups = tuple(
                _GroupLayout(
                    {"id": group.id, "label": None, "points": 0.0, "max": group.max},
                    group.label.to_dict().copy,
                    tuple(_indicator(ind, self._declared) for ind in group.indicators),
                )
                for group in self._ruleset_groups
            )
        return self._groups

    def verdict(self, total: float) -> TierVerdict:
        """What a tier scale without must-pass conditions says of ``total``: the same for
        every card with that total, so worked out once (totals are multiples of the
        ruleset's resolution: a bounded number of them are kept)."""
        known = self._verdicts.get(total)
        if known is not None:
            return known
        verdict = tier_verdict(self._tiers, total, {}, self._subtract)
        if len(self._verdicts) < _MAX_KEPT_VERDICTS:
            self._verdicts[total] = verdict
        return verdict


#: How many totals' tier verdicts a layout keeps (a bundled ruleset has 4,001 totals).
_MAX_KEPT_VERDICTS = 8192


def _entry(score: ItemScore) -> Fresh:
    return fresh_copier(score.to_dict())


#: The rule kinds whose outcomes are one of a fixed set of shared records.
_SHARED_RECORDS = frozenset({"bands", "reference"})


def _indicator(
    indicator: Indicator, declared: Mapping[str, Mapping[object, ItemScore]]
) -> _IndicatorLayout:
    items = tuple(
        _ItemLayout(
            item.id,
            item,
            declared[item.id],
            {},
            fresh_copier(_missing(item).to_dict()),
            {} if item.rule.kind in _SHARED_RECORDS else None,
        )
        for item in indicator.items
    )
    missing = tuple(_missing(item) for item in indicator.items)
    unanswered = IndicatorScore(indicator.id, indicator.label, 0.0, indicator.max, False, missing)
    head = {**unanswered.to_dict(), "label": None, "answered": True, "items": None}
    return _IndicatorLayout(
        indicator.id,
        head,
        indicator.label.to_dict().copy,
        items,
        fresh_copier(unanswered.to_dict()),
    )


def _missing(item: Item) -> ItemScore:
    return ItemScore(item.id, item.label, 0.0, item.max, item.rule.kind, "missing", None, {})


def layout_of(ruleset: RuleSet) -> CardLayout:
    """``ruleset``'s card layout: made on first use and kept with the ruleset
    (:meth:`RuleSet.derived`)."""
    return ruleset.derived("card layout", CardLayout)


class _NotExpectedError(Exception):
    """An answer the compact path does not know: the card's records say what it scores."""


class CompactTrace(LazyGroups):
    """A card's trace as the ruleset and the submission it was scored from: the records are
    made when read (``card.groups``), the plain data straight from the layout (``data``)."""

    __slots__ = ("_make", "_ruleset", "_submission")

    def __init__(
        self,
        ruleset: RuleSet,
        submission: Submission,
        make: Callable[[], tuple[GroupScore, ...]],
    ) -> None:
        self._ruleset = ruleset
        self._submission = submission
        self._make = make

    def __call__(self) -> tuple[GroupScore, ...]:
        return self._make()

    def data(self) -> list[dict[str, Any]] | None:
        try:
            return _groups_data(layout_of(self._ruleset), self._submission.answers)
        except _NotExpectedError:
            return None


def _groups_data(layout: CardLayout, answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    if not answers.keys() <= layout.indicator_ids:
        raise _NotExpectedError
    add = layout.add
    groups = []
    for head, label, indicators in layout.groups:
        data = [_indicator_data(layout, ind, answers.get(ind.id)) for ind in indicators]
        group = head.copy()
        group["label"] = label()
        group["points"] = add([indicator["points"] for indicator in data])
        group["indicators"] = data
        groups.append(group)
    return groups


def _indicator_data(layout: CardLayout, indicator: _IndicatorLayout, answer: Any) -> Any:
    if answer is None:
        return indicator.unanswered()
    items = indicator.items
    if type(answer) is ItemAnswers:
        answered = answer.items
    elif len(items) == 1:
        answered = {items[0].id: answer}
    else:
        raise _NotExpectedError
    entries = []
    points = []
    found = 0
    # Written as one loop with the tabled answers inlined: this runs for every item.
    for item in items:
        item_answer = answered.get(item.id)
        if item_answer is None:
            points.append(0.0)
            entries.append(item.missing())
            continue
        found += 1
        # The type check keeps 1 from finding True's entry, as the engine's lookup does.
        tabled = item.tabled.get(item_answer) if type(item_answer) in _TABLED_TYPES else None
        if tabled is None:
            tabled = _tabled(item, item_answer)
        if tabled is None:
            tabled = _measured(item, item_answer)
            points.append(tabled[0])
            entry = tabled[1]()
            entry["input"] = _input_data(item_answer)
        else:
            points.append(tabled[0])
            entry = tabled[1]()
        entries.append(entry)
    if found != len(answered):
        raise _NotExpectedError
    data = indicator.head.copy()
    data["label"] = indicator.label()
    data["points"] = layout.add(points)
    data["items"] = entries
    return data


#: The answer types a ruleset tabulates scores for (see ``RuleSet.declared``).
_TABLED_TYPES = (bool, str, tuple)


def _tabled(item: _ItemLayout, answer: Any) -> tuple[float, Fresh] | None:
    """The points and entry copier of a tabulated answer met for the first time, kept."""
    if type(answer) not in _TABLED_TYPES:
        return None
    score = item.declared.get(answer)
    if score is None:
        return None
    made = item.tabled[answer] = (score.points, _entry(score))
    return made


def _measured(item: _ItemLayout, answer: Any) -> tuple[float, Fresh]:
    """The points and a copier of the entry (its input left to fill) of an answer the
    ruleset did not tabulate: a measured value, or a long checklist's ticks."""
    evaluated = item.item.rule.evaluate(answer)
    if evaluated is None:
        raise _NotExpectedError
    points, record = evaluated
    kept = item.kept
    if kept is not None:
        found = kept.get(id(record))
        if found is not None and found[0] is record:
            return points, found[1]
    copy = _entry(declared_scored(item.item, points, record))
    if kept is not None and len(kept) < _MAX_KEPT_RECORDS:
        kept[id(record)] = (record, copy)  # the record kept alive with its id
    return points, copy


def declared_scored(item: Item, points: float, record: Mapping[str, Any]) -> ItemScore:
    """An item's score as declared, its input left out (the compact path fills it in)."""
    return ItemScore(item.id, item.label, points, item.max, item.rule.kind, "scored", None, record)


def _input_data(answer: Any) -> Any:
    if type(answer) is Measurement:
        return answer.to_dict()
    if type(answer) is tuple:
        return list(answer)
    return thaw(answer)
