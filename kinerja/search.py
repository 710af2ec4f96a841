"""Full-text search over the labels and texts of every resource in a built store.

The index is one SQLite file (recommended: ``search.sqlite`` beside the store) that
:func:`build_index` writes from the store's default graph and :class:`Index` reads. It
knows nothing of HTTP or HTML: a hit's label comes back as ``(text, matched)`` segments
for the caller to escape and mark up.

Text is *folded* before it is indexed or searched: compatibility-decomposed, stripped of
diacritics, case-folded, every run of characters that are not letters or digits turned
into one word break. "Pemasyarakatan," and "PEMASYARAKATÁN" are both the word
``pemasyarakatan``.

Layout of the file:

``docs``
    one row per resource: IRI, display label, folded texts, and what its context is made
    of (a text of its own, and the IRI of the resource whose label completes it, looked
    up at search time so that it never goes stale). Its rowid is ``group rank << 40 | n``,
    so the rows of each group form one rowid range: counting matches per group needs no
    look-up of the rows, and a group's page is a range scan.
``fts``
    FTS5 over the folded display label and the other folded texts (external content:
    ``docs``), ranked with bm25, the label weighing more.
``vocab``
    every folded word of the index with the number of resources that use it.
``trigrams``
    the distinct trigrams of every alphabetic vocabulary word of three letters or more,
    padded with a space at each end, keyed by (trigram, word length). The candidates for
    a misspelt word are the words of about the same length that share most trigrams
    with it; Damerau-Levenshtein distance then decides. (A B-tree instead of an FTS5
    ``trigram`` table, because the length band is part of the key: a lookup reads only
    the words that could be within reach.)
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kinerja.namespaces import ELI, KIN, ORG, RDF, RDFS, SKOS

SCHEMA_VERSION = "1"

# Result groups, in the order results list them.
GROUPS: tuple[str, ...] = (
    "indikator",
    "konsep",
    "sasaran",
    "program",
    "dokumen",
    "peraturan",
    "pasal",
    "organisasi",
    "sumber",
    "target",
    "lain",
)
_GROUP_RANK = {name: rank for rank, name in enumerate(GROUPS)}
_OTHER = "lain"

# rdf:type -> group. A resource of several types takes the group listed first in GROUPS
# (a decree is kin:PerformanceDocument and eli:LegalResource: "dokumen").
TYPE_GROUPS: dict[str, str] = {
    str(KIN.Indicator): "indikator",
    str(KIN.IndicatorConcept): "konsep",
    str(KIN.Goal): "sasaran",
    str(KIN.Program): "program",
    str(KIN.PerformanceDocument): "dokumen",
    str(ELI.LegalResource): "peraturan",
    str(ELI.LegalResourceSubdivision): "pasal",
    str(ORG.OrganizationalUnit): "organisasi",
    str(ORG.FormalOrganization): "organisasi",
    str(KIN.SourceFile): "sumber",
    str(KIN.Target): "target",
}

# Properties whose literal values are searched.
TEXT_PROPERTIES: tuple[str, ...] = (
    str(RDFS.label),
    str(SKOS.prefLabel),
    str(SKOS.altLabel),
    str(ELI.title),
    str(SKOS.notation),
    str(KIN.targetText),
)

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
MIN_FUZZY_LENGTH = 4  # shorter words match exactly (or as a prefix) only
MAX_SHORT_WORD = 5  # words up to this length accept distance 1, longer ones distance 2
MIN_PREFIX_LENGTH = 2  # a shorter last word is not expanded as a prefix
MAX_CANDIDATES = 10  # fuzzy alternatives kept per query word (nearest, then most used)
SHORTLIST = 300  # vocabulary words per query word whose distance is computed
MAX_PER_GROUP = 1000

_GROUP_SHIFT = 40
_BM25_WEIGHTS = (3.0, 1.0)  # display label, other texts
_RANK = "bm25({}, {})".format(*_BM25_WEIGHTS)
_LANG = "id"

_RDF_TYPE = str(RDF.type)
_LABEL = str(RDFS.label)
_TARGET_TEXT = str(KIN.targetText)
_TEXT_PROPERTIES = frozenset(TEXT_PROPERTIES)
# The context of a hit: the label of the resource it links to with this property ...
_CONTEXT_LINK = {
    "indikator": str(KIN.goal),
    "sasaran": str(KIN.inDocument),
    "target": str(KIN.indicator),
}
# ... except that an indicator shows the document of its goal, not the goal.
_CONTEXT_VIA = {"indikator": "sasaran"}
_LINKS = frozenset(_CONTEXT_LINK.values())


# --- folding -------------------------------------------------------------------------------
def _fold_char(c: str) -> str:
    """One character folded: letters and digits kept, case and diacritics removed, anything
    else a space. Combining marks and format characters (soft hyphen, zero-width joiner)
    vanish, so they do not split a word."""
    if unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return ""
    text = unicodedata.normalize("NFKD", c)
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch if ch.isalnum() else " " for ch in text if not unicodedata.combining(ch))


class _FoldTable(dict):
    """``str.translate`` table that folds each character, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def _tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """The words of ``text`` as (start, end, folded word), start/end indexing ``text``.
    Gives the same words as :func:`words`, which is faster but has no positions."""
    parts: list[str] = []
    start = end = 0
    for i, c in enumerate(text):
        folded = c.translate(_FOLD)
        if not folded:
            if parts:
                end = i + 1
            continue
        for k, piece in enumerate(folded.split(" ")):
            if k and parts:
                yield start, end, "".join(parts)
                parts = []
            if piece:
                if not parts:
                    start = i
                parts.append(piece)
                end = i + 1
    if parts:
        yield start, end, "".join(parts)


