"""A score card written as JSON text straight from the card: what ``kla serve`` answers and
``kla score --format json`` prints.

A card's JSON is some 30 kB for a bundled ruleset, and most of it does not depend on the
submission: every label, every maximum, and for an answer in its rule's table of answers
(``PointRule.answer_table``: a yes/no, a level, the ticks of a short checklist) the item's
whole entry.  So :class:`CardWriter` encodes each such piece once per ruleset (an answer's
entry the first time the answer is met; kept with the ruleset through
:meth:`RuleSet.derived`) and a card is written by joining them with the few values that are
its own: points, sums, the total, inputs, what was answered.  Nothing is built as dicts and
lists to be encoded afterwards, and the points are the rule's own (``evaluate``).

``score()`` hands the card its trace with the ruleset that made it, as one of two things, and
the writer reads the one the card holds:

- the declared answers (:class:`DeclaredTrace`): a self-assessment scored by a scale without
  must-pass conditions, where every item scores as declared.  The text is joined from the
  ruleset's pieces; the records are never made.
- the records (:class:`RecordedTrace`): a verified stage, a scale with must-pass
  conditions, or answers of a type the totals do not look up.  Each record's own values
  are written between the ruleset's pieces.

A card without either (read back with ``from_dict``, or whose records were already read)
has no ruleset to take pieces from: its ``to_dict()`` is encoded.  Every way gives the text
``json.dumps(card.to_dict())`` gives with the service's settings (no spaces, UTF-8 rather than
``\\u`` escapes), byte for byte: a property test holds them equal on every bundled ruleset and
overlay, at every stage.

The standard library's encoder writes it: the per-request work is numbers (``float.__repr__``,
which is what ``json`` writes) and short strings (its C string encoder), where a third-party
encoder saves nothing measurable (``docs/decisions.md``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from kla_model._base.frozen import FrozenDict
from kla_model.rules.answers import Measurement, answer_to_data
from kla_model.rules.model import Indicator, Item
from kla_model.rules.point_rules import Outcome
from kla_model.rules.ruleset import RuleSet
from kla_model.rules.tiers import TierVerdict, tier_verdict
from kla_model.scoring.results import OUTCOMES, GroupScore, ItemScore, LazyGroups, ScoreCard
from kla_model.submissions.submission import ItemAnswers, Submission

__all__ = ["CardWriter", "DeclaredTrace", "RecordedTrace", "card_json", "writer_of"]

#: The service's JSON: no spaces, non-ASCII text as UTF-8, no NaN (Starlette's settings).
_encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def encode(data: Any) -> bytes:
    """``data`` as the service's JSON, in UTF-8."""
    return _encoder.encode(data).encode("utf-8")


#: The encoder's own string writer (C; UTF-8 text left as it is, as ``ensure_ascii=False``).
_string: Callable[[str], str] = json.encoder.encode_basestring


def _value(value: Any) -> bytes:
    """:func:`encode` of a record's value, the common ones without the encoder's set-up (a
    text, a yes/no, a list of ids; these run for every answered item of a verified card)."""
    kind = type(value)
    if kind is str:
        return _string(value).encode("utf-8")
    if kind is bool:
        return b"true" if value else b"false"
    if kind is tuple:
        try:  # ids: the string writer refuses anything else (a TypeError), as it should
            return f"[{','.join(map(_string, value))}]".encode()
        except TypeError:
            pass
    return encode(value)


#: How many totals' tier verdicts a writer keeps (a bundled ruleset has 4,001 totals).
_MAX_KEPT_VERDICTS = 8192
#: How many answers' entries, and rule trace records' texts, an item keeps (a checklist of
#: 8 has 109,601 orders of ticks; the answers met in practice are few).
_MAX_KEPT_ENTRIES = 256
#: How many answers' entries an indicator keeps (its items' answers together: a product of
#: theirs, so kept fewer, each entry being some 1-2 kB).
_MAX_KEPT_INDICATORS = 64

#: The types of the answers a rule's table of answers holds (``PointRule.answer_table``):
#: only these are looked up in an item's kept entries, so that ``1`` never finds ``True``'s.
_TABLED_TYPES = (bool, str, tuple)


