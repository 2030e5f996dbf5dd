"""The plot extra: each picture renders to a real PNG (Agg) and shows the right numbers."""

from __future__ import annotations

import builtins
import io
from typing import Any

import matplotlib as mpl
import matplotlib.image
import pytest
from matplotlib.figure import Figure

import kla_model as kla
from kla_model import plot
from kla_model.plot import plot_batch, plot_card

mpl.use("Agg")

RULES = kla.load_ruleset("perpres-25-2021")
CARD = kla.score(
    RULES, kla.load_submission("examples/kota-tangerang-2025.yaml"), stage="self_assessment"
)
BATCH = kla.score_table(RULES, kla.load_table("examples/districts-2025.csv"))
PNG = b"\x89PNG\r\n\x1a\n"


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=60)
    return buffer.getvalue()


def _assert_non_trivial(data: bytes) -> None:
    assert data.startswith(PNG)
    assert len(data) > 10_000
    pixels = matplotlib.image.imread(io.BytesIO(data), format="png")
    height, width = pixels.shape[:2]
    assert width > 400
    assert height > 200
    colours = {tuple(pixel) for pixel in pixels.reshape(-1, pixels.shape[2])[::7]}
    assert len(colours) > 50  # text, bars and lines, not a blank canvas


def test_a_card_renders_bars_against_maxima_and_tier_thresholds() -> None:
    figure = plot_card(CARD)
    groups, total = figure.axes
    bars = groups.patches
    assert [bar.get_width() for bar in bars[:6]] == [164, 115, 156, 210, 180, 175]
    assert [bar.get_width() for bar in bars[6:]] == [146.75, 99, 75, 187.5, 125, 130]
    assert [line.get_ydata()[0] for line in total.lines] == [500, 600, 700, 800, 900]
    assert total.patches[1].get_height() == 763.25
    assert groups.get_title(loc="left") == "Kota Tangerang · 2025 · Nindya"
    _assert_non_trivial(_png(figure))


def test_a_batch_renders_as_a_tier_histogram() -> None:
    figure = plot_batch(BATCH)
    [axes] = figure.axes
    assert [bar.get_height() for bar in axes.patches] == [0, 2, 1, 2, 3, 0]
    labels = [label.get_text() for label in axes.get_xticklabels()]
    assert labels == [
        "Belum berpredikat",
        "Pratama",
        "Madya",
        "Nindya",
        "Utama",
        "Kabupaten/Kota Layak Anak",
    ]
    _assert_non_trivial(_png(figure))


def test_plots_draw_into_given_axes() -> None:
    figure = Figure(figsize=(12, 5))
    left, right = figure.subplots(1, 2)
    assert plot_card(CARD, left) is figure
    assert plot_batch(BATCH.summary(), right) is figure
    assert len(left.patches) == 12
    assert len(right.patches) == 6
    _assert_non_trivial(_png(figure))


def test_a_missing_matplotlib_is_named_with_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    plot._figure_class.cache_clear()  # the figure class is made once matplotlib is found
    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    try:
        with pytest.raises(kla.MissingExtraError, match=r"pip install 'kla_model\[plot\]'"):
            plot_card(CARD)
    finally:
        plot._figure_class.cache_clear()
