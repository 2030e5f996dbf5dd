"""One way to print a number: every output kind, rendered in each language, uses that
language's decimal separator, and a district's points always have two decimals.

Indonesian writes a decimal comma (710,75), English a decimal point (710.75); the views that
show both languages put Indonesian first and use the comma in their tables.  The outputs
here are every ``kla`` command's text, the HTML views (the notebook's ``_repr_html_`` of
every class, the task force's printable pages), the sentences of explanations, plans,
margins and comparisons, and the text on every plot.  All of them are made by
:mod:`kla_model._base.text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import kla_model as kla
from kla_model._base.text import (
    format_exact,
    format_number,
    format_points,
    format_signed,
    format_threshold,
)
from kla_model.analysis.plan_words import THRESHOLD, both
from kla_model.cli import main
from kla_model.scoring.stream import totals_function
from kla_model.views.html import card_html, plan_html, stages_html, summary_html, totals_html
from kla_model.views.report import card_text, evidence_text, stages_text
from kla_model.views.task_force import task_force_html, task_force_text

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"
AGENCIES = ROOT / "examples" / "kota-tangerang-2025-agencies.yaml"
TABLE = ROOT / "examples" / "districts-2025.csv"
RULESET = kla.load_ruleset("perpres-25-2021")
SUBMISSION = kla.load_submission(EXAMPLE)
CARD = kla.score(RULESET, SUBMISSION)
PLAN = kla.plan(RULESET, SUBMISSION)
FORCE = kla.task_force(RULESET, SUBMISSION, kla.load_assignment(AGENCIES, RULESET))
HISTORY = kla.score_stages(RULESET, SUBMISSION)

#: A number written with a decimal point; ids such as K.1.4 or II.1 are not numbers.
DECIMAL_POINT = re.compile(r"(?<![\w.])\d+\.\d+(?![\w]|\.\d)")
#: A number written with a decimal comma (English lists put a space after their commas).
DECIMAL_COMMA = re.compile(r"\d,\d")


def _visible(text: str) -> str:
    """What a reader sees: HTML without its styles and tags, without the ruleset's version
    (2025.1 is a name, not a number)."""
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return text.replace(RULESET.version, "")


def assert_indonesian(text: str) -> None:
    shown = _visible(text)
    assert not DECIMAL_POINT.findall(shown), DECIMAL_POINT.findall(shown)[:5]
    assert re.search(r"\d,\d\d", shown)  # and there are decimals to see


def assert_english(text: str) -> None:
    shown = _visible(text)
    assert not DECIMAL_COMMA.findall(shown), re.findall(r"\S*\d,\d\S*", shown)[:5]
    assert re.search(r"\d\.\d\d", shown)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) in (0, 1)  # kla batch exits 1 for the table's bad rows
    captured = capsys.readouterr()
    return captured.out + captured.err


def _one_language_outputs(lang: str) -> Iterator[tuple[str, Callable[[], str]]]:
    yield "explain", lambda: str(kla.explain(CARD, lang))
    yield "plan", lambda: "\n".join(PLAN.lines(lang))
    yield "stages", lambda: stages_text(HISTORY, lang=lang)
    yield "sensitivity", lambda: "\n".join(kla.sensitivity(CARD).sentences(lang))
    yield (
        "what-if",
        lambda: kla.what_if(RULESET, SUBMISSION, PLAN.answers()).comparison.sentence(lang),
    )
    yield "tasks text", lambda: task_force_text(FORCE, lang)
    yield "tasks html", lambda: task_force_html(FORCE, lang)
    yield "tasks html agency", lambda: task_force_html(FORCE, lang, agency="disdukcapil")


@pytest.mark.parametrize(("name", "render"), list(_one_language_outputs("id")))
def test_indonesian_outputs_use_the_decimal_comma(name: str, render: Callable[[], str]) -> None:
    assert_indonesian(render())


@pytest.mark.parametrize(("name", "render"), list(_one_language_outputs("en")))
def test_english_outputs_use_the_decimal_point(name: str, render: Callable[[], str]) -> None:
    assert_english(render())


COMMANDS_ID = [
    ("explain", str(EXAMPLE)),
    ("explain", str(EXAMPLE), "--sensitivity"),
    ("plan", str(EXAMPLE), "--lang", "id"),
    ("stages", str(EXAMPLE)),
    ("tasks", str(EXAMPLE), "--assign", str(AGENCIES), "--lang", "id"),
    ("tasks", str(EXAMPLE), "--assign", str(AGENCIES), "--lang", "id", "--format", "html"),
]


@pytest.mark.parametrize("argv", COMMANDS_ID, ids=[" ".join(c[:1] + c[2:]) for c in COMMANDS_ID])
def test_indonesian_commands_use_the_decimal_comma(
    argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert_indonesian(_run(capsys, *argv))


@pytest.mark.parametrize("argv", COMMANDS_ID, ids=[" ".join(c[:1] + c[2:]) for c in COMMANDS_ID])
def test_english_commands_use_the_decimal_point(
    argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    english = (
        [*argv[: argv.index("--lang")], *argv[argv.index("--lang") + 2 :]]
        if ("--lang" in argv)
        else list(argv)
    )
    assert_english(_run(capsys, *english, "--lang", "en"))


# --- the bilingual outputs: Indonesian first, so tables and the Indonesian halves use the
# comma; a district's points never lose their second decimal -----------------------------------


def _point_amounts() -> set[float]:
    """Every amount of points the example's outputs show."""
    amounts = {CARD.total, PLAN.new_total, PLAN.gain, PLAN.withheld}
    for card in HISTORY.cards:
        amounts |= {card.total, *(g.points for g in card.groups)}
        amounts |= {i.points for g in card.groups for i in g.indicators}
    amounts |= {step.points_before for step in PLAN.steps}
    amounts |= {step.points_after for step in PLAN.steps}
    amounts |= {tasks.points for tasks in FORCE.buckets}
    amounts |= {tasks.points_after for tasks in FORCE.buckets}
    return amounts