class _ItemPieces(NamedTuple):
    item: Item
    #: The rule's outcome of each answer, where its answers are finite (``answer_table``):
    #: the answers whose entries are kept.
    table: Mapping[Any, Outcome] | None
    #: An answered entry is ``scored``, its points, ``kind``, its outcome, ``"input":`` and
    #: the input, then ``"matched":`` and its rule's trace record, kept in ``matched`` by the
    #: record's identity (a band or a reference series hands out one of a fixed set of shared
    #: records, some long: each is encoded once, and kept alive with its text).
    scored: bytes
    kind: bytes
    #: ``kind``, the outcome ``scored`` and ``"input":``: an entry scored as declared.
    as_declared: bytes
    matched: dict[int, tuple[Mapping[str, Any], bytes]]
    #: A record's (outcome, input) -> its trace record and its entry's text up to
    #: ``"evidence":``, for inputs in the rule's table (see ``_recorded_head``).
    recorded: dict[tuple[str, Any], tuple[Mapping[str, Any], bytes]]


#: Per item: its id; the points and entry of each answer met so far that is in its rule's
#: table (made on first use: most orders of a checklist's ticks are never answered), or
#: measured (keyed by ``_measured_key``: a district scored again, or at another stage, gives
#: the same numbers); its entry when it is not answered; and the pieces of other entries.
#: A plain tuple, unpacked in the loop that runs for every item.
_Item = tuple[str, dict[object, tuple[float, bytes]], bytes, _ItemPieces]


class _IndicatorPieces(NamedTuple):
    id: str
    #: ``{"id":…,"label":…,"points":`` and ``,"max":…,"answered":true,"items":[``.
    head: bytes
    tail: bytes
    items: tuple[_Item, ...]
    #: The whole entry of the indicator when it is not answered.
    unanswered: bytes
    #: The items' ids, in order: an answer's key in ``kept``.
    item_ids: tuple[str, ...]
    #: The answers of the items in order (``None``: not answered) -> the indicator's points
    #: and entry, for answers all in their rules' tables; ``None`` for an indicator with a
    #: measured item (a measurement's equality is not its text's: 0.0 and -0.0).
    kept: dict[tuple[Any, ...], tuple[float, bytes]] | None
    #: The same for a one-item indicator answered directly, keyed as its item's entries.
    kept_direct: dict[Any, tuple[float, bytes]]


class _GroupPieces(NamedTuple):
    id: str
    head: bytes
    tail: bytes
    indicators: tuple[_IndicatorPieces, ...]


