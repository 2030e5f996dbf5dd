"""``import kla_model`` is cheap; every public name still resolves, and views still work.

The package imports the part of its public names (``kla_model._public``) that holds a name
when the name is first used (PEP 562), and ``kla`` imports only the command it runs, so a
command or a service starts without the analysis, tables, views, pandas, matplotlib or
jsonschema.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import kla_model as kla

ROOT = Path(__file__).parents[1]
#: The package as a plain module, for what type checkers do not see in it: ``__all__`` and
#: ``__getattr__`` exist at run time only (see ``tests/test_facade.py``).
PACKAGE: ModuleType = kla


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    )
    return done.stdout


def test_every_public_name_resolves_and_is_listed() -> None:
    public = PACKAGE.__all__
    assert public == sorted(set(public))
    assert all(getattr(kla, name) is not None for name in public)
    assert set(public) <= set(dir(kla))
    star = _run("from kla_model import *\nprint(sorted(name for name in dir() if name[0] != '_'))")
    assert ast.literal_eval(star) == public


def test_a_name_that_is_not_public_is_refused_without_importing_a_part() -> None:
    loaded = _run(
        "import sys, kla_model\n"
        "for name in ('_repr_html_', '__wrapped__', '_PARTS_'):\n"
        "    assert not hasattr(kla_model, name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('kla_model._public')))"
    )
    assert loaded.strip() == "[]"
    with pytest.raises(AttributeError, match=r"^module 'kla_model' has no attribute 'scroe'$"):
        PACKAGE.scroe  # noqa: B018


def test_scoring_through_the_package_imports_no_analysis_table_or_view() -> None:
    """A name of the core is found in the first part, so the second is not imported."""
    loaded = _run(
        "import sys, kla_model as kla\n"
        "kla.score, kla.load_ruleset, kla.load_submission, kla.STAGES\n"
        "print(sorted(m for m in sys.modules if m.startswith(('kla_model._public.rest', "
        "'kla_model.analysis', 'kla_model.tables', 'kla_model.views'))))"
    )
    assert loaded.strip() == "[]"


def test_importing_the_package_imports_no_heavy_module() -> None:
    loaded = _run(
        "import sys, kla_model\n"
        "print(sorted(m for m in sys.modules if m.startswith(('kla_model.', 'jsonschema', "
        "'pandas', 'matplotlib'))))"
    )
    assert loaded.strip() == "['kla_model._base', 'kla_model._base.display']"


def test_a_score_card_shows_as_html_and_text_in_a_fresh_process() -> None:
    out = _run(
        "import kla_model as kla\n"
        "rs = kla.load_ruleset('perpres-25-2021')\n"
        f"card = kla.score(rs, kla.load_submission({str(ROOT / 'examples' / 'kota-tangerang-2025.yaml')!r}))\n"
        "print(card._repr_html_()[:5]); print(str(card).splitlines()[0][:20])"
    )
    html, text = out.splitlines()[:2]
    assert html == "<div>"
    assert not text.startswith("ScoreCard(")  # the card's text, not its repr


def test_kla_score_imports_only_what_scoring_needs() -> None:
    loaded = _run(
        "import sys, contextlib, io\n"
        "from kla_model.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['score', {str(ROOT / 'examples' / 'kota-tangerang-2025.yaml')!r}])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('kla_model.analysis', "
        "'kla_model.tables', 'pandas', 'matplotlib', 'jsonschema.'))))"
    )
    assert loaded.strip() == "[]"


#: What ``kla score`` must start without: heavy packages (a tenth of a second and more each),
#: and modules that only other commands, errors or notebooks need.
NOT_FOR_KLA_SCORE = (
    "jsonschema",  # jsonschema-rs (the test extra) says a valid input is valid
    "pandas",
    "numpy",
    "matplotlib",
    "starlette",
    "uvicorn",
    "importlib.resources",
    "importlib.metadata",
    "_hashlib",  # OpenSSL's library: a bundled ruleset's hash is recorded, not computed
    "difflib",
    "html",
    "kla_model.analysis",
    "kla_model.tables",
    "kla_model.serve",
    "kla_model.views.html",
    "kla_model.scoring.stages",
    "kla_model.submissions.completeness",
    "kla_model.rules.crosswalk",
)

_SCORE_EXAMPLE = (
    "import sys, contextlib, io\n"
    "from kla_model.cli import main\n"
    "out = io.StringIO()\n"
    "with contextlib.redirect_stdout(out):\n"
    f"    main(['score', {str(ROOT / 'examples' / 'kota-tangerang-2025.yaml')!r}])\n"
    "print(repr(out.getvalue()))\n"
    "print(sorted(sys.modules))\n"
)


def test_kla_score_starts_without_heavy_or_unneeded_modules() -> None:
    card, modules = _run(_SCORE_EXAMPLE).splitlines()
    loaded = set(ast.literal_eval(modules))
    # What the command adds to a bare interpreter: a site's own start-up files (a .pth that
    # imports a package) are the machine's, not kla_model's.
    bare = set(ast.literal_eval(_run("import sys; print(sorted(sys.modules))")))
    assert [name for name in NOT_FOR_KLA_SCORE if name in loaded - bare] == []
    assert ast.literal_eval(card).startswith("Kota Tangerang")
    assert "jsonschema_rs" in loaded


@pytest.mark.parametrize(
    "command",
    [["score", "kota-tangerang-2025.yaml"], ["batch", "districts-2025.csv"]],
    ids=["score", "batch"],
)
def test_the_commands_do_not_go_through_the_facade(command: list[str]) -> None:
    """The first use of a public name imports a part of them all (``kla_model._public``):
    the commands import their modules by path, so they start without it."""
    *name, path = command
    loaded = _run(
        "import sys, contextlib, io\n"
        "from kla_model.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main([*{name!r}, {str(ROOT / 'examples' / path)!r}])\n"
        "print(sorted(m for m in sys.modules if m.startswith('kla_model._public')))"
    )
    assert loaded.strip() == "[]"


def test_kla_score_prints_the_same_card_without_jsonschema_rs() -> None:
    """The core needs no extra: without jsonschema-rs, jsonschema checks the input."""
    card, modules = _run(_SCORE_EXAMPLE).splitlines()
    card_without, modules_without = _run(
        "import sys\nsys.modules['jsonschema_rs'] = None  # as if not installed\n" + _SCORE_EXAMPLE
    ).splitlines()
    assert card_without == card
    assert "jsonschema" in ast.literal_eval(modules_without)
    assert "jsonschema" not in ast.literal_eval(modules)
