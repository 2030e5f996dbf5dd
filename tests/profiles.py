"""Hypothesis profiles: a thorough run for CI, a quick one for the edit-test loop.

Chosen by the ``KLA_HYPOTHESIS`` environment variable (``thorough``, the default, or
``quick``).  Each property states its thorough example count with :func:`examples`; the
quick profile caps every count, so the same properties run, each on fewer examples.
"""

from __future__ import annotations

import os

from hypothesis import settings

#: How many examples a property gets at most in the quick profile.
QUICK_EXAMPLES = 12

settings.register_profile("thorough", deadline=None)
settings.register_profile("quick", deadline=None, max_examples=QUICK_EXAMPLES)
PROFILE = os.environ.get("KLA_HYPOTHESIS", "thorough")
if PROFILE not in ("thorough", "quick"):
    raise SystemExit(f"KLA_HYPOTHESIS: expected 'thorough' or 'quick'; found {PROFILE!r}")
settings.load_profile(PROFILE)


def examples(thorough: int) -> int:
    """A property's example count: ``thorough`` in CI, capped in the quick profile."""
    return thorough if PROFILE == "thorough" else min(thorough, QUICK_EXAMPLES)
