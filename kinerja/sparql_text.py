"""SPARQL queries read and rewritten as text, for servers that lack an option the
embedded engine has (see ``kinerja.remote`` and ``kinerja.remote_pool``).

A small tokenizer sets strings, IRIs and comments aside, so that a keyword or a brace
inside them is never taken for one of the query's own. Nothing here parses SPARQL fully:
each rewrite touches only the tokens it is about, and the server parses the result.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kinerja.errors import QueryRejected

NO_VALUE = "?kinerja_no_value"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def sparql_term(term: ox.NamedNode | ox.Literal) -> str:
    """A named node or literal written in SPARQL (blank nodes have no SPARQL name)."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        text = '"' + term.value.translate(_LITERAL_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype.value != XSD_STRING:
            return f"{text}^^<{term.datatype.value}>"
        return text
    raise TypeError(f"no SPARQL form for {term!r}")

_SET_ASIDE = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)
_FROM = re.compile(r"(?<![\w:?$])FROM(?![\w:-])\s*(NAMED(?![\w:-]))?", re.IGNORECASE)


def query_dataset(query: str) -> tuple[bool, bool]:
    """Whether a query has FROM clauses, and whether it has FROM NAMED clauses (read
    outside its strings, IRIs and comments)."""
    code = _SET_ASIDE.sub(" ", query)
    found = [bool(m.group(1)) for m in _FROM.finditer(code)]
    return (False in found, True in found)


_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<comment>#[^\n\r]*)"
    r"|(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|"(?:[^"\\\n\r]|\\.)*")'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)"
    r"|(?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%-]|\\[_~.\-!$&'()*+,;=/?#@%]|\.(?=[\w:%\\-]))*)"
    r"|(?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))"
    r"|(?P<word>[A-Za-z_][\w-]*)"
    r"|(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)"
    r"|(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.!=<>+\-*/|^])",
    re.DOTALL,
)


def tokens(query: str) -> list[tuple[str, str, int]]:
    """(kind, text, offset) of each token but white space and comments; characters no
    token matches are single-character ``other`` tokens (the server will say more)."""
    out = []
    position = 0
    while position < len(query):
        m = _TOKEN.match(query, position)
        if m is None:
            out.append(("other", query[position], position))
            position += 1
            continue
        if m.lastgroup not in ("ws", "comment"):
            out.append((m.lastgroup, m.group(0), position))
        position = m.end()
    return out


def _prefixes(toks: list[tuple[str, str, int]]) -> dict[str, str]:
    out = {}
    for i, (kind, text, _pos) in enumerate(toks[:-2]):
        declares = kind == "word" and text.upper() == "PREFIX"
        if declares and toks[i + 1][0] == "pname" and toks[i + 2][0] == "iri":
            out[toks[i + 1][1].rstrip(":")] = toks[i + 2][1][1:-1]
    return out


def _resolve(kind: str, text: str, prefixes: dict[str, str]) -> str | None:
    if kind == "iri":
        return text[1:-1]
    if kind == "pname":
        prefix, local = text.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


# the token before a function call is never a term, nor what precedes a predicate
_NOT_BEFORE_CALL = {"iri", "pname", "var", "string", "number", "langtag"}
_NOT_BEFORE_CALL_TEXT = {"]", ")", ";", "[", "a"}


def without_functions(query: str, functions: tuple[str, ...] | list[str]) -> str:
    """Each call of one of ``functions`` made an expression error (see the module)."""
    wanted = set(functions)
    toks = tokens(query)
    prefixes = _prefixes(toks)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    for i, (kind, text, pos) in enumerate(toks):
        if kind not in ("iri", "pname") or i + 1 >= len(toks) or toks[i + 1][1] != "(":
            continue
        if _resolve(kind, text, prefixes) not in wanted:
            continue
        if i > 0:
            before_kind, before_text, _ = toks[i - 1]
            if before_kind in _NOT_BEFORE_CALL or before_text in _NOT_BEFORE_CALL_TEXT:
                continue  # a predicate followed by a collection, not a call
            if before_kind == "word" and before_text.upper() == "PREFIX":
                continue
        close = _matching(toks, i + 1)
        if close is None:
            continue
        opening = toks[i + 1][2]
        edits.append((pos, opening + 1, f"({NO_VALUE} + COALESCE("))
        edits.append((toks[close][2], toks[close][2] + 1, "))"))
    for start, end, replacement in sorted(edits, reverse=True):
        query = query[:start] + replacement + query[end:]
    return query


