"""The notebook views' registry: data classes offer ``_repr_html_`` without importing views.

A score card, a plan or a batch lives in a lower layer than the HTML that shows it
(:mod:`kla_model.views.html`), and a layer never imports one above it.  So the views
register a renderer for each class here when they are imported, and a data class's
``_repr_html_`` asks this registry.  ``import kla_model`` (which importing any submodule
does first) hands this registry a loader that imports the views, run before the first view
is drawn, so the renderers are always there when asked for, and a program that never shows
a view never imports them.

Plain text works the same way: ``str(card)`` is the card that ``kla score`` prints, written
by :mod:`kla_model.views.report` and registered here with :func:`register_text`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["html_view", "on_first_view", "register_html", "register_text", "text_view"]

_RENDERERS: dict[type, Callable[[Any], str]] = {}
_TEXT: dict[type, Callable[[Any], str]] = {}
#: Run once, before the first view is drawn: they import the modules that register renderers.
_LOADERS: list[Callable[[], object]] = []


def on_first_view(load: Callable[[], object]) -> None:
    """Call ``load`` once before the first view is drawn (the package imports its views so)."""
    _LOADERS.append(load)


def _load_views() -> None:
    while _LOADERS:
        _LOADERS.pop(0)()


def register_html(cls: type, render: Callable[[Any], str]) -> None:
    """Show instances of ``cls`` (and of its subclasses) in notebooks with ``render``."""
    _RENDERERS[cls] = render


def html_view(value: object) -> str:
    """``value`` as HTML: its class's registered renderer, or its repr escaped."""
    _load_views()
    for cls in type(value).__mro__:
        render = _RENDERERS.get(cls)
        if render is not None:
            return render(value)
    from html import escape  # noqa: PLC0415 (notebooks only: `kla` starts without it)

    return f"<pre>{escape(repr(value))}</pre>"


def register_text(cls: type, render: Callable[[Any], str]) -> None:
    """Make ``str()`` of instances of ``cls`` the plain text ``render`` writes (the same
    text the ``kla`` command prints), for classes whose ``__str__`` asks :func:`text_view`."""
    _TEXT[cls] = render


def text_view(value: object) -> str:
    """``value`` as plain text: its class's registered renderer (with what a terminal would
    act on removed from the names it echoes), or its repr."""
    _load_views()
    for cls in type(value).__mro__:
        render = _TEXT.get(cls)
        if render is not None:
            from kla_model._base.untrusted import terminal_safe  # noqa: PLC0415 (text views only)

            return terminal_safe(render(value))
    return repr(value)