class CardWriter:
    """What every score card of one ruleset writes the same, encoded once."""

    def __init__(self, ruleset: RuleSet) -> None:
        # Nothing here refers to the ruleset itself, only to its parts: the writer is kept
        # while the ruleset lives, and a reference back would keep both forever.
        self.add = ruleset.resolution.add
        self._subtract = ruleset.resolution.subtract
        self._tiers = ruleset.tiers
        self._ruleset_groups = ruleset.groups
        self._ruleset = encode(ruleset.ref.to_dict())
        self._none_label = encode(ruleset.tiers.none_label.to_dict())
        self._groups: tuple[_GroupPieces, ...] | None = None
        self._verdicts: dict[float, tuple[TierVerdict, bytes, bytes]] = {}

    @property
    def groups(self) -> tuple[_GroupPieces, ...]:
        """The groups' pieces: made when a card is first written, not when one is only
        scored (``kla score`` prints one card as text and needs none of this)."""
        if self._groups is None:
            self._groups = tuple(
                _GroupPieces(
                    group.id,
                    _head({"id": group.id, "label": group.label.to_dict()}),
                    b"," + encode({"max": group.max})[1:-1] + b',"indicators":[',
                    tuple(_indicator(indicator) for indicator in group.indicators),
                )
                for group in self._ruleset_groups
            )
        return self._groups

    def verdict(self, total: float) -> TierVerdict:
        """What a tier scale without must-pass conditions says of ``total``: the same for
        every card with that total, so worked out once (totals are multiples of the
        ruleset's resolution: a bounded number of them are kept)."""
        return self._verdict(total)[0]

    def _verdict(self, total: float) -> tuple[TierVerdict, bytes, bytes]:
        known = self._verdicts.get(total)
        if known is not None:
            return known
        verdict = tier_verdict(self._tiers, total, {}, self._subtract)
        made = (verdict, *_verdict_text(verdict))
        if len(self._verdicts) < _MAX_KEPT_VERDICTS:
            self._verdicts[total] = made
        return made

    def declared(self, card: ScoreCard, answers: Mapping[str, Any]) -> bytes:
        """The JSON of ``card``, scored from the declared ``answers`` alone."""
        _, tiers, eligibility = self._verdict(card.total)
        missing: list[str] = []
        groups = b",".join([self._group(group, answers, missing) for group in self.groups])
        return self._card(card, tiers, eligibility, missing, groups)

    def recorded(self, card: ScoreCard, records: tuple[GroupScore, ...]) -> bytes:
        """The JSON of ``card`` from its ``records``, made by ``score()`` with this ruleset."""
        tiers, eligibility = self._recorded_verdict(card)
        missing: list[str] = []
        groups = [_recorded_group(g, p, missing) for g, p in zip(records, self.groups, strict=True)]
        return self._card(card, tiers, eligibility, missing, b",".join(groups))

    def _recorded_verdict(self, card: ScoreCard) -> tuple[bytes, bytes]:
        """The text of ``card``'s verdict: the kept one for its total when ``score()`` took
        it from here (a scale without must-pass conditions hands out the same parts)."""
        verdict = TierVerdict(card.eligibility, card.tier, card.next_tier, card.points_to_next_tier)
        if self._tiers.has_conditions:  # the parts' points decide, not the total alone
            return _verdict_text(verdict)
        kept, tiers, eligibility = self._verdict(card.total)
        if (
            kept.eligibility is card.eligibility
            and kept.tier is card.tier
            and kept.next_tier is card.next_tier
            and kept.points_to_next_tier is card.points_to_next_tier
        ):
            return tiers, eligibility
        return _verdict_text(verdict)

    def _card(
        self, card: ScoreCard, tiers: bytes, eligibility: bytes, missing: list[str], groups: bytes
    ) -> bytes:
        own = {"region": card.region.to_dict(), "year": card.year, "stage": card.stage}
        own["total"], own["max_score"] = card.total, card.max_score
        return b"".join(
            (
                b'{"ruleset":',
                self._ruleset,
                b",",
                encode(own)[1:-1],
                b",",
                tiers,
                b',"none_label":',
                self._none_label,
                b',"missing":',
                _value(tuple(missing)),
                b',"eligibility":',
                eligibility,
                b',"groups":[',
                groups,
                b"]}",
            )
        )

    def _group(self, group: _GroupPieces, answers: Mapping[str, Any], missing: list[str]) -> bytes:
        texts = []
        points = []
        for indicator in group.indicators:
            answer = answers.get(indicator.id)
            if answer is None:
                missing.append(indicator.id)
                texts.append(indicator.unanswered)
                points.append(0.0)
            else:
                sum_, text = self._indicator(indicator, answer)
                texts.append(text)
                points.append(sum_)
        sum_ = self.add(points)
        return b"".join((group.head, b"%r" % sum_, group.tail, b",".join(texts), b"]}"))

    def _indicator(self, indicator: _IndicatorPieces, answer: Any) -> tuple[float, bytes]:
        kept, key = _indicator_key(indicator, answer)
        if key is not None and kept is not None:
            known = kept.get(key)
            if known is not None:
                return known
        answered = answer.items if type(answer) is ItemAnswers else {indicator.item_ids[0]: answer}
        entries = []
        points = []
        keepable = True  # every item's entry was a kept one: so can the indicator's be
        # One loop with the kept entries inlined: this runs for every item.
        for item_id, tabled, missing, pieces in indicator.items:
            item_answer = answered.get(item_id)
            if item_answer is None:
                points.append(0.0)
                entries.append(missing)
                continue
            # The type check keeps 1 from finding True's entry, as the engine's lookup does.
            if type(item_answer) in _TABLED_TYPES:
                item_key = item_answer
            else:
                item_key = _measured_key(item_answer)
            found = tabled.get(item_key)
            if found is None:
                found = _scored(tabled, pieces, item_answer)
                keepable = keepable and tabled.get(item_key) is found
            points.append(found[0])
            entries.append(found[1])
        sum_ = self.add(points)
        head, tail = indicator.head, indicator.tail
        made = sum_, b"".join((head, b"%r" % sum_, tail, b",".join(entries), b"]}"))
        if key is not None and kept is not None and keepable and len(kept) < _MAX_KEPT_INDICATORS:
            kept[key] = made
        return made