def words(text: str) -> list[str]:
    """The folded words of ``text``."""
    return text.translate(_FOLD).split()


def fold(text: str) -> str:
    """``text`` folded: its folded words joined by single spaces."""
    return " ".join(words(text))


# --- results -------------------------------------------------------------------------------
@dataclass
class Term:
    """One query word and the vocabulary words accepted for it."""

    word: str
    fuzzy: list[str] = field(default_factory=list)  # within edit distance, nearest first
    prefix: bool = False  # the word also matches as the start of a longer word

    @property
    def matches(self) -> list[str]:
        return [self.word, *self.fuzzy]

    def accepts(self, word: str) -> bool:
        return (
            word == self.word or word in self.fuzzy or (self.prefix and word.startswith(self.word))
        )

    def to_dict(self) -> dict:
        return {"word": self.word, "matches": self.matches, "prefix": self.prefix}


@dataclass
class Hit:
    iri: str
    label: str
    segments: list[tuple[str, bool]]  # the label cut into (text, matched) pieces
    context: str | None
    score: float  # bm25 relevance, larger is better; compare within one tier (``exact``)
    exact: bool = True  # False: found only through a fuzzy alternative

    def to_dict(self) -> dict:
        return {
            "iri": self.iri,
            "label": self.label,
            "segments": [{"text": t, "match": m} for t, m in self.segments],
            "context": self.context,
            "score": self.score,
            "exact": self.exact,
        }


@dataclass
class Group:
    type: str
    count: int  # all matching resources of this type, not just those in ``hits``
    hits: list[Hit]

    def to_dict(self) -> dict:
        return {"type": self.type, "count": self.count, "hits": [h.to_dict() for h in self.hits]}


@dataclass
class SearchResults:
    query: str
    terms: list[Term]
    groups: list[Group]
    total: int  # sum of the groups' counts

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "terms": [t.to_dict() for t in self.terms],
            "total": self.total,
            "groups": [g.to_dict() for g in self.groups],
        }


