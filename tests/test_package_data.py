"""The package's data files are found where ``importlib.resources`` finds them."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kla_model._base.json_schema import SCHEMA_NAMES, schema
from kla_model._base.package_data import PACKAGE_DIR


def test_the_package_folder_is_the_one_importlib_resources_gives() -> None:
    assert Path(str(resources.files("kla_model"))) == PACKAGE_DIR
    assert PACKAGE_DIR.joinpath("__init__.py").is_file()


def test_every_schema_is_read_from_it() -> None:
    for name in SCHEMA_NAMES:
        assert PACKAGE_DIR.joinpath("schemas", f"{name}.schema.json").is_file()
        assert schema(name)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
