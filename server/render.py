"""Helpers every template gets: links for IRIs, provenance links, numbers."""

from __future__ import annotations

from fastapi import Request

from kinerja.catalogue.reader import Value
from server import i18n


def href(request: Request, iri: str | None) -> str | None:
    """Where an IRI links to: its page here, itself if http(s) or mailto, else nowhere."""
    if not iri:
        return None
    base = request.app.state.settings.base_iri
    if iri.startswith(base + "id/"):
        return "/" + iri[len(base) :]
    if iri.startswith(("http://", "https://", "mailto:")):
        return iri
    return None


def source_line(request: Request, src: str | None, line: str | None) -> str | None:
    """Where the line of a source file that a statement came from is shown."""
    target = href(request, src)
    if target and line:
        return f"{target}#L{line}"
    return target


def context(request: Request) -> dict:
    def link(iri) -> str | None:
        return href(request, iri.iri if isinstance(iri, Value) else iri)

    def line_of(src, line) -> str | None:
        return source_line(request, src.iri if isinstance(src, Value) else src, line)

    lang = i18n.language(request)
    return {
        "href": link,
        "source_line": line_of,
        "number": lambda value: number(value, lang),
    }


def number(value, lang: str = "id") -> str:
    """A number as its readers write it: 3.000 and 99,5 in Indonesian, 3,000 and 99.5 in
    English. Text that is not a number is returned as it is."""
    text = value.text if isinstance(value, Value) else str(value)
    try:
        n = float(text)
    except ValueError:
        return text
    out = f"{int(n):,}" if n == int(n) else f"{n:,.4f}".rstrip("0")
    if lang == "id":
        out = out.translate(str.maketrans(",.", ".,"))
    return out