#: The short forms (809,5 and 809.5) of the example's amounts of points that have a second
#: decimal to lose: none of them may be printed.
SHORT_FORMS = sorted(
    {
        format_number(amount, lang)
        for amount in _point_amounts()
        for lang in ("id", "en")
        if format_number(amount, lang) != format_points(amount, lang) and amount % 1
    }
)


def _bilingual_outputs(capsys: pytest.CaptureFixture[str]) -> Iterator[tuple[str, str]]:
    for argv in (
        ("score", str(EXAMPLE)),
        ("score", str(EXAMPLE), "--stage", "self_assessment"),
        ("evidence", str(EXAMPLE)),
        ("plan", str(EXAMPLE)),
        ("tasks", str(EXAMPLE), "--assign", str(AGENCIES)),
        ("tasks", str(EXAMPLE), "--assign", str(AGENCIES), "--format", "html"),
        ("batch", str(TABLE)),
        ("validate", str(EXAMPLE)),
        ("validate-rules", "perpres-25-2021"),
        ("rules",),
    ):
        yield " ".join(argv[:1]), _run(capsys, *argv)
    yield "card text", card_text(CARD)
    yield "evidence text", evidence_text(kla.evidence_report(RULESET, SUBMISSION))
    yield "card html", card_html(CARD)
    yield "totals html", totals_html(totals_function(RULESET, None)(SUBMISSION))
    yield "stages html", stages_html(HISTORY)
    yield "plan html", plan_html(PLAN)
    yield "summary html", summary_html(kla.summarise(RULESET, [CARD]))
    yield "tasks html", task_force_html(FORCE)
    for value in (CARD, HISTORY, PLAN, FORCE, kla.summarise(RULESET, [CARD])):
        yield f"notebook {type(value).__name__}", value._repr_html_()


def test_the_bilingual_outputs_never_drop_a_second_decimal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert "809,5" in SHORT_FORMS and "42.5" in SHORT_FORMS  # the amounts seen before
    for name, text in _bilingual_outputs(capsys):
        shown = _visible(text)
        for short in SHORT_FORMS:
            pattern = rf"(?<![\w.,]){re.escape(short)}(?![\d]|[.,]\d)"
            assert not re.search(pattern, shown), (name, short)


