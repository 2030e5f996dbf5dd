"""Where the files shipped inside the kla_model package are: schemas, bundled rules.

kla_model is installed as a folder of files (a wheel, or a checkout on the path), so its data
files are regular files beside its modules and a path from this module's ``__file__`` names
them: the very path ``importlib.resources.files("kla_model")`` gives for such a package
(``tests/test_package_data.py`` checks that the two agree).  Importing ``importlib.resources``
would cost every run of ``kla`` some 15 ms (it brings ``tempfile``, ``random``, ``zipfile``).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DIR"]

#: The folder of the ``kla_model`` package.
PACKAGE_DIR = Path(__file__).parent.parent
