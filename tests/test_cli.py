"""The ``kla`` command: output, exit codes, and errors on stderr without tracebacks."""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import EXAMPLE, ROOT, TEST_RULESETS
from kla_model._base.json_schema import schema
from kla_model.cli import build_parser, entry, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_text_shows_groups_total_tier_and_next(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", str(EXAMPLE), "--stage", "self_assessment")
    assert (code, err) == (0, "")
    assert "Kota Tangerang (kota, Banten)" in out
    assert "perpres-25-2021 2025.1 (provisional)" in out
    assert "Penguatan Kelembagaan" in out and "Institutional strengthening" in out
    lines = out.splitlines()
    assert any(line.split()[-2:] == ["146,75", "164"] for line in lines)
    assert any(line.split() == ["Total", "763,25", "1000"] for line in lines)
    assert "Peringkat / Tier: Nindya" in out
    assert (
        "Menuju Utama (total > 800): lebih dari 36,75 poin lagi / more than 36.75 more points"
        in lines
    )


def test_score_json_validates_against_the_result_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", str(EXAMPLE), "--format", "json")
    data = json.loads(out)
    jsonschema.Draft202012Validator(schema("result")).validate(data)
    # without --stage: the latest stage the submission reached, here the final verification
    assert (code, data["stage"], data["total"], data["tier"]["id"]) == (
        0,
        "final",
        710.75,
        "nindya",
    )


def test_score_with_a_ruleset_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sub = tmp_path / "s.yaml"
    sub.write_text(
        "region: {code: '1', name: Kota Uji, kind: kota, province: P}\nyear: 2025\n"
        "answers: {A.1: p500, B.1: p100_01}\n"
    )
    code, out, _ = run(
        capsys, "score", str(sub), "--ruleset", str(TEST_RULESETS / "boundaries.yaml")
    )
    assert code == 0
    assert "Peringkat / Tier: Madya" in out


def test_invalid_input_exits_1_with_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "region: {code: '1', name: X, kind: kota, province: P}\nyear: 2025\n"
        "answers: {I.1: {value: 101, data_year: 2024}, Z.9: true}\n"
    )
    code, out, err = run(capsys, "score", str(bad))
    assert (code, out) == (1, "")
    assert f"kla: {bad} (against ruleset perpres-25-2021): 2 problems" in err
    assert "I.1.1: expected a percentage from 0 to 100; found 101" in err
    assert "found unknown id 'Z.9'" in err
    assert "Traceback" not in err


def test_validate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "validate", str(EXAMPLE))
    assert code == 0
    assert out.strip().endswith(
        "sah / valid (24 dari 24 indikator dijawab / 24 of 24 indicators answered)"
    )
    code, _, err = run(capsys, "validate", str(tmp_path / "none.yaml"))
    assert code == 1
    assert "none.yaml: cannot read the file: No such file or directory" in err


def test_rules_lists_the_bundled_rulesets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("perpres-25-2021"))
    assert row.split()[:5] == ["perpres-25-2021", "2025.1", "provisional", "2018-", "1000"]
    code, out, _ = run(capsys, "rules", "--format", "json")
    listed = {entry["id"]: entry for entry in json.loads(out)}
    assert listed["perpres-25-2021"]["rounds"] == {"from": 2018}


def test_unknown_ruleset_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "score", str(EXAMPLE), "--ruleset", "perpres")
    assert code == 1
    assert "ruleset 'perpres': expected a bundled ruleset name" in err