def segments(label: str, terms: Sequence[Term]) -> list[tuple[str, bool]]:
    """``label`` cut into (text, matched) pieces; a word is matched when a term accepts its
    folded form. The pieces join to ``label`` exactly."""
    marks: list[tuple[int, int]] = []
    for start, end, word in _tokens(label):
        if any(t.accepts(word) for t in terms):
            if marks and marks[-1][1] >= start:  # one character folded into two words
                marks[-1] = (marks[-1][0], max(end, marks[-1][1]))
            else:
                marks.append((start, end))
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in marks:
        if start > pos:
            out.append((label[pos:start], False))
        out.append((label[start:end], True))
        pos = end
    if pos < len(label):
        out.append((label[pos:], False))
    return out


# --- reading the store -----------------------------------------------------------------------
@dataclass
class _Record:
    iri: str
    group: str
    label: str  # display label, verbatim
    label_f: str  # display label, folded
    body_f: str  # the other texts, folded, each distinct one once
    context_text: str | None  # e.g. a target's kin:targetText
    context_ref: str | None  # resource whose label completes the context (read at search time)

    @property
    def vocabulary(self) -> set[str]:
        return set(self.label_f.split()) | set(self.body_f.split())


def _record(iri: str, quads: Iterable[ox.Quad]) -> _Record | None:
    """The record of ``iri`` from all its triples; None without an rdfs:label."""
    texts: list[tuple[str, ox.Literal]] = []
    types: set[str] = set()
    links: dict[str, str] = {}
    for quad in quads:
        p, o = quad.predicate.value, quad.object
        if p in _TEXT_PROPERTIES:
            if isinstance(o, ox.Literal):
                texts.append((p, o))
        elif p == _RDF_TYPE:
            if isinstance(o, ox.NamedNode):
                types.add(o.value)
        elif p in _LINKS and isinstance(o, ox.NamedNode):
            # several values: the smallest IRI, so that every build picks the same
            links[p] = min(links.get(p, o.value), o.value)
    label = _display_label(o for p, o in texts if p == _LABEL)
    if label is None:
        return None
    group = min(
        (TYPE_GROUPS.get(t, _OTHER) for t in types), key=_GROUP_RANK.__getitem__, default=_OTHER
    )
    label_f = fold(label)
    seen = {label_f}
    body: list[str] = []
    for _p, literal in sorted(texts, key=lambda t: (t[0], t[1].value)):
        folded = fold(literal.value)
        if folded and folded not in seen:
            seen.add(folded)
            body.append(folded)
    context_text = None
    if group == "target":
        context_text = min((o.value for p, o in texts if p == _TARGET_TEXT), default=None)
    via = _CONTEXT_LINK.get(group)
    return _Record(
        iri, group, label, label_f, " ".join(body), context_text, links.get(via) if via else None
    )


def _display_label(labels: Iterable[ox.Term]) -> str | None:
    """The Indonesian rdfs:label, else any; the smallest when there are several."""
    literals = [x for x in labels if isinstance(x, ox.Literal)]
    if not literals:
        return None
    return min(literals, key=lambda x: (x.language != _LANG, x.value)).value