def _indicator_key(
    indicator: _IndicatorPieces, answer: Any
) -> tuple[dict[Any, tuple[float, bytes]] | None, Any]:
    """Where an indicator's entry for ``answer`` is kept, and its key there (``None``: not
    kept).  Answers of several items: the items' answers in order, where every item's are
    in its rule's table (the submission is well typed: the totals, which made a
    DeclaredTrace, ask it).  A one-item indicator answered directly: its item's key."""
    if type(answer) is ItemAnswers:
        kept = indicator.kept
        return kept, None if kept is None else tuple(map(answer.items.get, indicator.item_ids))
    if type(answer) in _TABLED_TYPES:
        return indicator.kept_direct, answer
    return indicator.kept_direct, _measured_key(answer)


def _head(data: dict[str, Any]) -> bytes:
    """``{"id":…,"label":…,"points":``: an entry's text up to its points."""
    return encode(data)[:-1] + b',"points":'


def _verdict_text(verdict: TierVerdict) -> tuple[bytes, bytes]:
    """The text of a verdict: from ``"tier"`` to ``"next_tier_blocked_by"``, and the
    eligibility list."""
    tier, next_tier = verdict.tier, verdict.next_tier
    blocked: list[dict[str, Any]] = []
    if next_tier is not None:
        for entry in verdict.eligibility:
            if entry.tier.id == next_tier.id:
                blocked = [result.to_dict() for result in entry.failed]
    data = {
        "tier": None if tier is None else tier.to_dict(),
        "next_tier": None if next_tier is None else next_tier.to_dict(),
        "points_to_next_tier": verdict.points_to_next_tier,
        "points_to_next_tier_inclusive": None if next_tier is None else next_tier.min_inclusive,
        "next_tier_blocked_by": blocked,
    }
    eligibility = [{**e.to_dict(), "tier": e.tier.to_dict()} for e in verdict.eligibility]
    return encode(data)[1:-1], encode(eligibility)


def _scored(
    tabled: dict[object, tuple[float, bytes]], item: _ItemPieces, answer: Any
) -> tuple[float, bytes]:
    """The points and entry of an answered item not met so far, from its rule's outcome
    (a look-up in the rule's table where its answers are finite): the entry of an answer in
    that table is kept, a measured one's written for this answer."""
    evaluated = item.item.rule.evaluate(answer)
    if evaluated is None:  # score() accepted the submission: its rules score every answer
        raise AssertionError(f"item {item.item.id!r}: the rule cannot score {answer!r}")
    points, record = evaluated
    parts = (item.scored, b"%r" % points, item.as_declared, _input(answer), _matched(item, record))
    made = (points, b"".join((*parts, _DECLARED_END)))
    if len(tabled) >= _MAX_KEPT_ENTRIES:
        return made
    table = item.table
    if table is not None and type(answer) in _TABLED_TYPES and answer in table:
        tabled[answer] = made
    else:
        key = _measured_key(answer)
        if key is not None:
            tabled[key] = made
    return made


def _measured_key(answer: object) -> tuple[float, int | None] | None:
    """A measured answer's key among its item's kept entries (see :func:`_number_key`);
    ``None`` (not kept) for any other answer.  (A measured item's rule takes no yes/no,
    level or ticks: these keys meet no tabled answer's.)"""
    if type(answer) is not Measurement:
        return None
    return _number_key(answer.value, answer.data_year)


def _number_key(value: object, year: object) -> tuple[float, int | None] | None:
    """A measured value and data year as a key of kept text: they are all its rule reads.
    ``None`` for a pair that an equal one would not write alike: ``0.0`` and ``-0.0``,
    ``97`` and ``97.0``, a year ``True`` and ``1``."""
    if type(value) is float and value != 0.0 and (year is None or type(year) is int):
        return (value, year)
    return None


#: The end of an entry scored as declared: no evidence behind it, no correction.
_DECLARED_END = b',"evidence":[],"correction":null}'