def test_the_module_runs_as_a_command_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("region: [\n")
    done = subprocess.run(
        [sys.executable, "-m", "kla_model", "score", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"kla: {bad}: 1 problem")
    assert "Traceback" not in done.stderr


def test_the_console_script_prints_what_main_prints_and_exits_with_its_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``kla`` (``entry``) leaves the process without the interpreter's teardown: what it
    wrote to a pipe (block-buffered) must still all arrive, with the exit code."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("region: [\n")
    for args in (["score", str(EXAMPLE), "--format", "json"], ["score", str(bad)]):
        done = subprocess.run(
            [sys.executable, "-m", "kla_model", *args], capture_output=True, text=True, check=False
        )
        assert (done.returncode, done.stdout, done.stderr) == run(capsys, *args)


def test_the_console_script_collects_garbage_again_once_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The collector is off only while ``kla`` starts: a long command (a large batch, a
    service) runs with it on."""
    seen: list[bool] = []

    def command(args: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr("kla_model.cli._run", command)
    monkeypatch.setattr("kla_model.cli._exit_now", lambda code: None)
    monkeypatch.setattr(sys, "argv", ["kla", "rules"])
    try:
        entry()
    finally:
        gc.unfreeze()  # what it froze is this test process's, not a command's
    assert seen == [True]
    assert gc.isenabled()


def test_the_service_ends_through_the_interpreters_teardown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``kla serve`` closes what it holds on the way out: no exit without the teardown."""
    monkeypatch.setattr("kla_model.cli._run", lambda args: 0)
    monkeypatch.setattr("kla_model.cli._exit_now", lambda code: pytest.fail("exited at once"))
    monkeypatch.setattr(sys, "argv", ["kla", "serve"])
    try:
        with pytest.raises(SystemExit) as exited:
            entry()
    finally:
        gc.unfreeze()
    assert exited.value.code == 0


def test_the_default_ruleset_is_the_one_in_force_for_the_round(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(
        "region: {code: '1', name: Kota Uji, kind: kota, province: P}\nyear: 2016\nanswers: {}\n"
    )
    code, out, _ = run(capsys, "score", str(old))
    assert code == 0
    assert "permen-pppa-12-2011" in out
    ancient = tmp_path / "ancient.yaml"
    ancient.write_text(
        "region: {code: '1', name: Kota Uji, kind: kota, province: P}\nyear: 2005\nanswers: {}\n"
    )
    code, _, err = run(capsys, "score", str(ancient))
    assert code == 1
    assert "round 2005: expected a round that a ruleset applies to; none does" in err


def _options(command: str) -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {o for action in sub.choices[command]._actions for o in action.option_strings}


def test_the_readme_claims_about_options_hold_for_every_command() -> None:
    """README: which commands take --ruleset and --format (issue 13)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    reading = ("score", "validate", "stages", "evidence", "explain", "plan", "batch")
    for command in reading:
        assert "--ruleset" in _options(command), command
        assert f"`{command}`" in readme
    for command in ("rules", "validate-rules"):
        assert "--ruleset" not in _options(command), command
    for command in (*reading, "rules", "validate-rules"):
        assert "--format" in _options(command), command


@pytest.mark.parametrize(
    "command",
    [
        "score",
        "validate",
        "stages",
        "evidence",
        "explain",
        "plan",
        "batch",
        "rules",
        "validate-rules",
    ],
)
def test_bad_usage_exits_2_for_every_command(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """README: exit code 2 on bad usage, with a usage line on stderr."""
    with pytest.raises(SystemExit) as raised:
        main([command, "--no-such-option"])
    assert raised.value.code == 2
    assert "usage: kla" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out.startswith("kla ")


def test_a_table_given_to_score_says_to_use_batch(capsys: pytest.CaptureFixture[str]) -> None:
    table = Path(__file__).resolve().parents[1] / "examples" / "districts-2025.csv"
    assert main(["score", str(table)]) == 1
    err = capsys.readouterr().err
    assert "this looks like a table of many districts; score it with `kla batch FILE`" in err


def test_a_submission_of_another_ruleset_gets_one_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["score", str(EXAMPLE), "--ruleset", "permen-pppa-12-2011"]) == 1
    err = capsys.readouterr().err
    assert ": 1 problem\n" in err
    assert (
        "$.answers: expected indicator ids of ruleset permen-pppa-12-2011; found 24 of the 24 "
        "answered indicators unknown to it (K.1, K.2, K.3, I.1, ...): the submission is written "
        "for another ruleset; its ids are those of perpres-25-2021 (--ruleset perpres-25-2021)"
    ) in err
    assert "did you mean" not in err


def test_a_round_that_was_not_held_is_a_note_not_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules", "--round", "2016"]) == 0
    captured = capsys.readouterr()
    assert "permen-pppa-12-2011" in captured.out
    assert captured.err == (
        "kla: note: round 2016: no KLA evaluation round is known to have been held that year "
        "[I, inferred: no award reported; tier histories skip 2016 (Kebumen 2015, 2017)]\n"
    )
    assert main(["rules", "--round", "2020", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["round"] == {
        "year": 2020,
        "held": False,
        "confidence": "I",
        "note": "no award round reported",
    }


def test_validate_and_validate_rules_say_valid_the_same_way(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Indonesian first, then English, as every other bilingual line: ``sah / valid``."""
    _, submission, _ = run(capsys, "validate", str(EXAMPLE))
    rules = ROOT / "rules" / "perpres-25-2021.yaml"
    _, ruleset, _ = run(capsys, "validate-rules", str(rules))
    assert submission.startswith(f"{EXAMPLE}: sah / valid (")
    assert ruleset.splitlines()[0] == f"{rules}: sah / valid"


def test_one_indonesian_name_for_the_self_assessment_stage() -> None:
    """The page (i18n.js), the stage labels every Python output uses, and the docs agree."""
    from kla_model.submissions.evidence import STAGE_LABELS  # noqa: PLC0415

    assert STAGE_LABELS["self_assessment"].id == "Penilaian mandiri"
    page = (ROOT / "src" / "kla_model" / "serve" / "static" / "i18n.js").read_text("utf-8")
    assert 'self_assessment: "Penilaian mandiri"' in page
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        assert "Evaluasi mandiri" not in path.read_text("utf-8"), path