class _Reader:
    """Reads the indexable resources (IRIs under ``{base}id/`` with an rdfs:label) from the
    store's default graph."""

    def __init__(self, store: ox.Store, base: str):
        if not isinstance(base, str) or not base.endswith(("/", "#")):
            raise ValueError(f"base IRI must end with '/' or '#': {base!r}")
        self.store = store
        self.prefix = base + "id/"

    def read(self, iri: str) -> _Record | None:
        """The record of ``iri``; None when it is not (or no longer) indexable."""
        if not iri.startswith(self.prefix):
            return None
        quads = self.store.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph())
        return _record(iri, quads)

    def records(self) -> Iterator[tuple[str, _Record | None, bool]]:
        """(iri, record, again) for every indexable resource, from one scan of the default
        graph. Oxigraph returns a subject's triples together; should a subject come back
        later in the scan all the same, it is read again in full and reported with
        ``again`` set, for the caller to replace what it had."""
        seen: set[int] = set()
        subject = None
        run: list[ox.Quad] = []
        for quad in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            if quad.subject != subject:
                if run:
                    yield from self._finish(run, seen)
                subject = quad.subject
                run = []
            run.append(quad)
        if run:
            yield from self._finish(run, seen)

    def _finish(
        self, run: list[ox.Quad], seen: set[int]
    ) -> Iterator[tuple[str, _Record | None, bool]]:
        subject = run[0].subject
        if not isinstance(subject, ox.NamedNode) or not subject.value.startswith(self.prefix):
            return
        iri = subject.value
        key = hash(iri)  # a collision costs one needless re-read, nothing else
        if key in seen:
            yield iri, self.read(iri), True
            return
        seen.add(key)
        record = _record(iri, run)
        if record is not None:
            yield iri, record, False