def _matched(item: _ItemPieces, record: Mapping[str, Any]) -> bytes:
    """``,"matched":`` and the rule's trace ``record``, kept by the record's identity."""
    kept = item.matched.get(id(record))
    if kept is None or kept[0] is not record:
        # A read-only mapping encodes as its plain copy would.
        kept = (record, b',"matched":' + encode(record))
        if len(item.matched) < _MAX_KEPT_ENTRIES:
            item.matched[id(record)] = kept
    return kept[1]


def _entry(item: _ItemPieces, score: ItemScore) -> bytes:
    """An answered item's entry from its record: the ruleset's pieces and its values."""
    # The head kept for the record's outcome and input (``_recorded_head``), looked up here:
    # this runs for every answered item.  The type check keeps 1 from finding True's.
    given, outcome = score.input, score.outcome
    if type(given) in _TABLED_TYPES:
        key: tuple[Any, ...] | None = (outcome, given)
    else:
        key = _measured_record_key(outcome, given)
    kept = None if key is None else item.recorded.get(key)
    if kept is not None and kept[0] is score.matched:
        head = kept[1]
    else:
        head = _recorded_head(item, score, key)
    evidence, correction = score.evidence, score.correction
    if correction is None and type(evidence) is tuple:  # the common case, written at once
        try:  # ids: the string writer refuses anything else (a TypeError), as it should
            ids = ",".join(map(_string, evidence)).encode()
        except TypeError:
            pass
        else:
            return b"".join((head, b"[", ids, _NO_CORRECTION_END))
    return b"".join(
        (
            head,
            _value(evidence) if evidence else b"[]",
            b',"correction":',
            b"null" if correction is None else encode(correction),
            b"}",
        )
    )


#: The end of an entry's evidence list when it has no correction.
_NO_CORRECTION_END = b'],"correction":null}'


def _recorded_head(item: _ItemPieces, score: ItemScore, key: tuple[Any, ...] | None) -> bytes:
    """A record's entry up to ``"evidence":``, kept by ``key`` (its outcome and input) for
    an input in its rule's table or a measured one.

    ``score()`` made the record with this ruleset, so its input and outcome decide its
    points (the rule's, or 0 for ``unverified``) and its trace record (one the rule hands
    out, checked by identity where it is looked up).
    """
    given, outcome = score.input, score.outcome
    head = b"".join(
        (
            item.scored,
            b"%r" % score.points,
            item.kind,
            _OUTCOMES.get(outcome) or encode(outcome),
            b',"input":',
            _value(given),
            _matched(item, score.matched),
            b',"evidence":',
        )
    )
    table = item.table
    tabled = type(given) in _TABLED_TYPES and table is not None and given in table
    measured = type(given) is FrozenDict  # (its key says whether it is kept)
    if key is not None and (tabled or measured) and len(item.recorded) < _MAX_KEPT_ENTRIES:
        item.recorded[key] = (score.matched, head)
    return head


def _measured_record_key(outcome: str, given: Any) -> tuple[Any, ...] | None:
    """A measured record's key among its item's kept heads: its outcome, and its input's
    value and year (:func:`_number_key`); ``None``: not kept."""
    if type(given) is FrozenDict and len(given) <= 2:  # a Measurement's record
        key = _number_key(given.get("value"), given.get("data_year"))
        if key is not None:
            return (outcome, *key)
    return None


#: The outcomes' text.
_OUTCOMES = {outcome: encode(outcome) for outcome in OUTCOMES}


def _recorded_group(group: GroupScore, pieces: _GroupPieces, missing: list[str]) -> bytes:
    if group.id != pieces.id:  # score() made the records from this ruleset, in its order
        raise AssertionError(f"group {group.id!r} where the ruleset has {pieces.id!r}")
    texts = []
    for indicator, known in zip(group.indicators, pieces.indicators, strict=True):
        if not indicator.answered:
            missing.append(indicator.id)
            texts.append(known.unanswered)
            continue
        entries = [
            item_missing if score.outcome == "missing" else _entry(item, score)
            for score, (_, _, item_missing, item) in zip(indicator.items, known.items, strict=True)
        ]
        points = b"%r" % indicator.points
        texts.append(b"".join((known.head, points, known.tail, b",".join(entries), b"]}")))
    points = b"%r" % group.points
    return b"".join((pieces.head, points, pieces.tail, b",".join(texts), b"]}"))


