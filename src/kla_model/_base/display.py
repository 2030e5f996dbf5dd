"""The notebook views' registry: data classes offer ``_repr_html_`` without importing views.

A score card, a plan or a batch lives in a lower layer than the HTML that shows it
(:mod:`kla_model.views.html`), and a layer never imports one above it.  So the views
register a renderer for each class here when they are imported, and a data class's
``_repr_html_`` asks this registry.  ``import kla_model`` imports the views, and importing
any submodule imports the package first, so the renderers are always registered.

Plain text works the same way: ``str(card)`` is the card that ``kla score`` prints, written
by :mod:`kla_model.views.report` and registered here with :func:`register_text`.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

__all__ = ["html_view", "register_html", "register_text", "text_view"]

_RENDERERS: dict[type, Callable[[Any], str]] = {}
_TEXT: dict[type, Callable[[Any], str]] = {}


def register_html(cls: type, render: Callable[[Any], str]) -> None:
    """Show instances of ``cls`` (and of its subclasses) in notebooks with ``render``."""
    _RENDERERS[cls] = render


def html_view(value: object) -> str:
    """``value`` as HTML: its class's registered renderer, or its repr escaped."""
    for cls in type(value).__mro__:
        render = _RENDERERS.get(cls)
        if render is not None:
            return render(value)
    return f"<pre>{escape(repr(value))}</pre>"


def register_text(cls: type, render: Callable[[Any], str]) -> None:
    """Make ``str()`` of instances of ``cls`` the plain text ``render`` writes (the same
    text the ``kla`` command prints), for classes whose ``__str__`` asks :func:`text_view`."""
    _TEXT[cls] = render


def text_view(value: object) -> str:
    """``value`` as plain text: its class's registered renderer, or its repr."""
    for cls in type(value).__mro__:
        render = _TEXT.get(cls)
        if render is not None:
            return render(value)
    return repr(value)
