"""Text folding and slugs shared by the ingestion steps."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Case- and white-space-folded text: how two wordings are compared."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def slug(text: str, max_length: int = 0) -> str:
    """Lower-case ASCII words joined by hyphens ("Kalimantan Barat" -> "kalimantan-barat")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = "-".join(words)
    if max_length and len(out) > max_length:
        out = out[:max_length].rsplit("-", 1)[0]
    return out


def join_split(first: str, rest: str) -> str:
    """Join text that the page layout split over two places."""
    return f"{first.rstrip()} {rest.lstrip()}".strip()
