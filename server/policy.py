"""What a query may do here, decided before it runs.

Read-only; no ``SERVICE`` (in any spelling: keywords are case-insensitive and SPARQL
processes ``\\u`` escapes before parsing, so the check runs on unescaped text with strings,
IRIs and comments set aside); no ``LOAD`` or other update; ``FROM``/``FROM NAMED`` only for
graphs of this store. Length and nesting depth are bounded so a hostile query is a 400,
not a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kinerja.errors import QueryRejected

MAX_QUERY_CHARS = 100_000
MAX_DEPTH = 64

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LEXEME = re.compile(
    r"""(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      |(?P<comment>\#[^\n\r]*)""",
    re.VERBOSE | re.DOTALL,
)
_WORD = r"(?<![\w:?$]){}(?![\w:-])"
_UPDATE_WORDS = (
    "LOAD",
    "INSERT",
    "DELETE",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
)
_FORM = re.compile(_WORD.format(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)"), re.IGNORECASE)
_FROM = re.compile(_WORD.format(r"FROM") + r"\s+(NAMED\s+)?(\S+)", re.IGNORECASE)
_PREFIX = re.compile(_WORD.format(r"PREFIX") + r"\s*([\w.-]*):\s*(<#\d+>)", re.IGNORECASE)


@dataclass(frozen=True)
class Checked:
    form: str  # select, ask, construct, describe
    from_graphs: tuple[str, ...]


def unescape(text: str) -> str:
    """Apply SPARQL codepoint escapes (``\\u0053`` -> ``S``), as a parser does first."""

    def char(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _ESCAPE.sub(char, text)


def _set_aside(text: str) -> tuple[str, list[str]]:
    """Strings -> "", IRIs -> <#n>, comments -> space; returns the text and the IRIs."""
    iris: list[str] = []

    def repl(m: re.Match) -> str:
        if m.group("string") is not None:
            return '""'
        if m.group("iri") is not None:
            iris.append(m.group("iri")[1:-1])
            return f"<#{len(iris) - 1}>"
        return " "

    return _LEXEME.sub(repl, text), iris


def check(query: str, allowed_graphs: frozenset[str] | set[str]) -> Checked:
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRejected(
            f"the query is {len(query):,} characters long; at most {MAX_QUERY_CHARS:,} are accepted"
        )
    code, iris = _set_aside(unescape(query))
    if re.search(_WORD.format("SERVICE"), code, re.IGNORECASE):
        raise QueryRejected("SERVICE (federated query) is not allowed on this endpoint")
    for word in _UPDATE_WORDS:
        if re.search(_WORD.format(word), code, re.IGNORECASE):
            raise QueryRejected(
                f"this endpoint is read-only: {word} (SPARQL Update) is not accepted"
            )
    _check_depth(code)
    form = _FORM.search(code)
    if not form:
        raise QueryRejected("expected a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    prefixes = {m.group(1): iris[int(m.group(2)[2:-1])] for m in _PREFIX.finditer(code)}
    graphs = []
    for m in _FROM.finditer(code):
        graphs.append(_resolve(m.group(2), iris, prefixes))
    unknown = [g for g in graphs if g not in allowed_graphs]
    if unknown:
        raise QueryRejected(
            f"FROM <{unknown[0]}> names a graph that is not in this store; "
            "FROM and FROM NAMED may only name this store's graphs "
            "(see the service description)"
        )
    return Checked(form.group(1).lower(), tuple(graphs))


def _resolve(token: str, iris: list[str], prefixes: dict[str, str]) -> str:
    if token.startswith("<#") and token.endswith(">"):
        return iris[int(token[2:-1])]
    if ":" in token:
        prefix, local = token.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + local
    return token


def _check_depth(code: str) -> None:
    depth = deepest = 0
    for ch in code:
        if ch in "{(":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                raise QueryRejected(f"the query nests deeper than {MAX_DEPTH} levels")
        elif ch in "})":
            depth -= 1
