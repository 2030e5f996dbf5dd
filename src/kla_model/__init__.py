"""kla_model: Indonesia's child-friendly district evaluation (Kabupaten/Kota Layak Anak) as code.

Rules are data (YAML under ``rules/``), a submission is scored into a :class:`ScoreCard`
with points per item, indicator and group, a total, a tier and a trace::

    import kla_model as kla

    rs = kla.load_ruleset("perpres-25-2021")
    card = kla.score(rs, kla.load_submission("examples/kota-tangerang-2025.yaml"))
    card.total, card.tier

A submission carries its evidence (*data dukung*) and the verifiers' records; it can be
scored at each stage of the evaluation (``kla.score(rs, sub, stage="administrative")``,
``kla.score_stages(rs, sub)``), and ``kla.evidence_report(rs, sub)`` lists what still lacks
the evidence it requires.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from kla_model._base.display import on_first_view

if TYPE_CHECKING:
    # Type checkers see every public name with its type; at run time each part is imported
    # when one of its names is first used (``_public_attribute``).
    from kla_model._public.core import *
    from kla_model._public.rest import *

#: The modules that state the public names, each name once, the cheaper first: a name is
#: looked for in each in turn, so ``import kla_model`` imports none of them (the ``kla``
#: command and a service start fast), and a program that loads and scores imports neither
#: the analysis, nor the tables, nor the views.
_PARTS = ("kla_model._public.core", "kla_model._public.rest")


def _part_names(part: str) -> dict[str, Any]:
    """A part's public names (all it holds), copied into the package's namespace so that
    later uses find them there, without ``__getattr__``."""
    names = {
        name: value for name, value in vars(import_module(part)).items() if not name.startswith("_")
    }
    globals().update(names)
    return names


def _public_attribute(name: str) -> Any:
    """The package's ``__getattr__`` (PEP 562): a public name, or ``__all__``, all of them."""
    if name == "__all__":
        public = sorted(key for part in _PARTS for key in _part_names(part))
        globals()["__all__"] = public
        return public
    if not name.startswith("_"):  # a probe for a private or special name imports nothing
        for part in _PARTS:
            names = _part_names(part)
            if name in names:
                return names[name]
    raise AttributeError(f"module 'kla_model' has no attribute {name!r}")


def _public_dir() -> list[str]:
    return sorted({*globals(), *_public_attribute("__all__")})


if not TYPE_CHECKING:
    # Hidden from type checkers, which would otherwise take any misspelt ``kla.name`` for
    # a name of type ``Any``.
    __getattr__ = _public_attribute
    __dir__ = _public_dir


def _import_views() -> None:
    """The views register their renderers (HTML, and ``str()`` of a card) when imported."""
    import_module("kla_model.views.html")
    import_module("kla_model.views.report")
    import_module("kla_model.views.task_force")


on_first_view(_import_views)

__version__ = "0.1.0"
