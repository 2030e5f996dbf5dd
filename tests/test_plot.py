"""The plot extra: each picture renders to a real PNG (Agg) and shows the right numbers."""

from __future__ import annotations

import builtins
import io
from typing import Any

import matplotlib as mpl
import matplotlib.image
import pytest
from hypothesis import HealthCheck, given, settings
from matplotlib.figure import Figure

import kla_model as kla
from kla_model.views import plot
from kla_model.views.plot import plot_batch, plot_card, plot_plan
from plan_strategies import plans
from profiles import examples

mpl.use("Agg")

RULES = kla.load_ruleset("perpres-25-2021")
CARD = kla.score(
    RULES, kla.load_submission("examples/kota-tangerang-2025.yaml"), stage="self_assessment"
)
BATCH = kla.score_table(RULES, kla.load_table("examples/districts-2025.csv"))
SUBMISSION = kla.load_submission("examples/kota-tangerang-2025.yaml")
FINAL = kla.score(RULES, SUBMISSION)  # the latest stage, the final verification
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
    assert groups.get_title(loc="left") == (
        "Kota Tangerang · 2025 · Penilaian mandiri / Self-assessment · Nindya"
    )
    assert [t.get_text() for t in groups.get_legend().get_texts()] == [
        "Maks / Max",
        "Poin / Points",
    ]
    assert total.texts[0].get_text() == "Pratama ≥ 500"
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

    plan = kla.plan(RULES, SUBMISSION)
    plot._figure_class.cache_clear()  # the figure class is made once matplotlib is found
    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    try:
        with pytest.raises(kla.MissingExtraError, match=r"pip install 'kla_model\[plot\]'"):
            plot_card(CARD)
        with pytest.raises(kla.MissingExtraError, match=r"pip install 'kla_model\[plot\]'"):
            plot_plan(plan, FINAL)
    finally:
        plot._figure_class.cache_clear()


def test_a_plan_renders_the_indicators_it_changes_now_and_after() -> None:
    figure = plot_plan(kla.plan(RULES, SUBMISSION), FINAL)
    steps, total = figure.axes
    names = [label.get_text() for label in steps.get_yticklabels()]
    assert [name.split()[0] for name in names] == ["II.1", "II.3", "IV.1", "IV.2"]
    widths = [bar.get_width() for bar in steps.patches]
    assert widths[:4] == [52, 52, 45, 45]  # the maxima
    assert widths[4:8] == [52, 52, 45, 45]  # after the plan
    assert widths[8:] == [0, 39, 22.5, 33.75]  # now
    assert steps.texts[0].get_text() == " 0,00 → 52,00 / 52"
    assert steps.get_title(loc="left") == "Kota Tangerang · 2025: Nindya → Utama"
    assert [bar.get_height() for bar in total.patches[2:]] == [710.75, 809.5]
    assert [line.get_ydata()[0] for line in total.lines] == [800]
    assert [label.get_text() for label in total.get_xticklabels()] == [
        "Sekarang\nNow",
        "Rencana\nPlan",
    ]
    _assert_non_trivial(_png(figure))


def test_an_unreachable_plan_shows_no_steps_and_the_best_total() -> None:
    plan = kla.plan(RULES, SUBMISSION, target="kla", fixed=["II.1"])
    figure = plot_plan(plan, FINAL)
    steps, total = figure.axes
    assert len(steps.patches) == 0
    assert [text.get_text() for text in steps.texts] == [
        "Tidak ada langkah: Kabupaten/Kota Layak Anak tidak dapat dicapai\n"
        "No steps: Child-Friendly District cannot be reached"
    ]
    assert [bar.get_height() for bar in total.patches[2:]] == [710.75, 868]
    assert [line.get_ydata()[0] for line in total.lines] == [900]
    assert total.get_xticklabels()[1].get_text() == "Paling tinggi\nAt most"
    _assert_non_trivial(_png(figure))


def test_a_plan_is_drawn_only_with_the_card_it_starts_from() -> None:
    with pytest.raises(kla.PlanError) as raised:
        plot_plan(kla.plan(RULES, SUBMISSION), CARD)
    assert str(raised.value) == (
        "plot_plan: 1 problem\n"
        "  card: expected the card the plan starts from (Kota Tangerang, 2025, stage final, "
        "total 710.75, perpres-25-2021 2025.1); found Kota Tangerang, 2025, stage "
        "self_assessment, total 763.25, perpres-25-2021 2025.1"
    )


def test_a_plan_draws_into_given_axes() -> None:
    figure = Figure(figsize=(12, 5))
    left, right = figure.subplots(1, 2)
    plan = kla.plan(RULES, SUBMISSION, stage="self_assessment")
    assert plot_card(CARD, left) is figure
    assert plot_plan(plan, CARD, right) is figure
    assert [bar.get_width() for bar in right.patches] == [52, 52, 0]
    assert len(figure.axes) == 2
    _assert_non_trivial(_png(figure))


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_planned_bars_are_the_cards_points_with_the_steps_made(case: tuple[kla.Plan, Any]) -> None:
    """For any plan, a bar per changed indicator: now is the card's points, after is now
    plus the steps' gains, never above the maximum; the totals are the plan's."""
    plan, card = case
    figure = plot_plan(plan, card)
    steps, total = figure.axes
    count = len({step.indicator for step in plan.steps})
    assert len(steps.patches) == 3 * count
    maxima = [bar.get_width() for bar in steps.patches[:count]]
    after = [bar.get_width() for bar in steps.patches[count : 2 * count]]
    now = [bar.get_width() for bar in steps.patches[2 * count :]]
    changed = [i for i in card.indicators.values() if i.id in {s.indicator for s in plan.steps}]
    assert now == [indicator.points for indicator in changed]
    assert maxima == [indicator.max for indicator in changed]
    for indicator, before, later, top in zip(changed, now, after, maxima, strict=True):
        gain = sum(step.gain for step in plan.steps if step.indicator == indicator.id)
        assert later == pytest.approx(before + gain)
        assert before < later <= top
    assert [bar.get_height() for bar in total.patches[2:]] == [plan.total, plan.new_total]
