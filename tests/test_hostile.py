"""Hostile inputs: every loader, builder and ``kla`` command refuses them cleanly.

For each file of the corpus in ``tests/hostile/`` and each shape made here (devices, FIFOs,
2 MB flow lists, long ``extends:`` chains): only a :class:`~kla_model.KlaError` escapes,
every command exits 1 with the problem on standard error and no traceback, nothing runs,
nothing outside what was named is read or written, and each case ends within a generous
time limit (a guard against hangs, not a timing test).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model._base.json_schema import (
    SCHEMA_NAMES,
    _fast_validator,
    _validator,
    schema_problems,
)
from kla_model._base.numbers import number_problems
from kla_model._base.strict_yaml import MAX_ENTRIES, parse_yaml
from kla_model.cli import main
from kla_model.tables.summary import summarise
from profiles import examples
from schema_strategies import documents, mutated

ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "tests" / "hostile"
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"
EXAMPLE_DATA = kla.load_submission(EXAMPLE).to_dict()
RULESET = kla.load_ruleset("perpres-25-2021")
#: Far above what any case needs: a hang, not a slow machine, trips it.
LIMIT = 60
HEAD = "extends: perpres-25-2021\nid: x\nversion: '1'\nstatus: official\nsource: s\n"


@contextlib.contextmanager
def within(seconds: int = LIMIT) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block runs longer than ``seconds``."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _only_kla_errors(load: Callable[[], object]) -> kla.KlaError | None:
    """Run ``load``: it may succeed or raise a KlaError, nothing else."""
    with within():
        try:
            load()
        except kla.KlaError as error:
            return error
    return None


def _kla(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with within(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


CORPUS_FILES = sorted(path for path in CORPUS.iterdir() if path.suffix in {".yaml", ".json"})
LOADERS: dict[str, Callable[[Path], object]] = {
    "submission": kla.load_submission,
    "ruleset": kla.load_ruleset,
    "costs": lambda path: kla.load_costs(path, RULESET),
    "crosswalk": kla.load_crosswalk,
    "assignment": lambda path: kla.load_assignment(path, RULESET),
}
COMMANDS = ("score", "validate", "explain", "plan", "stages", "evidence")


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_every_loader_refuses_the_corpus_with_a_kla_error(path: Path, loader: str) -> None:
    error = _only_kla_errors(lambda: LOADERS[loader](path))
    assert error is not None
    assert str(path) in str(error)
    assert len(str(error)) < 20_000  # every echoed value is capped
    assert not Path("/tmp/kla-hostile-ran").exists()


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_exits_1_with_the_problem_on_stderr(path: Path, command: str) -> None:
    code, out, err = _kla(command, str(path))
    assert code == 1
    assert out == ""
    assert err.startswith("kla: ") and str(path) in err
    assert "Traceback" not in err


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
@pytest.mark.parametrize(
    "argv",
    [
        ("validate-rules", "{}"),
        ("tasks", "{}", "--assign", "{}"),
        ("plan", str(EXAMPLE), "--cost", "{}"),
    ],
    ids=["validate-rules", "tasks", "plan-cost"],
)
def test_rule_task_and_cost_files_are_refused_too(path: Path, argv: tuple[str, ...]) -> None:
    code, _, err = _kla(*(arg.format(path) for arg in argv))
    assert code == 1
    assert err.startswith("kla: ") and "Traceback" not in err


def test_nothing_in_a_tag_runs() -> None:
    error = _only_kla_errors(lambda: kla.load_submission(CORPUS / "python-tag.yaml"))
    assert error is not None
    assert "line 1, column 9: the tag 'tag:yaml.org,2002:python/object/apply:os.system'" in str(
        error
    )
    assert not Path("/tmp/kla-hostile-ran").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("binary-tag.yaml", "line 1, column 9: the tag 'tag:yaml.org,2002:binary' is not allowed"),
        ("set-tag.yaml", "line 1, column 9: the tag 'tag:yaml.org,2002:set' is not allowed"),
        ("alias-bomb.yaml", "line 2, column 8: an alias ('*a') was found"),
        ("duplicate-key.yaml", "line 2, column 1: duplicate key 'year'"),
        (
            "nul.yaml",
            "line 1, column 29: expected text; found the control character U+0000, "
            "which YAML does not allow",
        ),
        (
            "escape-char.yaml",
            "line 1, column 29: expected text; found the control character U+001B",
        ),
        (
            "huge-int.yaml",
            '$.answers["I.1"].value: expected a number within the range of a float; '
            "found an integer of 400 digits",
        ),
        (
            "huge-int.json",
            '$.answers["I.1"].value: expected a number within the range of a float; '
            "found an integer of 5000 digits",
        ),
        ("nan.json", '$.answers["I.1"].value: expected a finite number; found nan'),
        ("string-number.yaml", "$.answers[\"I.1\"].value: expected a number; found '96.8'"),
        ("not-utf8.yaml", "the file is not UTF-8 text (byte 0: invalid start byte)"),
        ("empty.yaml", "the file is empty"),
    ],
)
def test_each_hostile_submission_is_refused_with_its_place(name: str, message: str) -> None:
    error = _only_kla_errors(lambda: kla.load_submission(CORPUS / name))
    assert error is not None
    assert f"{CORPUS / name}: {message}" in str(error)


def test_numbers_beyond_a_float_are_refused_in_every_file_kind() -> None:
    overlay = _only_kla_errors(lambda: kla.load_ruleset(CORPUS / "overlay-huge-int.yaml"))
    assert "$.max_score: expected a number within the range of a float" in str(overlay)
    costs = _only_kla_errors(lambda: kla.load_costs(CORPUS / "costs-huge-int.yaml", RULESET))
    assert '$.items["K.1.2"]: expected a number within the range of a float' in str(costs)
    bands = RULESET.to_dict()
    bands["groups"][1]["indicators"][0]["items"][0]["rule"]["bands"][0]["min"] = 10**400
    error = _only_kla_errors(lambda: kla.RuleSet.from_mapping(bands, "r.yaml"))
    assert "r.yaml: $.groups[1].indicators[0].items[0].rule.bands[0].min: expected a number" in str(
        error
    )
    correction = {
        **EXAMPLE_DATA,
        "verification": [
            *EXAMPLE_DATA["verification"],
            {
                "stage": "final",
                "action": "correct",
                "indicator": "I.1",
                "value": {"value": 10**400, "data_year": 2024},
                "verifier": "v",
                "reason": "r",
            },
        ],
    }
    error = _only_kla_errors(lambda: kla.Submission.from_mapping(correction, "s.yaml"))
    assert "s.yaml: $.verification[36].value.value: expected a number within the range" in str(
        error
    )


# --- Files that are not regular files, and files too large or too slow to parse ------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_without_reading_it(device: str) -> None:
    error = _only_kla_errors(lambda: kla.load_submission(device))
    assert str(error).endswith(
        f"{device}: expected a regular file; found a directory, device, FIFO or socket"
    )
    code, _, err = _kla("batch", device)
    assert code == 1 and "expected a regular file" in err


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    error = _only_kla_errors(lambda: kla.load_submission(fifo))
    assert "expected a regular file" in str(error)
    code, _, err = _kla("score", str(fifo))
    assert code == 1 and "expected a regular file" in err


def test_kla_score_on_dev_zero_ends_at_once_as_a_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kla_model", "score", "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=LIMIT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "/dev/zero: expected a regular file" in done.stderr


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ("[" + ",".join(["1"] * 600_000) + "]", f"expected at most {MAX_ENTRIES:,} entries"),
        ("{" + ",".join(f"k{i}: {i}" for i in range(190_000)) + "}", "expected at most"),
        ("- " + "\n- ".join(["a"] * 300_000), f"expected at most {MAX_ENTRIES:,} entries"),
        ("[" * 100_000, "the data is nested too deeply"),
    ],
    ids=["flow-list", "190k-keys", "block-list", "deep"],
)
def test_large_shapes_under_the_size_limit_end_quickly(shape: str, message: str) -> None:
    assert len(shape.encode()) <= 2_000_000 + 1_000_000  # around the size limit
    with within(), pytest.raises(kla.SubmissionError) as raised:
        parse_yaml(shape, "big.yaml", kla.SubmissionError)
    assert message in str(raised.value)


# --- extends: confinement and chains -----------------------------------------------------


def test_extends_reads_nothing_outside_the_overlay_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret" / "parent.yaml"
    secret.parent.mkdir()
    secret.write_text(EXAMPLE.read_text())
    folder = tmp_path / "overlays"
    folder.mkdir()
    overlay = folder / "o.yaml"
    for target in (str(secret), "../secret/parent.yaml", "/etc/passwd"):
        overlay.write_text(HEAD.replace("perpres-25-2021", json.dumps(target)))
        error = _only_kla_errors(lambda: kla.load_ruleset(overlay))
        expected = (
            f"{overlay}: $.extends: expected a bundled ruleset name or a rule file inside "
            f"the overlay's folder {folder.resolve()}"
        )
        assert expected in str(error)
        assert "kla_model reads no other file" in str(error)
        assert "Kota Tangerang" not in str(error)  # nothing of the file is echoed


def test_a_folder_the_caller_allows_may_hold_the_parent(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "base.yaml").write_text(HEAD.replace("id: x", "id: base"))
    folder = tmp_path / "overlays"
    folder.mkdir()
    overlay = folder / "o.yaml"
    overlay.write_text(HEAD.replace("perpres-25-2021", "../shared/base.yaml"))
    with pytest.raises(kla.RuleSetError, match="outside them"):
        kla.load_ruleset(overlay)
    assert kla.load_ruleset(overlay, allow=[shared]).extends is not None


def test_a_mapping_extends_files_only_from_allowed_folders(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(HEAD.replace("id: x", "id: base"))
    data = {"extends": str(tmp_path / "base.yaml"), "id": "m", "version": "1"}
    data |= {"status": "official", "source": "s"}
    with pytest.raises(kla.RuleSetError, match=r"ruleset: \$\.extends: expected a bundled"):
        kla.RuleSet.from_mapping(data)
    assert kla.RuleSet.from_mapping(data, allow=[tmp_path]).id == "m"
    assert kla.RuleSet.from_mapping({**data, "extends": "perpres-25-2021"}).id == "m"


def test_a_long_extends_chain_is_refused_naming_it_and_quickly(tmp_path: Path) -> None:
    for level in range(30):
        parent = "perpres-25-2021" if level == 0 else f"o{level - 1}.yaml"
        text = HEAD.replace("perpres-25-2021", parent).replace("id: x", f"id: o{level}")
        (tmp_path / f"o{level}.yaml").write_text(text)
    with within(), pytest.raises(kla.RuleSetError) as raised:
        kla.load_ruleset(tmp_path / "o29.yaml")
    text = str(raised.value)
    assert f"expected at most {kla.MAX_EXTENDS} overlays, each extending the next" in text
    assert f"{tmp_path / 'o29.yaml'} -> {tmp_path / 'o28.yaml'}" in text
    assert "nested too deeply" not in text
    chain = kla.load_ruleset(tmp_path / f"o{kla.MAX_EXTENDS - 1}.yaml")
    assert chain.id == f"o{kla.MAX_EXTENDS - 1}"


# --- Values: declared values, data years, capped echo, score cards ------------------------


def _with_i1(value: float) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(EXAMPLE_DATA))
    data["answers"]["I.1"] = {"value": value, "data_year": 2024}
    return data


@pytest.mark.parametrize("stage", kla.STAGES)
def test_a_declared_value_is_checked_at_every_stage_even_when_corrected(stage: str) -> None:
    """The example corrects I.1 at the field stage: its declared 150 % must still fail."""
    submission = kla.Submission.from_mapping(_with_i1(150), "s.yaml")
    with pytest.raises(kla.SubmissionError) as raised:
        kla.score(RULESET, submission, stage=stage)
    assert 's.yaml: $.answers["I.1"]: I.1.1: expected a percentage from 0 to 100; found 150' in str(
        raised.value
    )


def test_a_declared_value_fails_every_command(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(_with_i1(150)))
    for command in ("score", "explain", "plan", "stages", "validate", "evidence"):
        code, _, err = _kla(command, str(path))
        assert code == 1, command
        assert "expected a percentage from 0 to 100; found 150" in err, command


def test_data_years_are_checked_against_the_round_for_every_measured_answer() -> None:
    strict = kla.RuleSet.from_mapping(
        {**json.loads(json.dumps(RULESET.to_dict())), "max_data_age": 5}
    )
    for year, message in (
        (
            1990,
            "expected a data year from 2020 to 2025 (the ruleset accepts data at most 5 years "
            "older than the round); found 1990",
        ),
        (2200, "expected a data year no later than the round 2025; found 2200"),
    ):
        data = json.loads(json.dumps(EXAMPLE_DATA))
        data["answers"]["I.1"] = {"value": 90, "data_year": year}
        submission = kla.Submission.from_mapping(data, "s.yaml")
        assert f's.yaml: $.answers["I.1"].data_year: I.1.1: {message}' in [
            str(problem) for problem in kla.check(strict, submission)
        ]
        with pytest.raises(kla.SubmissionError, match=r"I\.1\.1: expected a data year"):
            kla.score(strict, submission)
        with pytest.raises(kla.SubmissionError, match=r"I\.1\.1: expected a data year"):
            list(kla.score_many(strict, [submission], trace=False))


def test_every_echoed_value_is_capped() -> None:
    data = json.loads(json.dumps(EXAMPLE_DATA))
    data["region"]["name"] = "y" * 1_000_000
    data["answers"]["z" * 100_000] = "w" * 100_000
    data["y" * 100_000] = 1
    error = _only_kla_errors(lambda: kla.Submission.from_mapping(data, "s.yaml"))
    assert error is not None
    assert len(str(error)) < 3_000
    assert (
        "s.yaml: $.region.name: expected at most 200 characters; found 1000000 characters"
        in str(error)
    )


def test_a_score_card_from_bad_data_raises_a_kla_error() -> None:
    card = kla.score(RULESET, kla.load_submission(EXAMPLE)).to_dict()
    for bad, message in (
        ({**card, "total": 10**400}, "$.total: expected a number within the range of a float"),
        ({**card, "tier": "kla"}, "$.tier: expected"),
        ({k: v for k, v in card.items() if k != "groups"}, "'groups' is a required property"),
        ([], "expected a mapping; found list"),
    ):
        with pytest.raises(kla.ResultError) as raised:
            kla.ScoreCard.from_dict(bad)  # type: ignore[arg-type]
        assert message in str(raised.value)
    assert kla.ScoreCard.from_dict(card).to_dict() == card


# --- kla batch: outputs --------------------------------------------------------------------


def test_batch_never_overwrites_its_input(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    original = (ROOT / "examples" / "districts-2025.csv").read_text()
    table.write_text(original)
    for out in (str(table), str(tmp_path / "." / "t.csv")):
        code, _, err = _kla("batch", str(table), "--out", out)
        assert code == 1
        assert "expected a new file for the results; found the input table" in err
    assert table.read_text() == original
    code, _, err = _kla("batch", str(table), "--out", str(tmp_path))
    assert code == 1
    assert (
        f"kla: --out {tmp_path}: expected a file to write the results to; found a directory" in err
    )


def test_batch_csv_neutralises_formulas_and_json_lines_keeps_them(tmp_path: Path) -> None:
    table = CORPUS / "hostile-table.csv"
    code, out, err = _kla("batch", str(table), "--ruleset", "perpres-25-2021")
    assert code == 1  # rows 3 and 4 are refused, row 2 is scored
    assert "row 3, I.1: expected a finite number; found '1e999'" in err
    assert "row 4: expected 7 cells like the header; found 3" in err
    row = out.splitlines()[1]
    assert row.startswith('1,"\'=HYPERLINK(""http://x"",""y"")",kota,')
    code, out, _ = _kla("batch", str(table), "--ruleset", "perpres-25-2021", "--format", "jsonl")
    assert json.loads(out.splitlines()[0])["region"]["name"] == '=HYPERLINK("http://x","y")'


def test_the_summary_keeps_only_the_ranking_it_shows() -> None:
    submission = kla.load_submission(EXAMPLE)
    many = [submission] * 500
    totals = list(kla.score_many(RULESET, many, trace=False))
    summary = summarise(RULESET, totals, keep=10)
    assert len(summary.ranking) == 10
    assert summary.rounds[0].scored == 500
    assert [entry.rank for entry in summary.ranking] == [1] * 10


# --- Properties: documents generated from the schemas, and the example mutated -------------


def _full_verdict(name: str, document: Any) -> bool:
    return not number_problems(document, "d") and _validator(name).is_valid(document)


def _fast_verdict(name: str, document: Any) -> bool:
    fast = _fast_validator(name)
    assert fast is not None, "jsonschema-rs is in the test extra"
    try:
        accepted = bool(fast.is_valid(document))
    except Exception:  # what it cannot convert is left to the full validator
        accepted = _validator(name).is_valid(document)
    return not number_problems(document, "d") and accepted


@pytest.mark.parametrize("name", SCHEMA_NAMES)
@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_compiled_check_and_the_full_validator_agree(name: str, data: st.DataObject) -> None:
    """The compiled check decides; the full validator only words. They must agree on valid
    and invalid documents alike, or an input would be refused without a reason (or pass)."""
    document = data.draw(documents(name))
    if data.draw(st.booleans()):
        document = data.draw(mutated(document))
    assert _fast_verdict(name, document) == _full_verdict(name, document)
    assert (schema_problems(name, document, "d") == []) == _full_verdict(name, document)


LOADING: dict[str, Callable[[Any], object]] = {
    "submission": lambda d: kla.score(RULESET, kla.Submission.from_mapping(d)),
    "ruleset": kla.RuleSet.from_mapping,
    "overlay": kla.RuleSet.from_mapping,
    "costs": lambda d: kla.Costs.from_mapping(d, "costs", RULESET),
    "result": kla.ScoreCard.from_dict,
}


@pytest.mark.parametrize("name", sorted(LOADING))
@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_documents_raise_nothing_but_kla_errors(name: str, data: st.DataObject) -> None:
    document = data.draw(documents(name))
    if data.draw(st.booleans()):
        document = data.draw(mutated(document))
    _only_kla_errors(lambda: LOADING[name](document))


@settings(max_examples=examples(200), suppress_health_check=[HealthCheck.too_slow])
@given(mutated(EXAMPLE_DATA))
def test_the_example_mutated_near_validity_scores_or_is_refused(document: Any) -> None:
    def load() -> None:
        submission = kla.Submission.from_mapping(document, "s.yaml")
        for stage in kla.STAGES:
            kla.score(RULESET, submission, stage=stage).to_dict()
        list(kla.score_many(RULESET, [submission], trace=False))

    _only_kla_errors(load)
