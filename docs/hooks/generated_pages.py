"""MkDocs hooks: pages generated at build time, so that they cannot drift from their sources.

* ``indicators.md``: the indicator catalogue of the bundled ruleset, written by the library
  itself (``kla_model.views.catalogue``);
* ``tutorial.md``: ``tutorial.ipynb``, executed (so its outputs are today's) and rendered
  as Markdown, pictures included;
* ``changelog.md``: the repository's ``CHANGELOG.md``.

``docs/tutorial.ipynb`` is also stored with its outputs, so that GitHub shows its results and
pictures.  After changing the notebook or anything it prints, store today's outputs with::

    python docs/hooks/generated_pages.py

(CI still executes the notebook, in ``tests/test_notebook.py`` and in the site build.)

The pages link to what a reader on GitHub can open: ``tutorial.ipynb`` (GitHub shows it,
outputs included), ``../CHANGELOG.md`` and the bundled rule file.  In the built site those
links are turned into links to the generated pages (:data:`SITE_LINKS`), so one Markdown
source works in both places.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import nbclient
import nbformat
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]


def _indicators() -> str:
    # Imported here, once on_files has put this checkout's src/ first on sys.path.
    from kla_model import load_ruleset  # noqa: PLC0415
    from kla_model.views.catalogue import catalogue_markdown  # noqa: PLC0415

    return catalogue_markdown(load_ruleset("perpres-25-2021"))


def _output(output: Any) -> str:
    if output.output_type == "stream":
        return f"```text\n{output.text.rstrip()}\n```"
    if output.output_type == "error":
        raise RuntimeError(f"the tutorial failed: {output.ename}: {output.evalue}")
    data = output.get("data", {})
    if "image/png" in data:
        return f'<img alt="figure" src="data:image/png;base64,{data["image/png"]}">'
    if "text/html" in data:
        return f'<div class="kla-output">{data["text/html"]}</div>'
    if "text/plain" in data:
        return f"```text\n{data['text/plain'].rstrip()}\n```"
    return ""


TUTORIAL = ROOT / "docs" / "tutorial.ipynb"


def executed_tutorial() -> Any:
    """The tutorial notebook, executed with this checkout's kla_model."""
    # The notebook's kernel is another process: it must import this checkout too.
    found = os.environ.get("PYTHONPATH")
    if str(ROOT / "src") not in (found or "").split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [found])])
    notebook = nbformat.read(TUTORIAL, as_version=4)
    resources = {"metadata": {"path": str(TUTORIAL.parent)}}
    nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources=resources
    ).execute()
    return notebook


def _tutorial() -> str:
    notebook = executed_tutorial()
    parts = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code":
            parts.append(f"```python\n{cell.source}\n```")
            parts.extend(_output(output) for output in cell.outputs)
    download = "[Download the notebook / Unduh notebook](tutorial.ipynb)"
    return "\n\n".join([*parts, download]) + "\n"


def _changelog() -> str:
    return (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


#: Links written for GitHub (left), and the generated page each becomes in the built site.
SITE_LINKS = {
    "](tutorial.ipynb)": "](tutorial.md)",
    "](../CHANGELOG.md)": "](changelog.md)",
    "](../rules/perpres-25-2021.yaml)": "](indicators.md)",
}


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if page.file.src_uri == "tutorial.md":  # its own download link stays a link to the file
        return markdown
    for github, site in SITE_LINKS.items():
        markdown = markdown.replace(github, site)
    return markdown


def on_files(files: Files, config: Any) -> Files:
    # Build the pages with this checkout's kla_model, not another installed copy.  (Here and
    # not at import: MkDocs takes its own entry off sys.path again after loading a hook.)
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    for name, make in (
        ("indicators.md", _indicators),
        ("tutorial.md", _tutorial),
        ("changelog.md", _changelog),
    ):
        files.append(File.generated(config, name, content=make()))
    return files


if __name__ == "__main__":  # python docs/hooks/generated_pages.py: store the outputs
    nbformat.write(executed_tutorial(), TUTORIAL)
    print(f"{TUTORIAL.relative_to(ROOT)}: executed, stored with its outputs")
