"""One Settings object, the only reader of the environment.

Every setting is declared once below, with its ``KINERJA_*`` variable, its CLI flag and its
help text; the CLI and the docs (``docs/settings.md``) are generated from this table.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_BASE_IRI = "https://w3id.org/kinerja/"


def _setting(default, help: str, env: str, flag: str):
    return field(default=default, metadata={"help": help, "env": env, "flag": flag})


@dataclass(frozen=True)
class Settings:
    base_iri: str = _setting(
        DEFAULT_BASE_IRI,
        "Base IRI of instance data; resources are minted under {base}id/.",
        "KINERJA_BASE_IRI",
        "--base-iri",
    )
    data_dir: Path = _setting(
        PROJECT_ROOT / "data" / "sources",
        "Folder of source documents with their MANIFEST.csv.",
        "KINERJA_DATA_DIR",
        "--data-dir",
    )
    store_dir: Path = _setting(
        PROJECT_ROOT / "var" / "store",
        "Folder of the persistent Oxigraph store (created on first build).",
        "KINERJA_STORE_DIR",
        "--store-dir",
    )
    host: str = _setting("127.0.0.1", "Address the server listens on.", "KINERJA_HOST", "--host")
    port: int = _setting(8000, "Port the server listens on.", "KINERJA_PORT", "--port")
    query_timeout: float = _setting(
        10.0,
        "Time limit of one SPARQL query, in seconds.",
        "KINERJA_QUERY_TIMEOUT",
        "--query-timeout",
    )
    max_rows: int = _setting(
        10_000,
        "Most result rows a SPARQL query returns before it is truncated.",
        "KINERJA_MAX_ROWS",
        "--max-rows",
    )
    query_workers: int = _setting(
        2,
        "SPARQL worker processes (queries running at once).",
        "KINERJA_QUERY_WORKERS",
        "--query-workers",
    )
    build_workers: int = _setting(
        0,
        "Processes that read sources in a full build (0: one per core).",
        "KINERJA_BUILD_WORKERS",
        "--build-workers",
    )
    ontology_dir: Path = field(default=PROJECT_ROOT / "ontology", metadata={})
    shapes_dir: Path = field(default=PROJECT_ROOT / "shapes", metadata={})

    def __post_init__(self) -> None:
        if not self.base_iri.endswith(("/", "#")):
            raise ValueError(f"KINERJA_BASE_IRI must end with '/' or '#': {self.base_iri!r}")
        if not self.base_iri.startswith(("http://", "https://")):
            raise ValueError(f"KINERJA_BASE_IRI must be an http(s) IRI: {self.base_iri!r}")
        if not 1 <= self.port <= 65535:
            raise ValueError(f"KINERJA_PORT must be between 1 and 65535, got {self.port}")
        if not (math.isfinite(self.query_timeout) and self.query_timeout > 0):
            raise ValueError(
                "KINERJA_QUERY_TIMEOUT must be a number of seconds above 0, "
                f"got {self.query_timeout}"
            )
        if self.max_rows < 1:
            raise ValueError(f"KINERJA_MAX_ROWS must be 1 or more, got {self.max_rows}")
        if self.build_workers < 0:
            raise ValueError(
                f"KINERJA_BUILD_WORKERS must be 0 (one per core) or more, got {self.build_workers}"
            )
        if self.query_workers < 1:
            raise ValueError(f"KINERJA_QUERY_WORKERS must be 1 or more, got {self.query_workers}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Settings from ``KINERJA_*`` variables, then explicit overrides (CLI flags)."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in documented_fields():
            raw = environ.get(f.metadata["env"])
            if raw is not None and raw != "":
                values[f.name] = _convert(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **{k: _convert(_field(k), v) for k, v in values.items()})


def documented_fields():
    """The settings a user can set, in declaration order."""
    return [f for f in fields(Settings) if f.metadata.get("env")]


def _field(name: str):
    for f in fields(Settings):
        if f.name == name:
            return f
    raise KeyError(name)


def _convert(f, value):
    kind = type(f.default)
    if isinstance(value, kind):
        return value
    try:
        if isinstance(f.default, Path):
            return Path(value).expanduser().resolve()
        if kind is int:
            return int(value)
        if kind is float:
            return float(value)
    except ValueError:
        raise ValueError(f"{f.metadata['env']} must be a {kind.__name__}, got {value!r}") from None
    return value


def markdown_table() -> str:
    """The settings as a Markdown table: the source of ``docs/settings.md``."""
    rows = ["| variable | flag | default | meaning |", "|---|---|---|---|"]
    for f in documented_fields():
        default = f.default
        if isinstance(default, Path):
            default = default.relative_to(PROJECT_ROOT)
        rows.append(
            f"| `{f.metadata['env']}` | `{f.metadata['flag']}` | `{default}` | "
            f"{f.metadata['help']} |"
        )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
