"""``python -m kla_model`` runs the ``kla`` command."""

from kla_model.cli import entry

entry()
