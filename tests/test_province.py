"""province_status: Provinsi Layak Anak from the districts' score cards (domain notes §7, §8)."""

from __future__ import annotations

import functools
import random
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import kla_model as kla
from ruleset_answers import landing, submission

OUTCOMES = Path(__file__).parent / "data" / "published-outcomes.yaml"
#: The lowest total of each tier to aim above (the engine reads the scale; this only aims).
FLOORS = {"pratama": 500.0, "madya": 601.0, "nindya": 701.0, "utama": 801.0}


def _jawa_tengah() -> dict[str, list[str]]:
    data: dict[str, Any] = yaml.safe_load(OUTCOMES.read_text("utf-8"))
    published: dict[str, list[str]] = data["jawa_tengah_2025"]
    return published


def _region(name: str, number: int, province: str = "Jawa Tengah") -> kla.Region:
    kind = "kota" if name.startswith("Kota ") else "kabupaten"
    # Codes are made up for the test (33 is Jawa Tengah's province code; the rest is a counter).
    return kla.Region(code=f"33.{number:02d}", name=name, kind=kind, province=province)


@functools.cache
def _card(floor: float) -> kla.ScoreCard:
    """A 2025 self-assessment card whose total is at least ``floor`` (below floor + 100)."""
    ruleset = kla.load_ruleset("perpres-25-2021")
    region = _region("Kota Contoh", 0)
    return kla.score(ruleset, submission(ruleset, landing(ruleset, floor), region, 2025))


def _card_for(region: kla.Region, floor: float) -> kla.ScoreCard:
    return attrs.evolve(_card(floor), region=region)


def _jawa_tengah_cards() -> list[kla.ScoreCard]:
    cards: list[kla.ScoreCard] = []
    for tier, names in _jawa_tengah().items():
        for name in names:
            cards.append(_card_for(_region(name, len(cards) + 1), FLOORS[tier]))
    return cards


def test_the_published_list_has_35_districts() -> None:
    published = _jawa_tengah()
    assert {tier: len(names) for tier, names in published.items()} == {
        "utama": 2,
        "nindya": 13,
        "madya": 15,
        "pratama": 5,
    }
    assert len({name for names in published.values() for name in names}) == 35


def test_each_district_card_holds_its_published_tier() -> None:
    published = {name: tier for tier, names in _jawa_tengah().items() for name in names}
    cards = _jawa_tengah_cards()
    assert len(cards) == 35
    for card in cards:
        assert card.tier is not None
        assert card.tier.id == published[card.region.name], card.region.name


def test_jawa_tengah_2025_qualifies() -> None:
    status = kla.province_status(_jawa_tengah_cards(), districts=35)
    assert status.province == "Jawa Tengah"
    assert status.year == 2025
    assert len(status.districts) == 35
    assert status.qualifies is True
    assert status.without_tier == ()
    assert status.all_above_at_self_assessment is True
    counts: dict[str | None, int] = {}
    for _, tier in status.tiers:
        counts[tier] = counts.get(tier, 0) + 1
    assert counts == {"utama": 2, "nindya": 13, "madya": 15, "pratama": 5}


def test_one_district_without_a_tier_keeps_the_province_out() -> None:
    cards = _jawa_tengah_cards()
    jepara = next(card for card in cards if card.region.name == "Kabupaten Jepara")
    below = _card_for(jepara.region, 400.0)
    assert below.tier is None
    status = kla.province_status([below if card is jepara else card for card in cards], 35)
    assert status.qualifies is False
    assert status.without_tier == (jepara.region,)
    assert status.all_above_at_self_assessment is False
    assert status.not_above_at_self_assessment == (jepara.region,)
    assert status.to_dict()["without_tier"] == [jepara.region.code]


def test_the_self_assessment_variant_reads_strictly_above_500() -> None:
    cards = _jawa_tengah_cards()
    at_500 = attrs.evolve(cards[0], total=500.0)
    status = kla.province_status([at_500, *cards[1:]], 35)
    assert status.qualifies is True  # the card still holds its tier
    assert status.all_above_at_self_assessment is False
    assert status.not_above_at_self_assessment == (cards[0].region,)


def test_a_card_of_another_stage_does_not_show_the_self_assessment() -> None:
    cards = _jawa_tengah_cards()
    verified = attrs.evolve(cards[3], stage="verifikasi_lapangan")
    status = kla.province_status([*cards[:3], verified, *cards[4:]], 35)
    assert status.not_above_at_self_assessment == (cards[3].region,)
    assert status.qualifies is True


