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

__all__ = [
    "CardWriter",
    "DeclaredParts",
    "DeclaredTrace",
    "RecordedTrace",
    "card_json",
    "writer_of",
]

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


class DeclaredParts(NamedTuple):
    """Declared answers written (:meth:`CardWriter.declared_parts`): what a card of them
    needs, and the text of its groups."""

    #: Each group's points, in ruleset order: the card's total is their exact sum.
    sums: tuple[float, ...]
    #: The groups' JSON text, in pieces (joined once, with the rest of the card's).
    pieces: list[bytes]
    #: The indicators not answered, in ruleset order.
    missing: list[str]


class CardWriter:
    """What every score card of one ruleset writes the same, encoded once."""

    def __init__(self, ruleset: RuleSet) -> None:
        # Nothing here refers to the ruleset itself, only to its parts: the writer is kept
        # while the ruleset lives, and a reference back would keep both forever.
        self.add = ruleset.resolution.add
        self._subtract = ruleset.resolution.subtract
        self._snap = ruleset.resolution.snap
        self._tiers = ruleset.tiers
        self._ruleset_groups = ruleset.groups
        self._indicator_count = len(ruleset.indicators)
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
        parts = self.declared_parts(answers)
        if parts is None:  # score() accepted these answers: every one fits its rule
            raise AssertionError(f"the answers of {card!r} do not fit its ruleset")
        return self.write_declared(card, parts)

    def declared_parts(self, answers: Mapping[str, Any]) -> DeclaredParts | None:
        """Each group's points and text for well-typed declared ``answers``
        (``Submission.well_typed``), or ``None`` if an answer does not fit the ruleset: an
        unknown indicator or item, a multi-item indicator answered directly, an answer its
        rule refuses (``score()`` words each)."""
        missing: list[str] = []
        sums: list[float] = []
        pieces: list[bytes] = []
        for group in self.groups:
            if pieces:
                pieces.append(b",")
            sum_ = self._group(group, answers, missing, pieces)
            if sum_ is None:
                return None
            sums.append(sum_)
        if len(answers) + len(missing) != self._indicator_count:
            return None  # an indicator the ruleset does not have
        return DeclaredParts(tuple(sums), pieces, missing)

    def write_declared(self, card: ScoreCard, parts: DeclaredParts) -> bytes:
        """The JSON of ``card``, made by ``score()`` from the answers ``parts`` wrote."""
        _, tiers, eligibility = self._verdict(card.total)
        return self._card(card, tiers, eligibility, parts.missing, parts.pieces)

    def recorded(self, card: ScoreCard, records: tuple[GroupScore, ...]) -> bytes:
        """The JSON of ``card`` from its ``records``, made by ``score()`` with this ruleset."""
        tiers, eligibility = self._recorded_verdict(card)
        missing: list[str] = []
        groups = [_recorded_group(g, p, missing) for g, p in zip(records, self.groups, strict=True)]
        return self._card(card, tiers, eligibility, missing, [b",".join(groups)])

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
        self,
        card: ScoreCard,
        tiers: bytes,
        eligibility: bytes,
        missing: list[str],
        groups: list[bytes],
    ) -> bytes:
        """The card's text around the pieces of its ``groups``, joined once: a card is some
        30 kB, and every join of a part of it copies that part again."""
        head = (
            b'{"ruleset":',
            self._ruleset,
            b",",
            _own_fields(card),
            b",",
            tiers,
            b',"none_label":',
            self._none_label,
            b',"missing":',
            _value(tuple(missing)),
            b',"eligibility":',
            eligibility,
            b',"groups":[',
        )
        return b"".join([*head, *groups, b"]}"])

    def _group(
        self,
        group: _GroupPieces,
        answers: Mapping[str, Any],
        missing: list[str],
        pieces: list[bytes],
    ) -> float | None:
        """A group's points, its text added to ``pieces`` (see :meth:`declared_parts`)."""
        pieces += (group.head, b"", group.tail)  # b"": its points, known at its end
        at = len(pieces) - 2
        # The points added as floats and corrected to the exact sum at the end, as the
        # compiled totals add them (Resolution.snap): no list of them to add.
        points = 0.0
        separator = b""  # none before the first entry
        # One loop, with the look-up of an indicator's kept entry inlined: this runs for
        # every indicator of every card written.
        for indicator in group.indicators:
            answer = answers.get(indicator.id)
            pieces.append(separator)
            separator = b","
            if answer is None:
                missing.append(indicator.id)
                pieces.append(indicator.unanswered)
                continue
            kind = type(answer)
            kept: dict[Any, tuple[float, bytes]] | None = indicator.kept_direct
            if kind is ItemAnswers:
                # The items' answers in order: an answer to an item the indicator does not
                # have is not among them, which the count tells.
                kept, items = indicator.kept, answer.items
                key: Any = tuple(map(items.get, indicator.item_ids))
                if len(items) + key.count(None) != len(key):
                    return None
            elif len(indicator.item_ids) != 1:
                return None  # several items need {items: ...}
            elif kind is Measurement:
                key = _number_key(answer.value, answer.data_year)
            else:
                key = answer if kind in _TABLED_TYPES else None
            known = None if kept is None else kept.get(key)
            if known is None:
                known = self._indicator(indicator, answer, kept, key)
                if known is None:
                    return None
            points += known[0]
            pieces.append(known[1])
        points = self._snap(points)
        pieces[at] = b"%r" % points
        pieces.append(b"]}")
        return points

    def _indicator(
        self,
        indicator: _IndicatorPieces,
        answer: Any,
        kept: dict[Any, tuple[float, bytes]] | None,
        key: Any,
    ) -> tuple[float, bytes] | None:
        """An answered indicator's points and entry, not kept so far: its items' entries
        joined (each kept or made), and kept under ``key`` (``None``: not kept) when every
        one of them was a kept one; ``None`` if a rule refuses its item's answer."""
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
                if found is None:
                    return None  # an answer its rule refuses
                keepable = keepable and tabled.get(item_key) is found
            points.append(found[0])
            entries.append(found[1])
        sum_ = self.add(points)
        head, tail = indicator.head, indicator.tail
        made = sum_, b"".join((head, b"%r" % sum_, tail, b",".join(entries), b"]}"))
        if key is not None and kept is not None and keepable and len(kept) < _MAX_KEPT_INDICATORS:
            kept[key] = made
        return made


