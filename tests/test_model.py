"""Domain values: labels, regions and items hold their invariants."""

from __future__ import annotations

import attrs
import pytest

from kla_model import EvidenceRule, Label, Region


def test_labels_are_bilingual_indonesian_first() -> None:
    label = Label("Klaster I: Hak Sipil dan Kebebasan", "Civil rights and freedoms")
    assert str(label) == "Klaster I: Hak Sipil dan Kebebasan / Civil rights and freedoms"
    assert label.text("en") == "Civil rights and freedoms"
    assert label.text() == "Klaster I: Hak Sipil dan Kebebasan"
    assert str(Label("Pratama", "Pratama")) == "Pratama"
    with pytest.raises(ValueError, match="en must not be empty"):
        Label("Pratama", "")


def test_values_are_frozen() -> None:
    region = Region("36.71", "Kota Tangerang", "kota", "Banten")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        region.name = "Kota Lain"  # type: ignore[misc]
    assert Region.from_dict(region.to_dict()) == region


def test_region_kind_and_evidence_kinds_are_checked() -> None:
    with pytest.raises(ValueError, match="'kind' must be in"):
        Region("1", "x", "kecamatan", "p")
    with pytest.raises(ValueError, match="must be in"):
        EvidenceRule(True, ("regulation", "selfie"))
