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
from urllib.parse import urlsplit, urlunsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_BASE_IRI = "https://w3id.org/kinerja/"


def _setting(default, help: str, env: str, flag: str, secret: bool = False):
    metadata = {"help": help, "env": env, "flag": flag}
    return field(default=default, metadata=metadata, repr=not secret)


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
    store_url: str = _setting(
        "",
        "SPARQL query endpoint of a remote store; empty: the embedded Oxigraph store. "
        "See docs/remote-store.md.",
        "KINERJA_STORE_URL",
        "--store-url",
    )
    store_update_url: str = _setting(
        "",
        "SPARQL Update endpoint of the remote store (may be derived, see "
        "docs/remote-store.md).",
        "KINERJA_STORE_UPDATE_URL",
        "--store-update-url",
    )
    store_graph_store_url: str = _setting(
        "",
        "Graph Store Protocol endpoint of the remote store (may be derived, see "
        "docs/remote-store.md).",
        "KINERJA_STORE_GRAPH_STORE_URL",
        "--store-graph-store-url",
    )
    store_user: str = _setting(
        "",
        "User name for the remote store (HTTP digest or basic); empty: none.",
        "KINERJA_STORE_USER",
        "--store-user",
    )
    store_password: str = _setting(
        "",
        "Password for the remote store; prefer the variable to the flag (never printed).",
        "KINERJA_STORE_PASSWORD",
        "--store-password",
        secret=True,
    )
    store_dialect: str = _setting(
        "",
        "Kind of remote store: oxigraph, virtuoso, fuseki, graphdb, neptune, generic; "
        "empty: detected.",
        "KINERJA_STORE_DIALECT",
        "--store-dialect",
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
        self._check_store()

    @property
    def remote(self) -> bool:
        """Whether the store is a remote SPARQL server (``store_url`` is set)."""
        return bool(self.store_url)

    def _check_store(self) -> None:
        from kinerja.remote_dialect import DIALECTS

        if self.store_dialect and self.store_dialect not in DIALECTS:
            raise ValueError(
                f"KINERJA_STORE_DIALECT must be one of {', '.join(DIALECTS)} (or empty to "
                f"detect it), got {self.store_dialect!r}"
            )
        urls = ("store_url", "store_update_url", "store_graph_store_url")
        for name in urls:
            value = getattr(self, name)
            if value and not _http_url(value):
                raise ValueError(
                    f"KINERJA_{name.upper()} must be an http(s) URL with a host, got {value!r}"
                )
        if not self.store_url:
            given = [f"KINERJA_{n.upper()}" for n in (*urls[1:], "store_user", "store_password",
                                                        "store_dialect") if getattr(self, n)]
            if given:
                raise ValueError(
                    f"{', '.join(given)} given without KINERJA_STORE_URL: set "
                    "KINERJA_STORE_URL (the query endpoint) to use a remote store"
                )
            return
        if self.store_password and not self.store_user:
            raise ValueError("KINERJA_STORE_PASSWORD given without KINERJA_STORE_USER")
        self.store_urls()

    def store_urls(self) -> tuple[str, str, str]:
        """The remote store's query, update and Graph Store Protocol URLs, the last two
        as given or derived (see :func:`derive_store_urls`)."""
        derived = derive_store_urls(self.store_url, self.store_dialect)
        urls = [self.store_url]
        for name, value in zip(("store_update_url", "store_graph_store_url"), derived,
                               strict=True):
            given = getattr(self, name) or value
            if not given:
                raise ValueError(
                    f"KINERJA_{name.upper()} is needed with KINERJA_STORE_URL (it is "
                    "derived only for KINERJA_STORE_DIALECT=oxigraph with a URL ending "
                    "in /query, or virtuoso with a URL ending in /sparql or /sparql-auth)"
                )
            urls.append(given)
        return urls[0], urls[1], urls[2]

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


def _http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value


def derive_store_urls(query_url: str, dialect: str) -> tuple[str | None, str | None]:
    """The update and Graph Store Protocol URLs of a server's usual layout, from its query
    URL, for the two servers whose layout is fixed (None where there is no rule):

    - ``oxigraph``: ``.../query`` -> ``.../update`` and ``.../store``;
    - ``virtuoso``: ``.../sparql`` -> ``.../sparql`` and ``.../sparql-graph-crud``;
      ``.../sparql-auth`` -> ``.../sparql-auth`` and ``.../sparql-graph-crud-auth``.
    """
    parts = urlsplit(query_url)
    path = parts.path.rstrip("/")

    def at(new_path: str) -> str:
        return urlunsplit(parts._replace(path=new_path))

    if dialect == "oxigraph" and path.endswith("/query"):
        base = path[: -len("query")]
        return at(base + "update"), at(base + "store")
    if dialect == "virtuoso":
        for suffix in ("/sparql-auth", "/sparql"):
            if path.endswith(suffix):
                base = path[: -len(suffix)]
                auth = "-auth" if suffix.endswith("-auth") else ""
                return at(path), at(f"{base}/sparql-graph-crud{auth}")
    return None, None


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
        shown = f"`{default}`" if default != "" else "(empty)"
        rows.append(
            f"| `{f.metadata['env']}` | `{f.metadata['flag']}` | {shown} | "
            f"{f.metadata['help']} |"
        )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