def _matching(toks: list[tuple[str, str, int]], opening: int, pair: str = "()") -> int | None:
    """The position of the bracket that closes the one at ``opening`` (None: unclosed)."""
    depth = 0
    for j in range(opening, len(toks)):
        if toks[j][0] == "punct" and toks[j][1] == pair[0]:
            depth += 1
        elif toks[j][0] == "punct" and toks[j][1] == pair[1]:
            depth -= 1
            if depth == 0:
                return j
    return None


def with_values(query: str, bindings: tuple[tuple[str, str, str], ...]) -> str:
    """The query with a VALUES block binding ``bindings`` ((name, "iri" or a datatype IRI,
    lexical value)) at the start of its WHERE clause, and at the start of the WHERE clause
    of each sub-query that projects one of them by name from a group where it is bound:
    a filter inside the sub-query sees the value too, as with the embedded engine's
    substitution. A sub-query that does not project a variable by name (or binds it with
    ``AS``) is left alone: a variable of that name inside it is its own."""
    if not bindings:
        return query
    toks = tokens(query)
    outer = _where_index(toks, for_values=True)
    bound = {outer: {name for name, _kind, _value in bindings}}  # WHERE brace -> names
    groups = [(outer, _group_end(toks, outer))]
    for k in range(outer + 1, len(toks)):
        brace = _sub_select_brace(toks, k)
        if brace is None:
            continue
        parent = max((g for g in groups if g[0] < k < g[1]), default=None)
        if parent is None:
            continue
        end = _group_end(toks, brace)
        bound[brace] = _projected(toks, k, brace, end) & bound[parent[0]]
        groups.append((brace, end))
    edits: list[tuple[int, str]] = []  # (offset, text to insert there)
    for brace, end in groups:
        chosen = [b for b in bindings if b[0] in bound[brace]]
        if not chosen:
            continue
        names = " ".join(f"?{name}" for name, _kind, _value in chosen)
        terms = " ".join(_term(kind, value) for _name, kind, value in chosen)
        block = f" VALUES ({names}) {{ ({terms}) }} "
        # In WHERE { SELECT ... } the sub-query must be alone in its group: it gets one.
        if _sub_select_brace(toks, brace + 1) is not None:
            edits.append((toks[end][2] if end < len(toks) else len(query), "} "))
            block += "{ "
        edits.append((toks[brace][2] + 1, block))
    for at, text in sorted(edits, reverse=True):
        query = query[:at] + text + query[at:]
    return query


def _sub_select_brace(toks: list[tuple[str, str, int]], k: int) -> int | None:
    """If the token at ``k`` is SELECT, the index of the ``{`` of its WHERE clause."""
    if k >= len(toks) or toks[k][0] != "word" or toks[k][1].upper() != "SELECT":
        return None
    return _group_start(toks, k + 1)


def _group_end(toks: list[tuple[str, str, int]], brace: int) -> int:
    """The index of the ``}`` that closes the group at ``brace`` (past the end: unclosed)."""
    close = _matching(toks, brace, "{}")
    return len(toks) if close is None else close


def _projected(toks: list[tuple[str, str, int]], select: int, brace: int, end: int) -> set[str]:
    """The names of the variables the SELECT at ``select`` projects by name, less those it
    binds with ``AS`` (in its projection or a BIND in its WHERE group, ``brace`` to
    ``end``), which a VALUES block in that group would clash with."""
    named: set[str] = set()
    depth = 0
    for j in range(select + 1, brace):
        kind, text, _pos = toks[j]
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
        elif kind == "var" and depth == 0:
            named.add(text[1:])
    assigned = {toks[j + 1][1][1:] for j in range(select + 1, min(end, len(toks) - 1))
                if toks[j][0] == "word" and toks[j][1].upper() == "AS"
                and toks[j + 1][0] == "var"}
    return named - assigned


def _term(kind: str, value: str) -> str:
    if kind == "iri":
        return sparql_term(ox.NamedNode(value))
    return sparql_term(ox.Literal(value, datatype=ox.NamedNode(kind)))


def _where_index(toks: list[tuple[str, str, int]], for_values: bool = False) -> int:
    """The index of the token ``{`` that opens the query's WHERE clause (in a short
    ``CONSTRUCT WHERE``: the one after WHERE, unless ``for_values``)."""
    form = next((i for i, (kind, text, _p) in enumerate(toks)
                 if kind == "word" and text.upper() in ("SELECT", "ASK", "CONSTRUCT",
                                                        "DESCRIBE")), None)
    if form is None:
        raise QueryRejected("the query has no SELECT, ASK, CONSTRUCT or DESCRIBE")
    i = form + 1
    if toks[form][1].upper() == "CONSTRUCT":
        if i < len(toks) and toks[i][1] == "{":  # the template: skip it
            i = _after_group(toks, i)
        elif for_values and i < len(toks) and toks[i][1].upper() == "WHERE":
            raise QueryRejected("parameters cannot be bound in a CONSTRUCT WHERE query on a "
                                "remote store; write the template out")
    found = _group_start(toks, i)
    if found is None:
        raise QueryRejected("the query has no WHERE clause")
    return found


