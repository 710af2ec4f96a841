"""What a query may do here, decided before it runs.

Read-only; no ``SERVICE`` (in any spelling: keywords are case-insensitive and SPARQL
processes ``\\u`` escapes before parsing, so the check runs on unescaped text with strings,
IRIs, prefixed names, language tags and comments set aside); no ``LOAD`` or other update;
``FROM``/``FROM NAMED`` only for graphs of this store. Length, nesting depth and operator
chains are bounded so a hostile query is a 400, not a crash of the parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kinerja.errors import QueryRejected

XSD = "http://www.w3.org/2001/XMLSchema#"  # casts: built into the engine
MAX_QUERY_CHARS = 100_000
MAX_DEPTH = 64
MAX_OPERATOR_RUN = 200  # unary operators in a row (!!!!x)
MAX_OPERATORS = 2_000  # || and && in one query

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_STRING = (r"'''(?:[^'\\]|\\.|'(?!''))*'''"
           r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
           r"|'(?:[^'\\\n\r]|\\.)*'"
           r'|"(?:[^"\\\n\r]|\\.)*"')
_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'
_COMMENT = r"#[^\n\r]*"
_LANGTAG = r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*"
# PN_PREFIX? ':' PN_LOCAL, with PN_LOCAL_ESC ('\#', "\'", ...) and %-escapes
_PNAME = (r"(?<![\w?$])(?:[^\W\d_][\w.-]*)?:"
          r"(?:[\w:%-]|\\[_~.\-!$&'()*+,;=/?#@%]|\.(?=[\w:%\\-]))*")
_LEXEME = re.compile(
    f"(?P<string>{_STRING})|(?P<iri>{_IRI})|(?P<comment>{_COMMENT})"
    f"|(?P<langtag>{_LANGTAG})|(?P<pname>{_PNAME})",
    re.DOTALL,
)
# a keyword: not part of a variable, a placeholder or a longer word
_WORD = r"(?<![\w:?$]){}(?![\w:-])"
_UPDATE_WORDS = ("LOAD", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                 "WITH")
_FORM = re.compile(_WORD.format(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)"), re.IGNORECASE)
_FROM = re.compile(_WORD.format("FROM") + r"\s*(NAMED(?![\w:-])\s*)?(<#\d+>|<P\d+>)?",
                   re.IGNORECASE)
_PREFIX = re.compile(_WORD.format("PREFIX") + r"\s*<P(\d+)>\s*<#(\d+)>", re.IGNORECASE)


@dataclass(frozen=True)
class Checked:
    form: str  # select, ask, construct, describe
    from_graphs: tuple[str, ...]
    functions: tuple[str, ...] = ()  # IRIs called as functions (extension functions)


def unescape(text: str) -> str:
    """Apply SPARQL codepoint escapes (``\\u0053`` -> ``S``), as a parser does first."""

    def char(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _ESCAPE.sub(char, text)


def _set_aside(text: str) -> tuple[str, list[str], list[str]]:
    """Strings -> "", IRIs -> <#n>, prefixed names -> <Pn>, language tags -> @x, comments ->
    a space. What is left is keywords, variables, numbers and punctuation."""
    iris: list[str] = []
    pnames: list[str] = []

    def repl(m: re.Match) -> str:
        if m.group("string") is not None:
            return '""'
        if m.group("iri") is not None:
            iris.append(m.group("iri")[1:-1])
            return f"<#{len(iris) - 1}>"
        if m.group("pname") is not None:
            pnames.append(m.group("pname"))
            return f"<P{len(pnames) - 1}>"
        if m.group("langtag") is not None:
            return "@x"
        return " "

    return _LEXEME.sub(repl, text), iris, pnames


def check(query: str, allowed_graphs: frozenset[str] | set[str]) -> Checked:
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRejected(f"the query is {len(query):,} characters long; at most "
                            f"{MAX_QUERY_CHARS:,} are accepted")
    code, iris, pnames = _set_aside(unescape(query))
    if "\\" in code:
        raise QueryRejected("a backslash outside strings and prefixed names is not SPARQL")
    if re.search(_WORD.format("SERVICE"), code, re.IGNORECASE):
        raise QueryRejected("SERVICE (federated query) is not allowed on this endpoint")
    for word in _UPDATE_WORDS:
        if re.search(_WORD.format(word), code, re.IGNORECASE):
            raise QueryRejected(f"this endpoint is read-only: {word} (SPARQL Update) is not "
                                "accepted")
    _check_complexity(code)
    form = _FORM.search(code)  # none: the parser will say where the query goes wrong
    prefixes = {pnames[int(m.group(1))].rstrip(":"): iris[int(m.group(2))]
                for m in _PREFIX.finditer(code)}
    graphs = []
    for m in _FROM.finditer(code):
        if m.group(2) is None:
            raise QueryRejected("FROM and FROM NAMED must be followed by an IRI")
        graphs.append(_resolve(m.group(2), iris, pnames, prefixes))
    unknown = [g for g in graphs if g not in allowed_graphs]
    if unknown:
        raise QueryRejected(f"FROM <{unknown[0]}> names a graph that is not in this store; "
                            "FROM and FROM NAMED may only name this store's graphs "
                            "(see the service description)")
    functions = sorted({
        _resolve(m.group(1), iris, pnames, prefixes)
        for m in re.finditer(r"(<#\d+>|<P\d+>)\s*\(", code)
    } - {""})
    return Checked(form.group(1).lower() if form else "select", tuple(graphs),
                   tuple(f for f in functions if not f.startswith(XSD)))


def _resolve(token: str, iris: list[str], pnames: list[str], prefixes: dict[str, str]) -> str:
    if token.startswith("<#"):
        return iris[int(token[2:-1])]
    prefix, local = pnames[int(token[2:-1])].split(":", 1)
    local = re.sub(r"\\(.)", r"\1", local)
    return prefixes.get(prefix, prefix + ":") + local


def _check_complexity(code: str) -> None:
    depth = 0
    for ch in code:
        if ch in "{([":
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryRejected(f"the query nests deeper than {MAX_DEPTH} levels")
        elif ch in "})]":
            depth -= 1
    run = max((len(re.sub(r"\s", "", m.group(0)))
               for m in re.finditer(r"[!+-](?:\s*[!+-])+", code)), default=0)
    if run > MAX_OPERATOR_RUN:
        raise QueryRejected(f"{run} unary operators in a row; at most {MAX_OPERATOR_RUN}")
    operators = len(re.findall(r"\|\||&&", code))
    if operators > MAX_OPERATORS:
        raise QueryRejected(f"{operators} || and && operators; at most {MAX_OPERATORS}")