# --- writing the index -----------------------------------------------------------------------
_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs(
    id INTEGER PRIMARY KEY,  -- group rank << {_GROUP_SHIFT} | n
    iri TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    context_text TEXT,
    context_ref TEXT,
    label_f TEXT NOT NULL,
    body_f TEXT NOT NULL
);
CREATE VIRTUAL TABLE fts USING fts5(
    label_f, body_f, content='docs', content_rowid='id', tokenize='ascii', detail='column',
    prefix='2 3'
);
INSERT INTO fts(fts, rank) VALUES('rank', '{_RANK}');
CREATE TABLE vocab(id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE, freq INTEGER NOT NULL);
CREATE TABLE trigrams(
    gram TEXT NOT NULL, len INTEGER NOT NULL, word INTEGER NOT NULL,
    PRIMARY KEY (gram, len, word)
) WITHOUT ROWID;
"""


def _grams(word: str) -> set[str]:
    padded = f" {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _fuzzy_indexed(word: str) -> bool:
    return len(word) >= MIN_FUZZY_LENGTH - 1 and word.isalpha()


def _group_bounds(group: str) -> tuple[int, int]:
    rank = _GROUP_RANK[group]
    return rank << _GROUP_SHIFT, (rank + 1) << _GROUP_SHIFT


def build_index(store: ox.Store, path: Path, base: str) -> int:
    """Write a fresh index of ``store`` to ``path``; returns the number of resources.

    The index is written to a temporary file beside ``path`` and renamed over it, so
    readers see the old index or the new one, and a failed build leaves the old file as
    it was. Open :class:`Index` objects notice the new file at their next search.
    """
    path = Path(path)
    reader = _Reader(store, base)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;"
            )
            conn.executescript(_SCHEMA)
            conn.execute("BEGIN")
            count = _fill(conn, reader)
            conn.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?)",
                [("schema", SCHEMA_VERSION), ("base", base)],
            )
            conn.execute("INSERT INTO fts(fts) VALUES('optimize')")
            conn.execute("COMMIT")
        finally:
            conn.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return count


def _fill(conn: sqlite3.Connection, reader: _Reader) -> int:
    vocab: Counter[str] = Counter()
    next_id = [rank << _GROUP_SHIFT for rank in range(len(GROUPS))]
    batch: list[_Record] = []
    for iri, record, again in reader.records():
        if again:
            _insert_rows(conn, batch, next_id)
            batch = []
            vocab.subtract(_delete_row(conn, iri))
        if record is not None:
            vocab.update(record.vocabulary)
            batch.append(record)
            if len(batch) >= 5000:
                _insert_rows(conn, batch, next_id)
                batch = []
    _insert_rows(conn, batch, next_id)
    conn.executemany(
        "INSERT INTO vocab(word, freq) VALUES (?, ?)",
        sorted((word, n) for word, n in vocab.items() if n > 0),
    )
    conn.executemany(
        "INSERT INTO trigrams(gram, len, word) VALUES (?, ?, ?)",
        sorted(
            (gram, len(word), word_id)
            for word_id, word in conn.execute("SELECT id, word FROM vocab").fetchall()
            if _fuzzy_indexed(word)
            for gram in _grams(word)
        ),
    )
    return conn.execute("SELECT count(*) FROM docs").fetchone()[0]


def _insert_rows(conn: sqlite3.Connection, records: list[_Record], next_id: list[int]) -> None:
    rows = []
    for r in records:
        rank = _GROUP_RANK[r.group]
        rows.append(
            (next_id[rank], r.iri, r.label, r.context_text, r.context_ref, r.label_f, r.body_f)
        )
        next_id[rank] += 1
    conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany(
        "INSERT INTO fts(rowid, label_f, body_f) VALUES (?, ?, ?)",
        [(row[0], row[5], row[6]) for row in rows],
    )


def _delete_row(conn: sqlite3.Connection, iri: str) -> set[str]:
    """Remove ``iri`` from docs and fts; returns the words it had (none if it was absent)."""
    row = conn.execute("SELECT id, label_f, body_f FROM docs WHERE iri = ?", (iri,)).fetchone()
    if row is None:
        return set()
    conn.execute("INSERT INTO fts(fts, rowid, label_f, body_f) VALUES('delete', ?, ?, ?)", row)
    conn.execute("DELETE FROM docs WHERE id = ?", (row[0],))
    return set(row[1].split()) | set(row[2].split())


def update_index(store: ox.Store, path: Path, base: str, iris: Iterable[str]) -> None:
    """Re-index just ``iris`` from the store's current content (for incremental builds).

    Their old rows go; those still indexable in the store come back with their current
    texts (IRIs that were not indexed before are added). Contexts are read at search
    time, so an indicator shows its document's new label without being re-indexed. Pass
    every subject whose own triples changed. Without an index at ``path`` this builds one.
    Readers see the change when it commits.
    """
    path = Path(path)
    iris = sorted(set(iris))
    if not path.exists():
        build_index(store, path, base)
        return
    reader = _Reader(store, base)
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        _check_meta(conn, path)
        (indexed_base,) = conn.execute("SELECT value FROM meta WHERE key = 'base'").fetchone()
        if indexed_base != base:
            raise ValueError(f"{path} indexes the base {indexed_base!r}, not {base!r}")
        records = [reader.read(iri) for iri in iris]  # read before locking the index
        conn.execute("BEGIN IMMEDIATE")
        try:
            for iri, record in zip(iris, records, strict=True):
                _forget_words(conn, _delete_row(conn, iri))
                if record is not None:
                    (top,) = conn.execute(
                        "SELECT max(id) FROM docs WHERE id >= ? AND id < ?",
                        _group_bounds(record.group),
                    ).fetchone()
                    next_id = [0] * len(GROUPS)
                    next_id[_GROUP_RANK[record.group]] = (
                        _group_bounds(record.group)[0] if top is None else top + 1
                    )
                    _insert_rows(conn, [record], next_id)
                    _add_words(conn, record.vocabulary)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()


def _forget_words(conn: sqlite3.Connection, words_: set[str]) -> None:
    for word in sorted(words_):
        row = conn.execute("SELECT id, freq FROM vocab WHERE word = ?", (word,)).fetchone()
        if row is None:
            continue
        word_id, freq = row
        if freq > 1:
            conn.execute("UPDATE vocab SET freq = freq - 1 WHERE id = ?", (word_id,))
            continue
        conn.execute("DELETE FROM vocab WHERE id = ?", (word_id,))
        conn.execute(
            "DELETE FROM trigrams WHERE word = ? AND len = ? AND gram IN ({})".format(
                ",".join("?" * len(_grams(word)))
            ),
            (word_id, len(word), *sorted(_grams(word))),
        )


def _add_words(conn: sqlite3.Connection, words_: set[str]) -> None:
    for word in sorted(words_):
        row = conn.execute("SELECT id FROM vocab WHERE word = ?", (word,)).fetchone()
        if row is not None:
            conn.execute("UPDATE vocab SET freq = freq + 1 WHERE id = ?", row)
            continue
        word_id = conn.execute("INSERT INTO vocab(word, freq) VALUES (?, 1)", (word,)).lastrowid
        if _fuzzy_indexed(word):
            conn.executemany(
                "INSERT INTO trigrams(gram, len, word) VALUES (?, ?, ?)",
                [(gram, len(word), word_id) for gram in sorted(_grams(word))],
            )


def _check_meta(conn: sqlite3.Connection, path: Path) -> None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError as e:
        raise ValueError(f"{path} is not a kinerja search index: {e}") from None
    if row is None or row[0] != SCHEMA_VERSION:
        found = row[0] if row else "none"
        raise ValueError(
            f"{path} is a search index of schema {found}, expected {SCHEMA_VERSION}: rebuild it"
        )


# --- fuzzy matching --------------------------------------------------------------------------
def distance(a: str, b: str, limit: int) -> int | None:
    """Damerau-Levenshtein distance (optimal string alignment) of ``a`` and ``b`` if it is
    at most ``limit``, else None."""
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return None
    before: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        ai = a[i - 1]
        low = i
        for j in range(1, lb + 1):
            bj = b[j - 1]
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai != bj))
            if i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == bj:
                v = min(v, before[j - 2] + 1)
            cur[j] = v
            if v < low:
                low = v
        if low > limit:
            return None
        before, prev = prev, cur
    return prev[lb] if prev[lb] <= limit else None


def max_distance(word: str) -> int:
    """Edits a query word may differ by: 0 below MIN_FUZZY_LENGTH letters or when it holds a
    digit, 1 up to MAX_SHORT_WORD letters, 2 for longer words."""
    if len(word) < MIN_FUZZY_LENGTH or not word.isalpha():
        return 0
    return 1 if len(word) <= MAX_SHORT_WORD else 2


def _candidates(conn: sqlite3.Connection, word: str) -> list[str]:
    limit = max_distance(word)
    if not limit:
        return []
    grams = sorted(_grams(word))
    # an edit changes at most 4 trigrams (a transposition); fewer shared ones cannot be near
    need = max(1, len(grams) - 4 * limit)
    rows = conn.execute(
        f"""SELECT v.word, v.freq, t.shared FROM (
                SELECT word, count(*) AS shared FROM trigrams
                WHERE gram IN ({",".join("?" * len(grams))}) AND len BETWEEN ? AND ?
                GROUP BY word HAVING shared >= ? ORDER BY shared DESC LIMIT ?
            ) AS t JOIN vocab AS v ON v.id = t.word""",
        (*grams, len(word) - limit, len(word) + limit, need, SHORTLIST),
    ).fetchall()
    found = []
    for candidate, freq, _shared in rows:
        if candidate == word:
            continue
        d = distance(word, candidate, limit)
        if d is not None:
            found.append((d, -freq, candidate))
    return [c for _d, _f, c in sorted(found)[:MAX_CANDIDATES]]


def _quote(word: str) -> str:
    """An FTS5 string: whatever ``word`` holds, it is one phrase, never syntax."""
    return '"' + word.replace('"', '""') + '"'


def _expression(terms: Sequence[Term], fuzzy: bool) -> str:
    parts = []
    for term in terms:
        options = [_quote(term.word)]
        if term.prefix:
            options.append(_quote(term.word) + " *")
        if fuzzy:
            options.extend(_quote(w) for w in term.fuzzy)
        parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


# --- reading the index -----------------------------------------------------------------------
class Index:
    """A search index opened read-only; one object serves many threads.

    Each thread gets its own SQLite connection (reads run in parallel). When
    :func:`build_index` replaces the file, the next search in each thread reopens it.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no search index at {self.path}: build it first")
        self._lock = threading.Lock()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._identity = self._stat()
        self._generation = 0
        self._connection()  # fail now, not at the first search, if the file is no index

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def _connection(self) -> sqlite3.Connection:
        identity = self._stat()
        with self._lock:
            if self._closed:
                raise RuntimeError("search index is closed")
            if identity is not None and identity != self._identity:
                self._identity = identity
                self._generation += 1
            generation = self._generation
        local = self._local
        conn = getattr(local, "conn", None)
        if conn is not None and local.generation == generation:
            return conn
        if conn is not None:
            self._forget(conn)
        conn = sqlite3.connect(
            self.path.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False
        )
        try:
            _check_meta(conn, self.path)
        except BaseException:
            conn.close()
            raise
        with self._lock:
            self._connections.append(conn)
        local.conn, local.generation = conn, generation
        return conn

    def _forget(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            if conn in self._connections:
                self._connections.remove(conn)
        conn.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return self._connection().execute("SELECT count(*) FROM docs").fetchone()[0]

    def search(
        self,
        q: str,
        *,
        types: Sequence[str] | None = None,
        per_group: int = 10,
        offset: int = 0,
    ) -> SearchResults:
        """Resources whose texts hold every word of ``q`` (or a near spelling of it; the
        last word also as a prefix), grouped by type in the order of GROUPS.

        Each group has its count and its hits ``offset`` to ``offset + per_group``: those
        found with the words as typed first, then those found only through a fuzzy
        alternative, each tier by bm25. Raises ValueError for a query of more than
        MAX_QUERY_CHARS characters or MAX_QUERY_WORDS words, an unknown type, or a bad
        ``per_group`` / ``offset``.
        """
        if len(q) > MAX_QUERY_CHARS:
            raise ValueError(f"the query is longer than {MAX_QUERY_CHARS} characters")
        query_words = list(dict.fromkeys(words(q)))
        if len(query_words) > MAX_QUERY_WORDS:
            raise ValueError(f"the query has more than {MAX_QUERY_WORDS} words")
        wanted = _check_types(types)
        if not 0 <= per_group <= MAX_PER_GROUP:
            raise ValueError(f"per_group must be between 0 and {MAX_PER_GROUP}")
        if offset < 0:
            raise ValueError("offset must not be negative")
        if not query_words:
            return SearchResults(query=q, terms=[], groups=[], total=0)

        conn = self._connection()
        # the last word is being typed unless something follows it
        typing = bool(q) and q[-1].isalnum() and not q[-1].isspace()
        terms = [
            Term(
                word,
                fuzzy=_candidates(conn, word),
                prefix=typing and i == len(query_words) - 1 and len(word) >= MIN_PREFIX_LENGTH,
            )
            for i, word in enumerate(query_words)
        ]
        exact = _expression(terms, fuzzy=False)
        anyhow = _expression(terms, fuzzy=True)
        has_fuzzy = any(t.fuzzy for t in terms)
        counts = _group_counts(conn, anyhow)
        exact_counts = _group_counts(conn, exact) if has_fuzzy else counts

        groups = []
        for name in wanted:
            count = counts.get(name, 0)
            if not count:
                continue
            rank = _GROUP_RANK[name]
            bounds = (rank << _GROUP_SHIFT, (rank + 1) << _GROUP_SHIFT)
            n_exact = exact_counts.get(name, 0)
            rows: list[tuple[int, float, bool]] = []
            if offset < n_exact and per_group:
                rows += _page(conn, exact, bounds, per_group, offset, True)
            rest = per_group - len(rows)
            if has_fuzzy and rest > 0 and count > n_exact:
                rows += _page(
                    conn,
                    f"({anyhow}) NOT ({exact})",
                    bounds,
                    rest,
                    max(0, offset - n_exact),
                    False,
                )
            groups.append(Group(name, count, _hits(conn, rows, terms)))
        return SearchResults(
            query=q, terms=terms, groups=groups, total=sum(g.count for g in groups)
        )


def _check_types(types: Sequence[str] | None) -> list[str]:
    if types is None:
        return list(GROUPS)
    if isinstance(types, str):
        types = [types]
    unknown = sorted(set(types) - set(GROUPS))
    if unknown:
        raise ValueError(f"unknown type {', '.join(unknown)}: expected one of {', '.join(GROUPS)}")
    return [g for g in GROUPS if g in set(types)]


def _group_counts(conn: sqlite3.Connection, expression: str) -> dict[str, int]:
    rows = conn.execute(
        f"SELECT rowid >> {_GROUP_SHIFT}, count(*) FROM fts WHERE fts MATCH ? GROUP BY 1",
        (expression,),
    ).fetchall()
    return {GROUPS[rank]: n for rank, n in rows if 0 <= rank < len(GROUPS)}


def _page(
    conn: sqlite3.Connection,
    expression: str,
    bounds: tuple[int, int],
    limit: int,
    offset: int,
    exact: bool,
) -> list[tuple[int, float, bool]]:
    rows = conn.execute(
        "SELECT rowid, rank FROM fts WHERE fts MATCH ? AND rowid >= ? AND rowid < ?"
        " ORDER BY rank, rowid LIMIT ? OFFSET ?",
        (expression, *bounds, limit, offset),
    ).fetchall()
    return [(rowid, rank, exact) for rowid, rank in rows]


def _hits(
    conn: sqlite3.Connection, rows: list[tuple[int, float, bool]], terms: Sequence[Term]
) -> list[Hit]:
    if not rows:
        return []
    docs = {
        row[0]: row[1:]
        for row in _select_in(
            conn,
            "SELECT id, iri, label, context_text, context_ref FROM docs WHERE id IN ({})",
            [rowid for rowid, _r, _e in rows],
        )
    }
    contexts = _contexts(conn, {rowid: docs[rowid][3] for rowid, _r, _e in rows})
    hits = []
    for rowid, rank, exact in rows:
        iri, label, context_text, _ref = docs[rowid]
        parts = [x for x in (context_text, contexts.get(rowid)) if x]
        hits.append(
            Hit(
                iri=iri,
                label=label,
                segments=segments(label, terms),
                context=" — ".join(parts) or None,
                score=round(-rank, 6),
                exact=exact,
            )
        )
    return hits


def _contexts(conn: sqlite3.Connection, refs: dict[int, str | None]) -> dict[int, str]:
    """The label each hit's context names: the resource it links to, or for an indicator
    the document of its goal (the goal's label when that is not indexed)."""
    linked = {
        row[0]: row[1:]
        for row in _select_in(
            conn,
            "SELECT iri, id, label, context_ref FROM docs WHERE iri IN ({})",
            sorted({ref for ref in refs.values() if ref}),
        )
    }
    via = {
        rowid: linked[ref][2]
        for rowid, ref in refs.items()
        if ref in linked
        and _CONTEXT_VIA.get(GROUPS[rowid >> _GROUP_SHIFT])
        == GROUPS[linked[ref][0] >> _GROUP_SHIFT]
        and linked[ref][2]
    }
    second = {
        row[0]: row[1]
        for row in _select_in(
            conn, "SELECT iri, label FROM docs WHERE iri IN ({})", sorted(set(via.values()))
        )
    }
    out = {}
    for rowid, ref in refs.items():
        if rowid in via and via[rowid] in second:
            out[rowid] = second[via[rowid]]
        elif ref in linked:
            out[rowid] = linked[ref][1]
    return out


def _select_in(conn: sqlite3.Connection, sql: str, values: Sequence) -> list[tuple]:
    if not values:
        return []
    return conn.execute(sql.format(",".join("?" * len(values))), list(values)).fetchall()