def test_the_result_is_json_safe() -> None:
    status = kla.province_status(_jawa_tengah_cards(), districts=35)
    data = status.to_dict()
    assert data["qualifies"] is True
    assert data["province"] == "Jawa Tengah"
    assert len(data["districts"]) == 35
    assert data["districts"][0] == {"region": status.districts[0].to_dict(), "tier": "utama"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda cards: [], "expected the score cards of its districts; found none"),
        (
            lambda cards: [*cards, cards[0]],
            "expected one card per district; found several for 33.01",
        ),
        (
            lambda cards: [attrs.evolve(cards[0], year=2023), *cards[1:]],
            "expected the districts of one round; found 2: 2023, 2025",
        ),
        (
            lambda cards: [
                attrs.evolve(cards[0], region=_region("Kota Bandung", 99, "Jawa Barat")),
                *cards[1:],
            ],
            "expected the districts of one province; found 2: Jawa Barat, Jawa Tengah",
        ),
        (
            lambda cards: [
                attrs.evolve(
                    cards[0],
                    region=kla.Region("33.01.01.2001", "Desa Contoh", "desa", "Jawa Tengah"),
                ),
                *cards[1:],
            ],
            "expected regencies and cities (kabupaten, kota); found Desa Contoh (desa)",
        ),
    ],
    ids=["empty", "duplicate", "two-rounds", "two-provinces", "village"],
)
def test_cards_that_are_not_one_province_in_one_round(change: Any, message: str) -> None:
    with pytest.raises(kla.ProvinceError) as raised:
        kla.province_status(change(_jawa_tengah_cards()), 35)
    assert message in str(raised.value)
    assert isinstance(raised.value, ValueError)


TIERS = st.sampled_from([None, "pratama", "madya", "nindya", "utama"])


@given(st.lists(TIERS, min_size=1, max_size=40), st.randoms(use_true_random=False))
def test_qualifies_exactly_when_every_district_holds_a_tier(
    tiers: list[str | None], shuffle: random.Random
) -> None:
    """Domain notes §7: a province qualified when every regency/city held a KLA tier."""
    cards = [
        _card_for(_region(f"Kabupaten {n}", n), 300.0 if tier is None else FLOORS[tier])
        for n, tier in enumerate(tiers)
    ]
    status = kla.province_status(cards, len(cards))
    assert status.qualifies == all(tier is not None for tier in tiers)
    expected_without = [card.region for card, tier in zip(cards, tiers, strict=True) if not tier]
    assert list(status.without_tier) == expected_without
    shuffle.shuffle(cards)
    again = kla.province_status(cards, len(cards))
    assert again.qualifies == status.qualifies
    assert set(again.without_tier) == set(status.without_tier)


def test_a_district_without_a_card_keeps_the_province_out() -> None:
    """The docs' old example judged Jawa Tengah from 6 of its 35 districts."""
    cards = _jawa_tengah_cards()
    status = kla.province_status(cards[:6], districts=35)
    assert status.qualifies is False
    assert status.missing == 29
    assert status.without_tier == ()
    assert status.all_above_at_self_assessment is False
    assert status.to_dict()["missing"] == 29
    assert "6 of 35 districts scored" in repr(status)


def test_districts_as_region_codes_name_the_missing_ones() -> None:
    cards = _jawa_tengah_cards()
    codes = [card.region.code for card in cards]
    status = kla.province_status(cards[1:], districts=codes)
    assert status.qualifies is False
    assert status.missing_codes == (codes[0],)
    assert status.missing == 1
    assert kla.province_status(cards, districts=codes).qualifies is True


@pytest.mark.parametrize(
    ("districts", "message"),
    [
        (34, "expected at least as many districts as cards (35); found 34"),
        (["33.01"], "expected districts listed in districts; found 33.02"),
        ("35", "their region codes; found '35'"),
        (None, "expected the number of its regencies and cities, or their region codes"),
    ],
    ids=["too-few", "unlisted", "a-string-is-codes", "none"],
)
def test_districts_that_do_not_fit_the_cards(districts: Any, message: str) -> None:
    with pytest.raises(kla.ProvinceError) as raised:
        kla.province_status(_jawa_tengah_cards(), districts=districts)
    assert message in str(raised.value)


def _riau_cards() -> tuple[list[kla.ScoreCard], int]:
    data: dict[str, Any] = yaml.safe_load(OUTCOMES.read_text("utf-8"))["riau_2025"]
    cards: list[kla.ScoreCard] = []
    for tier in ("utama", "nindya", "madya", "pratama"):
        entries = data[tier]
        names = (
            entries
            if isinstance(entries, list)
            else [f"Riau {tier} {n + 1}" for n in range(entries)]
        )
        for name in names:
            region = _region(name, len(cards) + 1, "Riau")
            region = attrs.evolve(region, code="14" + region.code[2:])
            cards.append(_card_for(region, FLOORS[tier]))
    return cards, data["districts"]


def test_riau_2025_qualifies_with_all_12_districts_tiered() -> None:
    """kla.md §8a: Riau 2025, 1 Utama (Kab. Siak), 4 Nindya, 6 Madya, 1 Pratama."""
    cards, districts = _riau_cards()
    assert districts == 12 and len(cards) == 12
    status = kla.province_status(cards, districts=districts)
    assert status.province == "Riau"
    assert status.qualifies is True
    tiers = [tier for _, tier in status.tiers]
    assert {t: tiers.count(t) for t in set(tiers)} == {
        "utama": 1,
        "nindya": 4,
        "madya": 6,
        "pratama": 1,
    }
    rokan_hilir = next(c for c in cards if c.region.name == "Kabupaten Rokan Hilir")
    assert rokan_hilir.tier is not None and rokan_hilir.tier.id == "pratama"
    short = kla.province_status([c for c in cards if c is not rokan_hilir], districts=12)
    assert short.qualifies is False
    assert short.missing == 1
