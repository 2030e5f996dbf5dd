"""ScoreTotals: a card's group points, total and tier, without the trace."""

from __future__ import annotations

import kla_model as kla

RULES = kla.load_ruleset("perpres-25-2021")
CARD = kla.score(
    RULES, kla.load_submission("examples/kota-tangerang-2025.yaml"), stage="self_assessment"
)


def test_of_a_card_keeps_what_a_batch_table_shows() -> None:
    totals = kla.ScoreTotals.of(CARD)
    assert totals.total == CARD.total == 763.25
    assert totals.tier == CARD.tier
    assert totals.groups == {group.id: group.points for group in CARD.groups}
    assert totals.tier_label == kla.Label("Nindya", "Nindya (third tier)")
    assert totals.ruleset == CARD.ruleset
    assert (totals.region, totals.year, totals.stage) == (CARD.region, 2025, "self_assessment")


def test_no_tier_has_the_scales_label() -> None:
    empty = kla.score(RULES, kla.Submission(CARD.region, 2025, {}))
    totals = kla.ScoreTotals.of(empty)
    assert totals.tier is None
    assert totals.tier_label == kla.Label("Belum berpredikat", "No tier")
    assert totals.to_dict()["tier"] is None
    assert totals.to_dict()["groups"]["klaster_1"] == 0.0
