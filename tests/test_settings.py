"""Settings: KINERJA_* variables, CLI flags, and the generated docs/settings.md.

The environment is always passed in as a dict; nothing here reads or edits os.environ.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from kinerja.settings import (
    DEFAULT_BASE_IRI,
    PROJECT_ROOT,
    Settings,
    documented_fields,
    markdown_table,
)

DOCS = PROJECT_ROOT / "docs" / "settings.md"


# --- the docs ----------------------------------------------------------------------------
def test_docs_table_is_generated_from_the_settings():
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    table = "".join(line + "\n" for line in lines if line.startswith("|"))
    assert table == markdown_table(), "regenerate with: python -m kinerja.settings"


def test_settings_module_prints_the_table():
    proc = subprocess.run(
        [sys.executable, "-m", "kinerja.settings"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT_ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == markdown_table()


def test_table_has_one_row_per_setting():
    rows = markdown_table().splitlines()[2:]
    assert len(rows) == len(documented_fields())
    for row, f in zip(rows, documented_fields(), strict=True):
        assert row.startswith(f"| `{f.metadata['env']}` | `{f.metadata['flag']}` |")


def test_every_setting_names_its_variable_and_flag_after_itself():
    for f in documented_fields():
        assert f.metadata["env"] == "KINERJA_" + f.name.upper()
        assert f.metadata["flag"] == "--" + f.name.replace("_", "-")
        assert f.metadata["help"].endswith(".")


# --- from the environment ----------------------------------------------------------------
# (variable, text, setting, value)
FROM_ENV = [
    ("KINERJA_BASE_IRI", "https://data.example.go.id/kinerja/", "base_iri",
     "https://data.example.go.id/kinerja/"),
    ("KINERJA_BASE_IRI", "http://example.org/k#", "base_iri", "http://example.org/k#"),
    ("KINERJA_DATA_DIR", "/srv/kinerja/sources", "data_dir", Path("/srv/kinerja/sources")),
    ("KINERJA_STORE_DIR", "/var/lib/kinerja/../kinerja/store", "store_dir",
     Path("/var/lib/kinerja/store")),
    ("KINERJA_HOST", "0.0.0.0", "host", "0.0.0.0"),
    ("KINERJA_PORT", "9000", "port", 9000),
    ("KINERJA_PORT", " 9001 ", "port", 9001),
    ("KINERJA_QUERY_TIMEOUT", "2.5", "query_timeout", 2.5),
    ("KINERJA_QUERY_TIMEOUT", "30", "query_timeout", 30.0),
    ("KINERJA_MAX_ROWS", "500", "max_rows", 500),
    ("KINERJA_QUERY_WORKERS", "4", "query_workers", 4),
]  # fmt: skip


@pytest.mark.parametrize(("variable", "text", "name", "value"), FROM_ENV)
def test_from_env(variable, text, name, value):
    settings = Settings.from_env({variable: text})
    assert getattr(settings, name) == value
    assert type(getattr(settings, name)) is type(value) or isinstance(value, Path)
    # every other setting keeps its default
    for f in dataclasses.fields(Settings):
        if f.name != name:
            assert getattr(settings, f.name) == getattr(Settings(), f.name), f.name


def test_empty_environment_gives_the_defaults():
    assert Settings.from_env({}) == Settings()
    assert Settings().base_iri == DEFAULT_BASE_IRI
    assert Settings().data_dir == PROJECT_ROOT / "data" / "sources"


def test_empty_variable_counts_as_unset():
    assert Settings.from_env({"KINERJA_PORT": "", "KINERJA_DATA_DIR": ""}) == Settings()


def test_other_variables_are_ignored():
    assert Settings.from_env({"PORT": "1", "HOME": "/root", "kinerja_port": "2"}) == Settings()


def test_relative_and_home_paths_are_resolved():
    settings = Settings.from_env({"KINERJA_DATA_DIR": "sources", "KINERJA_STORE_DIR": "~/store"})
    assert settings.data_dir == Path("sources").resolve()
    assert settings.store_dir == Path("~/store").expanduser().resolve()
    assert settings.data_dir.is_absolute() and settings.store_dir.is_absolute()


# --- flags over the environment ----------------------------------------------------------
def test_flag_overrides_the_environment():
    env = {"KINERJA_PORT": "9000", "KINERJA_HOST": "0.0.0.0"}
    settings = Settings.from_env(env, port="9100")
    assert settings.port == 9100  # the flag, converted from its text
    assert settings.host == "0.0.0.0"  # no flag: the variable


def test_flag_not_given_leaves_the_environment():
    settings = Settings.from_env({"KINERJA_MAX_ROWS": "50"}, max_rows=None, port=None)
    assert (settings.max_rows, settings.port) == (50, 8000)


def test_path_flag_is_resolved_like_the_variable():
    assert (
        Settings.from_env({}, store_dir="var/x").store_dir
        == Settings.from_env({"KINERJA_STORE_DIR": "var/x"}).store_dir
    )


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().port = 1


# --- bad values --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("variable", "text", "kind"),
    [
        ("KINERJA_PORT", "abc", "int"),
        ("KINERJA_PORT", "80.5", "int"),
        ("KINERJA_MAX_ROWS", "1e3", "int"),
        ("KINERJA_QUERY_WORKERS", "two", "int"),
        ("KINERJA_QUERY_TIMEOUT", "10s", "float"),
    ],
)
def test_bad_value_names_the_variable(variable, text, kind):
    with pytest.raises(ValueError) as info:
        Settings.from_env({variable: text})
    message = str(info.value)
    assert variable in message
    assert repr(text) in message
    assert kind in message


def test_bad_flag_value_is_a_value_error_too():
    with pytest.raises(ValueError, match="KINERJA_PORT.*'abc'"):
        Settings.from_env({}, port="abc")


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        ("https://w3id.org/kinerja", "must end with '/' or '#'"),
        ("https://w3id.org/kinerja/id", "must end with '/' or '#'"),
        ("w3id.org/kinerja/", "must be an http(s) IRI"),
        ("ftp://example.org/kinerja/", "must be an http(s) IRI"),
        ("urn:kinerja:", "must end with '/' or '#'"),
    ],
)
def test_base_iri_is_checked(iri, expected):
    with pytest.raises(ValueError) as info:
        Settings.from_env({"KINERJA_BASE_IRI": iri})
    assert "KINERJA_BASE_IRI" in str(info.value)
    assert expected in str(info.value)
    assert repr(iri) in str(info.value)
    with pytest.raises(ValueError, match="KINERJA_BASE_IRI"):
        Settings(base_iri=iri)


@pytest.mark.parametrize(
    ("variable", "text"),
    [
        ("KINERJA_PORT", "70000"),
        ("KINERJA_PORT", "-1"),
        ("KINERJA_QUERY_TIMEOUT", "0"),
        ("KINERJA_QUERY_TIMEOUT", "nan"),
        ("KINERJA_MAX_ROWS", "-5"),
        ("KINERJA_QUERY_WORKERS", "0"),
    ],
)
def test_out_of_range_value_names_the_variable(variable, text):
    """A value of the right type but outside its range fails here, not later in the server."""
    with pytest.raises(ValueError) as info:
        Settings.from_env({variable: text})
    assert str(info.value).startswith(f"{variable} must be ")
    assert text in str(info.value)