def _own_fields(card: ScoreCard) -> bytes:
    """A card's own fields, ``"region":`` to ``"max_score":``, as :func:`encode` writes them.

    Written by hand for the common types (texts, and whole numbers and finite floats, whose
    ``repr`` is what the encoder writes): the encoder's set-up for a mapping this small
    costs more than the writing, once per card."""
    region, year, total, max_score = card.region, card.year, card.total, card.max_score
    if _plain_number(year) and _plain_number(total) and _plain_number(max_score):
        texts = (region.code, region.name, region.kind, region.province, card.stage)
        try:  # the encoder's string writer refuses anything but text (a TypeError)
            code, name, kind, province, stage = map(_string, texts)
        except TypeError:
            pass
        else:
            return (
                f'"region":{{"code":{code},"name":{name},"kind":{kind},"province":{province}}},'
                f'"year":{year!r},"stage":{stage},"total":{total!r},"max_score":{max_score!r}'
            ).encode()
    own = {"region": region.to_dict(), "year": year, "stage": card.stage}
    own["total"], own["max_score"] = total, max_score
    return encode(own)[1:-1]


def _plain_number(number: object) -> bool:
    """An ``int`` or a finite ``float`` (not a ``bool``, a subclass, NaN or infinity)."""
    kind = type(number)
    return kind is int or (kind is float and number - number == 0.0)  # type: ignore[operator]


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
) -> tuple[float, bytes] | None:
    """The points and entry of an answered item not met so far, from its rule's outcome
    (a look-up in the rule's table where its answers are finite): the entry of an answer in
    that table is kept, a measured one's written for this answer.  ``None``: the rule
    refuses the answer."""
    evaluated = item.item.rule.evaluate(answer)
    if evaluated is None:
        return None
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
