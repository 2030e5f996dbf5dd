"""``python -m kla_model`` runs the ``kla`` command."""

import sys

from kla_model.cli import main

sys.exit(main())