def _group_start(toks: list[tuple[str, str, int]], i: int) -> int | None:
    """The index of the first ``{`` from ``i`` on that is outside parentheses."""
    depth = 0
    for j in range(i, len(toks)):
        kind, text, _pos = toks[j]
        if kind != "punct":
            continue
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
        elif text == "{" and depth == 0:
            return j
    return None


def with_dataset(query: str, default: list[str], named: list[str] | None) -> str | None:
    """The query with FROM clauses for ``default`` and FROM NAMED clauses for ``named``
    (None: none) before its WHERE clause; None where there is no place for them (a
    DESCRIBE without WHERE)."""
    toks = tokens(query)
    try:
        k = _where_index(toks)
    except QueryRejected:
        return None
    at = toks[k - 1][2] if k and toks[k - 1][1].upper() == "WHERE" else toks[k][2]
    clauses = [f"FROM <{g}>" for g in default] + [f"FROM NAMED <{g}>" for g in named or ()]
    return query[:at] + " ".join(clauses) + " " + query[at:]


def mentions_graph(query: str) -> bool:
    """Whether the query has a GRAPH pattern (outside strings, IRIs and comments)."""
    return any(kind == "word" and text.upper() == "GRAPH" for kind, text, _p in tokens(query))


def _after_group(toks: list[tuple[str, str, int]], opening: int) -> int:
    return min(_group_end(toks, opening) + 1, len(toks))


_STRING_KEY = (
    'IF(isLiteral({e}) && (LANG({e}) != "" || DATATYPE({e}) = <' + XSD_STRING + '>), '
    'STR({e}), "")'
)


def order_by_strings(query: str) -> str:
    """Each ORDER BY condition ``E`` (in sub-queries too) made three: the text of ``E``
    when it is a string (with a language or not; an empty text for anything else), then
    its language, then ``E`` itself, each ascending or descending as ``E`` was.

    For servers that order long strings by something else than their text (Virtuoso:
    strings over about 50 characters); they order the plain text of ``STR`` right. The
    order is then that of the embedded engine whenever a column holds only strings or
    no strings; in a column that mixes them, other terms come before the strings. A
    variable named with ``AS`` (an aggregate, mostly) is left as it is: such a server
    refuses it inside an expression of ORDER BY."""
    toks = tokens(query)
    aliases = {toks[k + 1][1][1:] for k in range(len(toks) - 1)
               if toks[k][0] == "word" and toks[k][1].upper() == "AS" and toks[k + 1][0] == "var"}
    edits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(toks) - 1:
        kind, text, _pos = toks[i]
        if not (kind == "word" and text.upper() == "ORDER"
                and toks[i + 1][0] == "word" and toks[i + 1][1].upper() == "BY"):
            i += 1
            continue
        j = i + 2
        while j < len(toks):
            found = _condition(query, toks, j)
            if found is None:
                break
            direction, expression, start, end, j = found
            if expression.strip("() ")[1:] in aliases and expression.strip("() ")[0] in "?$":
                continue
            keys = (_STRING_KEY.format(e=expression), f"LANG({expression})", expression)
            edits.append((start, end, " ".join(f"{direction}({key})" for key in keys)))
        i = j
    for start, end, replacement in sorted(edits, reverse=True):
        query = query[:start] + replacement + query[end:]
    return query


def _condition(query: str, toks: list[tuple[str, str, int]], j: int):
    """One ORDER BY condition at token ``j``: (direction, expression, start, end, next
    token), or None where the clause ends."""
    kind, text, pos = toks[j]
    follows_paren = j + 1 < len(toks) and toks[j + 1][1] == "("
    if kind == "word" and text.upper() in ("ASC", "DESC") and follows_paren:
        close = _matching(toks, j + 1)
        if close is None:
            return None
        inner = query[toks[j + 1][2] + 1 : toks[close][2]]
        return text.upper(), f"({inner})", pos, toks[close][2] + 1, close + 1
    if kind == "var":
        return "ASC", text, pos, pos + len(text), j + 1
    if kind == "punct" and text == "(" or kind in ("word", "iri", "pname") and follows_paren:
        if kind == "word" and text.upper() in ("LIMIT", "OFFSET", "VALUES"):
            return None
        close = _matching(toks, j if text == "(" else j + 1)
        if close is None:
            return None
        end = toks[close][2] + 1
        return "ASC", f"({query[pos:end]})", pos, end, close + 1
    return None