@pytest.mark.parametrize(
    "argv",
    [
        ("score",),
        ("score", "--stage", "self_assessment"),
        ("evidence",),
        ("stages", "--lang", "id"),
    ],
    ids=["score", "score self-assessment", "evidence", "stages"],
)
def test_indonesian_comes_first_with_its_comma(
    argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    """In the lines that put both languages side by side (``Indonesian / English``), the
    Indonesian part and every table use the comma; the English part the point."""
    out = _run(capsys, argv[0], str(EXAMPLE), *argv[1:])
    for line in out.replace(RULESET.version, "").splitlines():
        indonesian, _, english = line.partition(" / ")
        assert not DECIMAL_POINT.search(indonesian), line
        assert not DECIMAL_COMMA.search(english), line
    assert re.search(r"\d,\d\d", out)


def test_the_bilingual_tables_use_the_comma(capsys: pytest.CaptureFixture[str]) -> None:
    card = _run(capsys, "score", str(EXAMPLE))
    assert "  89,00  " in card and "710,75" in card
    assert "Menuju Utama (total > 800): lebih dari 89,25 poin lagi / more than 89.25" in card
    tasks = _run(capsys, "tasks", str(EXAMPLE), "--assign", str(AGENCIES))
    assert "I.1.1 96,8 → 89,2 (" in tasks  # a correction inside an Indonesian line
    assert "710,75 → 809,50" in tasks
    html = card_html(CARD)
    assert ">89,00<" in html and "89.00" not in html and "89,0<" not in html


# --- thresholds ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def odd_threshold(tmp_path_factory: pytest.TempPathFactory) -> kla.RuleSet:
    """all-kinds.yaml with its first tier at a total of at least 30.3."""
    source = (ROOT / "tests" / "cases" / "explain-plan" / "all-kinds.yaml").read_text("utf-8")
    changed = source.replace('en: "Basic"}, min: 40,', 'en: "Basic"}, min: 30.3,')
    assert changed != source
    path = tmp_path_factory.mktemp("rules") / "odd-threshold.yaml"
    path.write_text(changed, "utf-8")
    return kla.load_ruleset(path)


def _small_card(ruleset: kla.RuleSet) -> kla.ScoreCard:
    return kla.score(ruleset, kla.Submission.from_mapping(_small_card_data()))


def test_thresholds_use_the_language_separator(odd_threshold: kla.RuleSet) -> None:
    card = _small_card(odd_threshold)
    assert card.next_tier is not None and card.next_tier.min == 30.3
    indonesian, english = str(kla.explain(card, "id")), str(kla.explain(card, "en"))
    assert "memerlukan total ≥ 30,3" in indonesian and "30.3" not in indonesian
    assert "needs a total ≥ 30.3" in english and "30,3" not in english
    assert "Menuju Dasar (total ≥ 30,3)" in card_text(card)
    assert "(total ≥ 30,3)" in card_html(card)
    plan = kla.plan(odd_threshold, kla.Submission.from_mapping(_small_card_data()))
    assert "total sekurang-kurangnya 30,3" in plan.summary[1].id
    assert "a total of at least 30.3" in plan.summary[1].en
    assert card.next_tier.threshold_in("id") == "≥ 30,3"
    assert card.next_tier.threshold == "≥ 30.3"  # messages, in English


def _small_card_data() -> dict[str, Any]:
    return {
        "region": {"code": "99.01", "name": "Kota Contoh", "kind": "kota", "province": "Contoh"},
        "year": 2024,
        "answers": {"A.2": {"value": 50, "data_year": 2023}},
    }


def test_format_functions() -> None:
    assert format_points(809.5, "id") == "809,50" and format_points(809.5, "en") == "809.50"
    assert format_signed(-17.5, "id") == "-17,50" and format_signed(0, "en") == "+0.00"
    assert format_number(86.4, "id") == "86,4" and format_number(30, "en") == "30"
    assert format_threshold(30.3, False, "id") == "> 30,3"
    assert format_threshold(30.333, True, "en") == "≥ 30.333"  # never rounded to 30.33
    assert format_exact(30.333, "id") == "30,333" and format_exact(1000.0, "en") == "1000"
    threshold = both(THRESHOLD[True], {"min": 30.333})
    assert (threshold.id, threshold.en) == (
        "total sekurang-kurangnya 30,333",
        "a total of at least 30.333",
    )


# --- plots -----------------------------------------------------------------------------------


def _figure_texts(figure: Any) -> str:
    from matplotlib.text import Text  # noqa: PLC0415

    return "\n".join(text.get_text() for text in figure.findobj(Text))


@pytest.mark.parametrize(
    "draw",
    [
        lambda: kla.plot_card(CARD),
        lambda: kla.plot_plan(PLAN, CARD),
        lambda: kla.plot_task_force(FORCE),
    ],
    ids=["card", "plan", "task force"],
)
def test_every_plot_uses_the_decimal_comma(draw: Callable[[], Any]) -> None:
    texts = _figure_texts(draw())
    assert_indonesian(texts)
    for short in SHORT_FORMS:
        assert not re.search(rf"(?<![\w.,]){re.escape(short)}(?![\d]|[.,]\d)", texts), short


def test_the_batch_plot_writes_no_decimal_point() -> None:
    """Districts per tier: counts and tier names only, none of them with a decimal point."""
    batch = kla.score_table(RULESET, kla.load_table(TABLE))
    texts = _visible(_figure_texts(kla.plot_batch(batch)))
    assert "Daerah per peringkat / Districts per tier" in texts
    assert not DECIMAL_POINT.findall(texts)
