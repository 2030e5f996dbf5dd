"""Facts found since the first notes (docs/domain.md §8a), as literal golden checks.

- Kab. Kotawaringin Timur, 2023 round [S]: 721 declared at self-assessment, 588.40 after the
  province's document check, awarded Pratama.
- Kab. Sleman, 2018 round [S]: 963.04 declared, awarded Nindya.
- Child marriage [S]: 2017 = 11.54 %; a 2020 data year has no recorded national figure, so
  it is compared with 2019's, and the explanation says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kla_model as kla
from ruleset_answers import best, submission, worst


@pytest.fixture(scope="module")
def scale() -> kla.TierScale:
    return kla.load_ruleset("perpres-25-2021").tiers


def _tier(scale: kla.TierScale, total: float) -> str | None:
    tier = scale.by_total(total)
    return None if tier is None else tier.id


def test_kotawaringin_timur_2023_falls_133_points_into_pratama(scale: kla.TierScale) -> None:
    declared, checked = 721.0, 588.40
    assert (_tier(scale, declared), _tier(scale, checked)) == ("nindya", "pratama")
    assert declared - checked == pytest.approx(132.6)
    # The published award was Pratama: the checked total is inside the Pratama band.
    assert scale.get("pratama").admits(checked) and not scale.get("madya").admits(checked)


def test_sleman_2018_declared_963_was_awarded_nindya(scale: kla.TierScale) -> None:
    declared = 963.04
    assert _tier(scale, declared) == "kla"  # no district has ever been awarded KLA
    # Nindya means a verified total above 700 and at most 800: verification cut at least
    # 163.04 points, and at most 263.04.
    assert (_tier(scale, 800.0), _tier(scale, 800.01)) == ("nindya", "utama")
    assert declared - 800.0 == pytest.approx(163.04)
    assert declared - 700.01 == pytest.approx(263.03)


def test_child_marriage_2017_is_11_54() -> None:
    rules = kla.load_ruleset("perpres-25-2021")
    series = next(s for s in rules.references if s.id == "child-marriage")
    assert series.point_for(2017).value == 11.54
    assert series.point_for(2017).year == 2017


def _child_marriage_card(value: float, data_year: int) -> kla.ScoreCard:
    rules = kla.load_ruleset("perpres-25-2021")
    submission = kla.Submission.from_mapping(
        {
            "region": {
                "code": "62.02",
                "name": "Kabupaten Contoh",
                "kind": "kabupaten",
                "province": "Kalimantan Tengah",
            },
            "year": 2021,
            "answers": {"II.1": {"value": value, "data_year": data_year}},
        }
    )
    return kla.score(rules, submission)


def test_a_2020_data_year_is_compared_with_2019_and_says_so() -> None:
    card = _child_marriage_card(10.5, 2020)
    item = card.indicators["II.1"].items[0]
    assert item.matched["reference_year"] == 2019
    assert item.matched["reference_value"] == 10.82
    assert item.points == 52
    sentence_id = kla.explain(card, "id").groups[2].indicators[0].text
    sentence_en = kla.explain(card, "en").groups[2].indicators[0].text
    assert "angka nasional 10,82% (2019, karena belum ada angka nasional 2020 yang tercatat;" in (
        sentence_id
    )
    assert "national 10.82% (2019, as no national figure for 2020 is recorded;" in sentence_en


def test_a_data_year_with_its_own_figure_names_only_that_year() -> None:
    card = _child_marriage_card(11.0, 2017)
    sentence = kla.explain(card, "en").groups[2].indicators[0].text
    assert "(2017 data) is below the national 11.54% (2017; lower is better)" in sentence


SANGGAU = (
    Path(__file__).resolve().parents[1] / "rules/overlays/permen-pppa-12-2011-sanggau-2018.yaml"
)


def _old_rules_card(rules: kla.RuleSet, zeroed: str) -> kla.ScoreCard:
    """Full marks on the 31-indicator ruleset except indicator ``zeroed`` at its fewest."""
    items = {
        item.id: worst(item, 2017) if indicator.id == zeroed else best(item, 2017)
        for indicator in rules.indicators.values()
        for item in indicator.items
    }
    region = kla.Region("61.03", "Kabupaten Sanggau", "kabupaten", "Kalimantan Barat")
    return kla.score(rules, submission(rules, items, region, 2017))


def test_the_sanggau_overlay_is_provisional_and_sourced() -> None:
    rules = kla.load_ruleset(SANGGAU)
    assert (rules.id, rules.status) == ("permen-pppa-12-2011-sanggau-2018", "provisional")
    assert "kabar.sanggau.go.id" in rules.source and "2018-04-09" in rules.source
    assert rules.applies_to == kla.RoundWindow(2011, 2017)
    pratama = rules.tiers.get("pratama")
    assert (pratama.min, pratama.min_inclusive) == (500, False)
    assert len(pratama.requires) == 31
    assert {c.id: c.min_points for c in pratama.requires}["P12.08"] == 24.5  # 70% of 35


def test_one_indicator_below_70_percent_blocks_every_tier_under_the_sanggau_rule() -> None:
    """kabar.sanggau.go.id 2018-04-09 [S]: no indicator below 70% of its maximum."""
    rules = kla.load_ruleset(SANGGAU)
    card = _old_rules_card(rules, "P12.08")
    assert card.total == 965  # 1000 - 35: the total alone would be the KLA tier
    assert card.tier is None
    assert card.next_tier is not None and card.next_tier.id == "pratama"
    # The total is enough: points_to_next_tier is 0 and the conditions say what blocks.
    assert card.points_to_next_tier == 0
    assert [r.condition.id for r in card.next_tier_blocked_by] == ["P12.08"]
    assert card.to_dict()["next_tier_blocked_by"][0]["points"] == 0
    assert "total sudah cukup, syaratnya belum" in str(card)
    assert "Syarat Pratama belum terpenuhi / Pratama (first tier) condition not met: " in str(card)
    # The bundled ruleset, without the reported conditions, gives the total's tier.
    plain = _old_rules_card(kla.load_ruleset("permen-pppa-12-2011"), "P12.08")
    assert plain.tier is not None and plain.tier.id == "kla"