def _input(answer: Any) -> bytes:
    """A measured answer as its entry's ``input`` shows it (``thaw(trace_input(answer))``)."""
    if type(answer) is Measurement:  # the value is a float, the year an int (Measurement)
        if answer.data_year is None:
            return b'{"value":%r}' % answer.value
        return b'{"value":%r,"data_year":%d}' % (answer.value, answer.data_year)
    return encode(answer_to_data(answer))


def _indicator(indicator: Indicator) -> _IndicatorPieces:
    items = tuple(_item(item) for item in indicator.items)
    tail = b"," + encode({"max": indicator.max, "answered": True})[1:-1] + b',"items":['
    unanswered = {
        "id": indicator.id,
        "label": indicator.label.to_dict(),
        "points": 0.0,
        "max": indicator.max,
        "answered": False,
        "items": [_missing(item).to_dict() for item in indicator.items],
    }
    head = _head({"id": indicator.id, "label": indicator.label.to_dict()})
    ids = tuple(item.id for item in indicator.items)
    finite = all(item.rule.answer_table() is not None for item in indicator.items)
    kept: dict[tuple[Any, ...], tuple[float, bytes]] | None = {} if finite else None
    return _IndicatorPieces(indicator.id, head, tail, items, encode(unanswered), ids, kept, {})


def _item(item: Item) -> _Item:
    scored = _head({"id": item.id, "label": item.label.to_dict()})
    kind = b"," + encode({"max": item.max, "kind": item.rule.kind})[1:-1] + b',"outcome":'
    table = item.rule.answer_table()
    pieces = _ItemPieces(item, table, scored, kind, kind + b'"scored","input":', {}, {})
    return (item.id, {}, encode(_missing(item).to_dict()), pieces)


def _missing(item: Item) -> ItemScore:
    return ItemScore(item.id, item.label, 0.0, item.max, item.rule.kind, "missing", None, {})


def writer_of(ruleset: RuleSet) -> CardWriter:
    """``ruleset``'s card writer: made on first use and kept with the ruleset
    (:meth:`RuleSet.derived`)."""
    return ruleset.derived("card writer", CardWriter)


class DeclaredTrace(LazyGroups):
    """A card's trace as the ruleset and the submission it was scored from, every answer as
    declared: the records are made when read (``card.groups``), the JSON straight from the
    answers (:func:`card_json`)."""

    __slots__ = ("_make", "ruleset", "submission")

    def __init__(
        self,
        ruleset: RuleSet,
        submission: Submission,
        make: Callable[[], tuple[GroupScore, ...]],
    ) -> None:
        self.ruleset = ruleset
        self.submission = submission
        self._make = make

    def __call__(self) -> tuple[GroupScore, ...]:
        return self._make()


class RecordedTrace(LazyGroups):
    """A card's records with the ruleset that makes them: the JSON is written from the
    records between the ruleset's pieces (:func:`card_json`).  ``score()`` hands over the
    records, or, for a stage's view scored by a scale without must-pass conditions, the
    function that makes them when first read (then kept)."""

    __slots__ = ("_made", "_make", "ruleset")

    def __init__(
        self,
        ruleset: RuleSet,
        records: tuple[GroupScore, ...] | Callable[[], tuple[GroupScore, ...]],
    ) -> None:
        self.ruleset = ruleset
        self._made = None if callable(records) else records
        self._make = records if callable(records) else None

    @property
    def records(self) -> tuple[GroupScore, ...]:
        """The records, made now if they were not yet (two threads may both make them:
        the same records)."""
        made = self._made
        if made is None:
            assert self._make is not None  # set whenever the records are not
            made = self._made = self._make()
        return made

    def __call__(self) -> tuple[GroupScore, ...]:
        return self.records


def card_json(card: ScoreCard) -> bytes:
    """``card`` as JSON text in UTF-8: ``json.dumps(card.to_dict())`` with the service's
    settings, byte for byte."""
    trace = card._groups
    if isinstance(trace, DeclaredTrace):
        return writer_of(trace.ruleset).declared(card, trace.submission.answers)
    if isinstance(trace, RecordedTrace):
        return writer_of(trace.ruleset).recorded(card, trace.records)
    return encode(card.to_dict())
