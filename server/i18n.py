"""Indonesian UI with an English toggle.

The language comes from ``?lang=id|en`` or the ``kinerja_lang`` cookie, which ``/bahasa/{code}``
sets (a plain link, so the toggle works with JavaScript off). Templates write each UI text
in both languages, ``{{ t("Dokumen", "Documents") }}``; source text is never translated, and
labels fall back to Indonesian where there is no English one.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from server.errors import ProtocolError

LANGUAGES = ("id", "en")
DEFAULT = "id"
COOKIE = "kinerja_lang"
router = APIRouter()


def language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(COOKIE)
    return asked if asked in LANGUAGES else DEFAULT


def here(request: Request) -> str:
    """The current path and query, without ``lang``: where the toggle comes back to."""
    rest = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + ("?" + urlencode(rest) if rest else "")


def context(request: Request) -> dict:
    lang = language(request)
    other = "en" if lang == "id" else "id"

    def t(indonesian: str, english: str) -> str:
        return english if lang == "en" else indonesian

    return {
        "lang": lang,
        "t": t,
        "toggle": {
            "href": f"/bahasa/{other}?" + urlencode({"kembali": here(request)}),
            "label": "English" if other == "en" else "Bahasa Indonesia",
            "lang": other,
        },
    }


def safe_return(target: str | None) -> str:
    """Only a local path may be returned to (no ``//host`` or scheme: no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/bahasa/{code}")
def switch(code: str, kembali: str | None = None) -> RedirectResponse:
    if code not in LANGUAGES:
        raise ProtocolError(
            404, f"language {code!r} is not offered; use one of {', '.join(LANGUAGES)}"
        )
    response = RedirectResponse(safe_return(kembali), status_code=303)
    response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response
