"""The province level: whether a province qualifies as *Provinsi Layak Anak* (Provila).

A province is recognised from its districts' results (domain notes §7): in 2023 it qualified
when **every** regency and city in it held a KLA tier [C].  In 2019 two awards were given:
*Pelopor* when every district held a tier, and *Penggerak* when every district scored above
500 in the self-assessment [C].  :func:`province_status` reads both from the districts'
score cards for one round.

The cards alone cannot say whether a province qualifies: a district without a card may be
one that took no part, or that scored below every tier.  So the caller says which districts
the province has (their number, or their region codes), and a district without a card counts
as not qualifying [P].
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, TypeAlias

import attrs

from kla_model.errors import ProvinceError
from kla_model.rules.model import Region
from kla_model.scoring.results import ScoreCard

__all__ = [
    "DISTRICT_KINDS",
    "SELF_ASSESSMENT",
    "Districts",
    "ProvinceStatus",
    "province_status",
]

#: The districts of a province, as the caller knows them: their number, or their region codes.
Districts: TypeAlias = int | Iterable[str]

#: The regions a province's status is made of.
DISTRICT_KINDS = ("kabupaten", "kota")
#: The stage whose totals the *Penggerak* variant reads.
SELF_ASSESSMENT = "self_assessment"
#: "Every district above 500 at self-assessment" (2019 *Penggerak*).  Read as strictly above,
#: as the award's wording says; a district at exactly 500 is Pratama but not above 500 [P].
SELF_ASSESSMENT_ABOVE = 500.0


@attrs.frozen
class ProvinceStatus:
    """A province's standing in one round, read from its districts' score cards."""

    province: str
    year: int
    #: Every district, in the order the cards were given, with its tier id (``None``: no tier).
    tiers: tuple[tuple[Region, str | None], ...]
    #: The districts whose self-assessment total is not above the threshold, or whose card is
    #: not a self-assessment card (so the variant cannot be read from it).
    not_above_at_self_assessment: tuple[Region, ...]
    self_assessment_above: float = SELF_ASSESSMENT_ABOVE
    #: How many regencies and cities the province has (as the caller said).
    expected: int = 0
    #: The region codes of the districts without a card, when the caller listed the codes.
    missing_codes: tuple[str, ...] = ()

    @property
    def missing(self) -> int:
        """How many of the province's districts have no card: each counts as not qualifying."""
        return max(self.expected - len(self.tiers), 0)

    @property
    def districts(self) -> tuple[Region, ...]:
        return tuple(region for region, _ in self.tiers)

    @property
    def without_tier(self) -> tuple[Region, ...]:
        """The districts that hold no tier: each keeps the province from qualifying."""
        return tuple(region for region, tier in self.tiers if tier is None)

    @property
    def qualifies(self) -> bool:
        """Provinsi Layak Anak (2019 *Pelopor*, the rule of 2023): every district holds a
        tier, and every district of the province has a card."""
        return not self.without_tier and not self.missing

    @property
    def all_above_at_self_assessment(self) -> bool:
        """The 2019 *Penggerak* variant: every district above 500 at self-assessment (a
        district without a card is not shown above it)."""
        return not self.not_above_at_self_assessment and not self.missing

    def __repr__(self) -> str:
        verdict = "qualifies" if self.qualifies else "does not qualify"
        return (
            f"<ProvinceStatus {self.province} {self.year}: {verdict}; {len(self.tiers)} of "
            f"{self.expected} districts scored, {len(self.without_tier)} without a tier, "
            f"{self.missing} missing>"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "province": self.province,
            "year": self.year,
            "qualifies": self.qualifies,
            "expected": self.expected,
            "missing": self.missing,
            "missing_codes": list(self.missing_codes),
            "districts": [
                {"region": region.to_dict(), "tier": tier} for region, tier in self.tiers
            ],
            "without_tier": [region.code for region in self.without_tier],
            "self_assessment_above": self.self_assessment_above,
            "all_above_at_self_assessment": self.all_above_at_self_assessment,
            "not_above_at_self_assessment": [
                region.code for region in self.not_above_at_self_assessment
            ],
        }


def _one(values: Iterable[Any], what: str) -> Any:
    found = sorted(set(values), key=str)
    if len(found) != 1:
        shown = ", ".join(map(str, found))
        raise ProvinceError(
            f"province cards: expected the districts of one {what}; found {len(found)}: {shown}"
        )
    return found[0]


def _check(cards: tuple[ScoreCard, ...]) -> None:
    if not cards:
        raise ProvinceError("province cards: expected the score cards of its districts; found none")
    others = [c.region for c in cards if c.region.kind not in DISTRICT_KINDS]
    if others:
        names = ", ".join(f"{r.name} ({r.kind})" for r in others)
        raise ProvinceError(
            f"province cards: expected regencies and cities ({', '.join(DISTRICT_KINDS)}); "
            f"found {names}"
        )
    codes = Counter(card.region.code for card in cards)
    twice = sorted(code for code, count in codes.items() if count > 1)
    if twice:
        raise ProvinceError(
            f"province cards: expected one card per district; found several for {', '.join(twice)}"
        )


def _expected(given: tuple[ScoreCard, ...], districts: Districts) -> tuple[int, tuple[str, ...]]:
    """How many districts the province has, and the codes of those without a card."""
    if isinstance(districts, bool | str) or not isinstance(districts, int | Iterable):
        raise ProvinceError(
            "province districts: expected the number of its regencies and cities, or their "
            f"region codes; found {districts!r}"
        )
    if isinstance(districts, int):
        if districts < len(given):
            raise ProvinceError(
                f"province districts: expected at least as many districts as cards "
                f"({len(given)}); found {districts}"
            )
        return districts, ()
    codes = tuple(dict.fromkeys(str(code) for code in districts))
    strangers = [card.region.code for card in given if card.region.code not in codes]
    if strangers:
        raise ProvinceError(
            "province cards: expected districts listed in districts; found "
            f"{', '.join(strangers)} not among them"
        )
    carded = {card.region.code for card in given}
    return len(codes), tuple(code for code in codes if code not in carded)


def province_status(
    cards: Iterable[ScoreCard],
    districts: Districts,
    self_assessment_above: float = SELF_ASSESSMENT_ABOVE,
) -> ProvinceStatus:
    """Whether the province of ``cards`` qualifies as Provinsi Layak Anak in their round.

    ``cards`` are the score cards of the province's regencies and cities for one round, one
    card each; each district's tier is the one its card holds (score the final stage for
    the award).  ``districts`` says which districts the province has: their number (35
    for Jawa Tengah) or their region codes.  A district without a card counts as not
    qualifying, so a province is never judged from part of its districts.  The
    self-assessment variant reads the totals of cards at the ``self_assessment`` stage; a
    card of another stage counts as not shown above the threshold.  Raises
    :class:`ProvinceError` for no cards, villages, two rounds, two provinces, two cards for
    one district, more cards than districts, or a card of a district not listed.
    """
    given = tuple(cards)
    _check(given)
    expected, missing_codes = _expected(given, districts)
    year = _one((card.year for card in given), "round")
    province = _one((card.region.province for card in given), "province")
    not_above = tuple(
        card.region
        for card in given
        if card.stage != SELF_ASSESSMENT or not card.total > self_assessment_above
    )
    return ProvinceStatus(
        province=province,
        year=year,
        tiers=tuple((card.region, None if card.tier is None else card.tier.id) for card in given),
        not_above_at_self_assessment=not_above,
        self_assessment_above=self_assessment_above,
        expected=expected,
        missing_codes=missing_codes,
    )
