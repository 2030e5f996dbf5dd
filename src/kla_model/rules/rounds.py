"""Which KLA evaluation rounds were held, as far as public sources show (domain notes §8, §8a).

The record matters because a ruleset's ``applies_to`` window (2011-2017, 2018-) covers years in
which no round was held: asking for the ruleset of 2020 or 2016 should say so, not answer as if
there had been one.  Each year carries the confidence of the domain notes: ``C`` confirmed by
two or more sources, ``S`` one source, ``I`` inferred (no award reported that year, or tier
histories that skip it).  A year not in the record is unknown, and nothing is said about it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from kla_model._base.attrs_repr import attrs_repr
from kla_model.errors import RoundNotHeldWarning

__all__ = ["ROUNDS", "Round", "not_held_message", "round_record", "warn_if_not_held"]


@attrs.frozen
class Round:
    """One year of the record: whether a round was held, how sure that is, and why."""

    __repr__ = attrs_repr

    year: int
    held: bool
    confidence: str = attrs.field(validator=attrs.validators.in_(("C", "S", "I")))
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "held": self.held,
            "confidence": self.confidence,
            "note": self.note,
        }


def _rounds(*rounds: Round) -> Mapping[int, Round]:
    return MappingProxyType({entry.year: entry for entry in rounds})


#: The record, by year.  Sources: docs/domain.md §8 and §8a.
ROUNDS: Mapping[int, Round] = _rounds(
    Round(2012, True, "S", "Kab. Kebumen awarded in 2012 (tier history)"),
    Round(2013, True, "S", "Kab. Kebumen awarded in 2013 (tier history)"),
    Round(2014, False, "I", "no award reported; tier histories skip 2014 (Kebumen 2013, 2015)"),
    Round(2015, True, "S", "Kab. Kebumen awarded in 2015 (tier history)"),
    Round(2016, False, "I", "no award reported; tier histories skip 2016 (Kebumen 2015, 2017)"),
    Round(2017, True, "C", "Kota Tangerang Pratama, Surakarta and Surabaya Utama in 2017"),
    Round(2018, True, "C", "177 districts awarded"),
    Round(2019, True, "C", "247 districts awarded"),
    Round(2020, False, "I", "no award round reported"),
    Round(2021, True, "C", "Kota Tangerang Nindya 2021"),
    Round(2022, True, "C", "312 districts awarded"),
    Round(2023, True, "C", "360 districts awarded"),
    Round(2024, False, "I", "no award round reported"),
    Round(2025, True, "C", "355 of 464 districts taking part awarded"),
)

_CONFIDENCE = {"C": "confirmed", "S": "one source", "I": "inferred"}


def round_record(year: int) -> Round | None:
    """What the record says about ``year``: a :class:`Round`, or ``None`` if nothing."""
    return ROUNDS.get(year)


def not_held_message(entry: Round) -> str:
    """``no KLA evaluation round was held in 2020 [inferred: ...]`` for a warning."""
    return (
        f"round {entry.year}: no KLA evaluation round is known to have been held that year "
        f"[{entry.confidence}, {_CONFIDENCE[entry.confidence]}: {entry.note}]"
    )


def warn_if_not_held(year: int, stacklevel: int = 3) -> Round | None:
    """Warn with :class:`RoundNotHeldWarning` if the record says ``year`` had no round;
    returns the record of the year (``None`` if there is none)."""
    entry = round_record(year)
    if entry is not None and not entry.held:
        warnings.warn(not_held_message(entry), RoundNotHeldWarning, stacklevel=stacklevel)
    return entry
