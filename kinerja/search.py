"""Full-text search over the labels and texts of every resource in a built store.

The index is one SQLite file (recommended: ``search.sqlite`` beside the store) that
:func:`build_index` writes from the store's default graph and :class:`Index` reads. It
knows nothing of HTTP or HTML: a hit's label comes back as ``(text, matched)`` segments
for the caller to escape and mark up.

Text is *folded* before it is indexed or searched: compatibility-decomposed, stripped of
diacritics, case-folded, every run of characters that are not letters or digits turned
into one word break. "Pemasyarakatan," and "PEMASYARAKATÁN" are both the word
``pemasyarakatan``.

A query matches the resources that hold every one of its words, each as typed or as one
of its fuzzy alternatives: vocabulary words within Damerau-Levenshtein distance 1 (query
words of 4-5 letters) or 2 (longer ones), so that "disiplin" finds a source's "Displin"
and "Displin" finds "disiplin". The last word also matches as a prefix unless the query
ends after it ("pemasya" finds "pemasyarakatan"). Hits come grouped by type; in each
group those holding every word as typed (or as a prefix) come before those found only
through a fuzzy alternative, each tier by a score (see :class:`_Scorer`).

Layout of the file:

``docs``
    one row per resource: IRI, display label, folded texts, and what its context is made
    of (a text of its own, and the IRI of the resource whose label completes it, looked
    up at search time so that it never goes stale). Its rowid is ``group rank << 40 | n``,
    so the rows of each group form one rowid range: counting matches per group needs no
    look-up of the rows, and a group's page is a range scan.
``fts``
    FTS5 over the folded display label and the other folded texts (external content:
    ``docs``; ``detail=none``: only which resources hold a word, which is all the queries
    need; prefix indexes for 2 and 3 letters).
``vocab``
    every folded word of the index with the number of resources that use it.
``trigrams``, ``gramfreq``
    the distinct trigrams of every alphabetic vocabulary word of three letters or more,
    padded with a space at each end, keyed by (trigram, word length), and how many words
    of each length hold each trigram. The candidates for a misspelt word are the words
    of about the same length that share enough of its trigrams, found through its rarest
    trigrams; Damerau-Levenshtein distance then decides. (A B-tree instead of an FTS5
    ``trigram`` table, because the length band is part of the key: a lookup reads only
    the words that could be within reach.)
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kinerja.namespaces import ELI, KIN, ORG, RDF, RDFS, SKOS
from kinerja.store import log_writer, new_sqlite, open_sqlite_read_only, wal_path

SCHEMA_VERSION = "2"

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
MAX_FUZZY_LENGTH = 40  # and so do longer ones (no such words; the distance grows as n²)
MAX_SHORT_WORD = 5  # words up to this length accept distance 1, longer ones distance 2
MIN_PREFIX_LENGTH = 2  # a shorter last word is not expanded as a prefix
PREFIX_INDEXED = 3  # FTS5 keeps prefix indexes of 2 and 3 letters; longer prefixes are ...
MAX_COMPLETIONS = 64  # ... expanded to at most this many vocabulary words, most used first
MAX_CANDIDATES = 10  # fuzzy alternatives kept per query word (nearest, then most used)
SHORTLIST = 400  # vocabulary words per query word read as possible alternatives ...
VERIFIED = 150  # ... of which at most this many, sharing most trigrams, get their distance
MAX_PER_GROUP = 1000
SCAN_MAX = 5000  # matches read in one pass to count the groups; beyond, each is counted
RANK_MAX = 500  # a group with more matches lists them in static order, not by score

# Scoring (see _Scorer): what one query word adds, times its idf, by how it matched ...
_WEIGHT_EXACT = 1.0
_WEIGHT_PREFIX = 0.8
_WEIGHT_FUZZY = 0.5
_WEIGHT_BODY = 0.4  # ... and where: the other texts count less than the display label
_LENGTH_PENALTY = 0.03  # per word of the label: shorter labels rank higher

_GROUP_SHIFT = 40
_FUZZY_CACHE = 4096  # words whose fuzzy alternatives an Index remembers
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
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def _tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """The words of ``text`` as (start, end, folded word), start/end indexing ``text``.
    Gives the same words as :func:`words`, which is faster but has no positions."""
    if text.isascii():  # the common case, and the same result
        for m in _ASCII_WORD.finditer(text):
            yield m.start(), m.end(), m.group().lower()
        return
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
    # the longer words searched for a prefix of PREFIX_INDEXED letters or more, most used
    # first; empty for a shorter prefix, which FTS5 expands itself
    completions: list[str] = field(default_factory=list)

    @property
    def matches(self) -> list[str]:
        """The word and its similar spellings (not its completions)."""
        return [self.word, *self.fuzzy]

    def accepts(self, word: str) -> bool:
        return (
            word == self.word or word in self.fuzzy or (self.prefix and word.startswith(self.word))
        )

    def to_dict(self) -> dict:
        return {
            "word": self.word,
            "matches": self.matches,
            "prefix": self.prefix,
            "completions": self.completions,
        }


@dataclass
class Hit:
    iri: str
    label: str
    segments: list[tuple[str, bool]]  # the label cut into (text, matched) pieces
    context: str | None
    score: float  # relevance, larger is better (see _Scorer); compare within one tier
    exact: bool = True  # False: found only through a fuzzy alternative of a query word

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
    iri TEXT NOT NULL,
    label TEXT NOT NULL,
    context_text TEXT,
    context_ref TEXT,
    label_f TEXT NOT NULL,
    body_f TEXT NOT NULL
);
CREATE VIRTUAL TABLE fts USING fts5(
    label_f, body_f, content='docs', content_rowid='id', tokenize='ascii', detail='none',
    prefix='2 3'
);
CREATE TABLE vocab(id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE, freq INTEGER NOT NULL);
CREATE TABLE trigrams(
    gram TEXT NOT NULL, len INTEGER NOT NULL, word INTEGER NOT NULL,
    PRIMARY KEY (gram, len, word)
) WITHOUT ROWID;
CREATE TABLE gramfreq(
    gram TEXT NOT NULL, len INTEGER NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (gram, len)
) WITHOUT ROWID;
"""
# made once the rows are in (faster than keeping them up to date row by row)
_INDEXES = (
    "CREATE UNIQUE INDEX docs_iri ON docs(iri)",
    "INSERT INTO fts(fts) VALUES('rebuild')",
    "INSERT INTO fts(fts) VALUES('optimize')",
)


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
    with new_sqlite(path) as conn:
        conn.executescript(_SCHEMA)
        conn.execute("BEGIN")
        count = _fill(conn, reader)
        conn.executemany(
            "INSERT INTO meta(key, value) VALUES (?, ?)",
            [("schema", SCHEMA_VERSION), ("base", base), ("count", str(count))],
        )
        conn.execute("COMMIT")
    return count


def _fill(conn: sqlite3.Connection, reader: _Reader) -> int:
    """Read every resource into the empty index ``conn``; returns their number."""
    conn.execute(
        "CREATE TEMP TABLE staging(grp INTEGER, iri, label, context_text, context_ref,"
        " label_f, body_f)"
    )
    vocab: Counter[str] = Counter()
    batch: list[_Record] = []

    def flush() -> None:
        conn.executemany(
            "INSERT INTO staging VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (_GROUP_RANK[r.group], r.iri, r.label, r.context_text, r.context_ref)
                + (r.label_f, r.body_f)
                for r in batch
            ],
        )
        batch.clear()

    for iri, record, again in reader.records():
        if again:
            flush()
            for row in conn.execute(
                "DELETE FROM staging WHERE iri = ? RETURNING label_f, body_f", (iri,)
            ).fetchall():
                vocab.subtract(set(row[0].split()) | set(row[1].split()))
        if record is not None:
            vocab.update(record.vocabulary)
            batch.append(record)
            if len(batch) >= 5000:
                flush()
    flush()
    # Within a group, rows are numbered shortest label first: the order of hits in a group
    # too large to rank (see RANK_MAX).
    conn.execute(
        f"""INSERT INTO docs(id, iri, label, context_text, context_ref, label_f, body_f)
        SELECT (grp << {_GROUP_SHIFT}) - 1 + row_number() OVER (
            PARTITION BY grp ORDER BY length(label_f), label_f, iri
        ), iri, label, context_text, context_ref, label_f, body_f
        FROM staging"""
    )
    conn.execute("DROP TABLE staging")
    for statement in _INDEXES:
        conn.execute(statement)  # not executescript: that would commit
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
    conn.execute(
        "INSERT INTO gramfreq(gram, len, n) SELECT gram, len, count(*) FROM trigrams"
        " GROUP BY gram, len"
    )
    return conn.execute("SELECT count(*) FROM docs").fetchone()[0]


def _insert_rows(
    conn: sqlite3.Connection, records: list[_Record], next_id: list[int], fts: bool = True
) -> None:
    rows = []
    for r in records:
        rank = _GROUP_RANK[r.group]
        rows.append(
            (next_id[rank], r.iri, r.label, r.context_text, r.context_ref, r.label_f, r.body_f)
        )
        next_id[rank] += 1
    conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    if fts:
        conn.executemany(
            "INSERT INTO fts(rowid, label_f, body_f) VALUES (?, ?, ?)",
            [(row[0], row[5], row[6]) for row in rows],
        )


def _delete_row(conn: sqlite3.Connection, iri: str, fts: bool = True) -> set[str] | None:
    """Remove ``iri`` from docs and fts; returns the words it had (None if it was absent)."""
    row = conn.execute("SELECT id, label_f, body_f FROM docs WHERE iri = ?", (iri,)).fetchone()
    if row is None:
        return None
    if fts:
        conn.execute("INSERT INTO fts(fts, rowid, label_f, body_f) VALUES('delete', ?, ?, ?)", row)
    conn.execute("DELETE FROM docs WHERE id = ?", (row[0],))
    return set(row[1].split()) | set(row[2].split())


def update_index(store: ox.Store, path: Path, base: str, iris: Iterable[str]) -> None:
    """Re-index just ``iris`` from the store's current content (for incremental builds).

    Their old rows go; those still indexable in the store come back with their current
    texts (IRIs that were not indexed before are added). Contexts are read at search
    time, so an indicator shows its document's new label without being re-indexed. Pass
    every subject whose own triples changed. When ``path`` holds no index, or one of
    another schema version or base IRI, this builds the index afresh instead.
    Readers see the change when it commits.
    """
    path = Path(path)
    iris = sorted(set(iris))
    reader = _Reader(store, base)
    if not _updatable(path, base):
        build_index(store, path, base)
        return
    with log_writer(path, timeout=30) as conn:
        records = [reader.read(iri) for iri in iris]  # read before locking the index
        conn.execute("BEGIN IMMEDIATE")
        try:
            added = 0  # rows, less those removed (counting them all took 30 ms at 5.5 M triples)
            for iri, record in zip(iris, records, strict=True):
                words_ = _delete_row(conn, iri)
                if words_ is not None:
                    _forget_words(conn, words_)
                    added -= 1
                if record is not None:
                    added += 1
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
            conn.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'count'", (added,)
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


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
        if _fuzzy_indexed(word):
            rows = [(gram, len(word), word_id) for gram in sorted(_grams(word))]
            conn.executemany("DELETE FROM trigrams WHERE gram = ? AND len = ? AND word = ?", rows)
            conn.executemany(
                "UPDATE gramfreq SET n = n - 1 WHERE gram = ? AND len = ?",
                [row[:2] for row in rows],
            )


def _add_words(conn: sqlite3.Connection, words_: set[str]) -> None:
    for word in sorted(words_):
        row = conn.execute("SELECT id FROM vocab WHERE word = ?", (word,)).fetchone()
        if row is not None:
            conn.execute("UPDATE vocab SET freq = freq + 1 WHERE id = ?", row)
            continue
        word_id = conn.execute("INSERT INTO vocab(word, freq) VALUES (?, 1)", (word,)).lastrowid
        if _fuzzy_indexed(word):
            rows = [(gram, len(word), word_id) for gram in sorted(_grams(word))]
            conn.executemany("INSERT INTO trigrams(gram, len, word) VALUES (?, ?, ?)", rows)
            conn.executemany(
                "INSERT INTO gramfreq(gram, len, n) VALUES (?, ?, 1)"
                " ON CONFLICT(gram, len) DO UPDATE SET n = n + 1",
                [row[:2] for row in rows],
            )


def _updatable(path: Path, base: str) -> bool:
    """Whether ``path`` holds an index of this schema version over ``base``."""
    if not path.is_file():
        return False
    try:
        conn = open_sqlite_read_only(path)
    except sqlite3.Error:
        return False
    try:
        _check_meta(conn, path)
        row = conn.execute("SELECT value FROM meta WHERE key = 'base'").fetchone()
        return row is not None and row[0] == base
    except (ValueError, sqlite3.Error):
        return False
    finally:
        conn.close()


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
    if not MIN_FUZZY_LENGTH <= len(word) <= MAX_FUZZY_LENGTH or not word.isalpha():
        return 0
    return 1 if len(word) <= MAX_SHORT_WORD else 2


def _candidates(conn: sqlite3.Connection, word: str) -> list[str]:
    """Vocabulary words within max_distance(word) edits of ``word``: nearest first, then
    most used; at most MAX_CANDIDATES."""
    limit = max_distance(word)
    if not limit:
        return []
    grams = _grams(word)
    lo, hi = len(word) - limit, len(word) + limit
    counts = dict(
        conn.execute(
            f"""SELECT gram, sum(n) FROM gramfreq
            WHERE gram IN ({",".join("?" * len(grams))}) AND len BETWEEN ? AND ?
            GROUP BY gram""",
            (*sorted(grams), lo, hi),
        ).fetchall()
    )
    present = sorted((g for g in grams if counts.get(g)), key=lambda g: (counts[g], g))
    # An edit changes at most 4 trigrams (a transposition; 3 for the others), so a word
    # within reach shares at least n - 4 * limit. For two edits that bound is too weak to
    # filter anything: ask for half of them, but never more than one edit could leave.
    n = len(present)
    need = max(1, n - 4 * limit)
    if limit > 1:
        need = max(need, min((n + 1) // 2, n - 4))
    # A word sharing `need` trigrams holds one of the len(present) - need + 1 rarest
    # (pigeonhole): only their entries are read, not those of the common ones.
    rare = present[: len(present) - need + 1]
    if not rare:
        return []
    rows = conn.execute(
        f"""SELECT v.word, v.freq FROM (
                SELECT word, count(*) AS shared FROM trigrams
                WHERE gram IN ({",".join("?" * len(rare))}) AND len BETWEEN ? AND ?
                GROUP BY word ORDER BY shared DESC, word LIMIT ?
            ) AS t JOIN vocab AS v ON v.id = t.word""",
        (*rare, lo, hi, SHORTLIST),
    ).fetchall()
    near = sorted(
        ((len(_grams(c) & grams), f, c) for c, f in rows if c != word),
        key=lambda r: (-r[0], -r[1], r[2]),
    )
    found = []
    for shared, freq, candidate in near[:VERIFIED]:
        if shared < need:
            break
        d = distance(word, candidate, limit)
        if d is not None:
            found.append((d, -freq, candidate))
    return [c for _d, _f, c in sorted(found)[:MAX_CANDIDATES]]


def _completions(conn: sqlite3.Connection, prefix: str) -> list[str]:
    rows = conn.execute(
        "SELECT word FROM vocab WHERE word > ? AND word < ? ORDER BY freq DESC, word LIMIT ?",
        (prefix, prefix + "\U0010ffff", MAX_COMPLETIONS),
    ).fetchall()
    return [w for (w,) in rows]


def _quote(word: str) -> str:
    """An FTS5 string: whatever ``word`` holds, it is one phrase, never syntax."""
    return '"' + word.replace('"', '""') + '"'


def _expression(terms: Sequence[Term], fuzzy: bool) -> str:
    parts = []
    for term in terms:
        options = [_quote(term.word)]
        if term.prefix and len(term.word) <= PREFIX_INDEXED:
            options.append(_quote(term.word) + " *")
        options.extend(_quote(w) for w in term.completions)
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
        # the file's identity, then the size and mtime of it and of its log (see
        # ``store.share_sqlite``): an update in place changes only the log
        self._version = self._stat()
        self._generation = 0  # counts replacements of the file
        self._fuzzy: dict[str, list[str]] = {}  # fuzzy alternatives of words, for this version
        self._connection()  # fail now, not at the first search, if the file is no index

    def _stat(self) -> tuple[int | None, ...] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        try:
            log = os.stat(wal_path(self.path))
            logged = log.st_size, log.st_mtime_ns
        except OSError:
            logged = None, None
        return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, *logged

    def _connection(self) -> sqlite3.Connection:
        version = self._stat()
        with self._lock:
            if self._closed:
                raise RuntimeError("search index is closed")
            if version is not None and version != self._version:
                if self._version is None or version[:2] != self._version[:2]:
                    self._generation += 1
                self._version = version
                self._fuzzy.clear()
            generation = self._generation
        local = self._local
        conn = getattr(local, "conn", None)
        if conn is not None and local.generation == generation:
            return conn
        if conn is not None:
            self._forget(conn)
        conn = open_sqlite_read_only(self.path, check_same_thread=False)
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
        return _indexed_count(self._connection())

    def _candidates(self, conn: sqlite3.Connection, word: str) -> list[str]:
        with self._lock:
            found = self._fuzzy.get(word)
        if found is None:
            found = _candidates(conn, word)
            with self._lock:
                if len(self._fuzzy) >= _FUZZY_CACHE:
                    self._fuzzy.clear()
                self._fuzzy[word] = found
        return list(found)

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
        that hold every query word as typed (or as a prefix) first, those found only
        through a fuzzy alternative after them; within each tier by score, or in a group
        of more than RANK_MAX matches shortest label first. Raises ValueError for a query
        of more than MAX_QUERY_CHARS characters or MAX_QUERY_WORDS words, an unknown type,
        or a bad ``per_group`` / ``offset``.
        """
        if len(q) > MAX_QUERY_CHARS:
            raise ValueError(f"the query is longer than {MAX_QUERY_CHARS} characters")
        typed = words(q)
        if len(typed) > MAX_QUERY_WORDS:
            raise ValueError(f"the query has more than {MAX_QUERY_WORDS} words")
        # each word once; a repeated one where it last occurs (the last word may be a prefix)
        query_words = list(reversed(dict.fromkeys(reversed(typed))))
        wanted = _check_types(types)
        if not 0 <= per_group <= MAX_PER_GROUP:
            raise ValueError(f"per_group must be between 0 and {MAX_PER_GROUP}")
        if offset < 0:
            raise ValueError("offset must not be negative")
        if not query_words:
            return SearchResults(query=q, terms=[], groups=[], total=0)

        conn = self._connection()
        terms = [Term(word, fuzzy=self._candidates(conn, word)) for word in query_words]
        last = terms[-1]
        # the last word is still being typed unless something follows it
        if q[-1].isalnum() and len(last.word) >= MIN_PREFIX_LENGTH:
            last.prefix = True
            if len(last.word) > PREFIX_INDEXED:
                last.completions = [w for w in _completions(conn, last.word) if w not in last.fuzzy]
        exact = _expression(terms, fuzzy=False)
        anyhow = _expression(terms, fuzzy=True) if any(t.fuzzy for t in terms) else exact
        scorer = _Scorer(conn, terms)
        known = _scan(conn, anyhow, wanted) if wanted else {}
        groups = []
        for name in wanted:
            bounds = _group_bounds(name)
            ids = known.get(name)
            count = len(ids) if ids is not None else _count(conn, anyhow, bounds)
            if not count:
                continue
            if not per_group:
                rows = []
            elif count <= RANK_MAX:
                rows = _ranked_page(conn, scorer, anyhow, bounds, ids, per_group, offset)
            else:
                rows = _static_page(conn, scorer, exact, anyhow, bounds, per_group, offset)
            groups.append(Group(name, count, _hits(conn, rows, terms)))
        return SearchResults(
            query=q, terms=terms, groups=groups, total=sum(g.count for g in groups)
        )


def _indexed_count(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'count'").fetchone()
    return int(row[0]) if row else 0


def _check_types(types: Sequence[str] | None) -> list[str]:
    if types is None:
        return list(GROUPS)
    if isinstance(types, str):
        types = [types]
    unknown = sorted(set(types) - set(GROUPS))
    if unknown:
        raise ValueError(f"unknown type {', '.join(unknown)}: expected one of {', '.join(GROUPS)}")
    return [g for g in GROUPS if g in set(types)]


class _Scorer:
    """Tier and score of a matching resource, from its folded texts.

    Each query word adds its idf (from the vocabulary's document frequencies) times how it
    matched: as typed, as a prefix, or through a fuzzy alternative; in the display label
    or, for less, only in the other texts. The sum shrinks with the label's length. A
    resource is in the exact tier when every query word matched as typed or as a prefix.
    (FTS5's bm25 would read the whole document list of every query word to count its
    documents, on each query: too slow for common words in a large index.)
    """

    def __init__(self, conn: sqlite3.Connection, terms: Sequence[Term]):
        self.terms = terms
        n = max(_indexed_count(conn), 1)
        known = sorted({w for t in terms for w in (*t.matches, *t.completions)})
        freq = dict(_select_in(conn, "SELECT word, freq FROM vocab WHERE word IN ({})", known))
        self.idf = {w: math.log(1 + (n - f + 0.5) / (f + 0.5)) for w, f in freq.items()}
        self.floor = min(self.idf.values(), default=1.0)  # for words matched through `*`
        self.fuzzy = [set(t.fuzzy) for t in terms]
        self.completions = [set(t.completions) for t in terms]

    def __call__(self, label_f: str, body_f: str) -> tuple[bool, float]:
        label = label_f.split()
        in_label, in_body = set(label), set(body_f.split())
        exact = True
        total = 0.0
        for i, term in enumerate(self.terms):
            w_label, e_label = self._match(i, term, in_label)
            w_body, e_body = self._match(i, term, in_body)
            exact = exact and (e_label or e_body)
            total += max(w_label, w_body * _WEIGHT_BODY)
        return exact, total / (1 + _LENGTH_PENALTY * len(label))

    def _match(self, i: int, term: Term, words_: set[str]) -> tuple[float, bool]:
        if term.word in words_:
            return self.idf.get(term.word, self.floor) * _WEIGHT_EXACT, True
        if term.prefix:
            found = self.completions[i] & words_
            if found:
                return max(self.idf.get(w, self.floor) for w in found) * _WEIGHT_PREFIX, True
            if len(term.word) <= PREFIX_INDEXED and any(w.startswith(term.word) for w in words_):
                return self.floor * _WEIGHT_PREFIX, True
        found = self.fuzzy[i] & words_
        if found:
            return max(self.idf.get(w, self.floor) for w in found) * _WEIGHT_FUZZY, False
        return 0.0, False


def _count(conn: sqlite3.Connection, expression: str, bounds: tuple[int, int]) -> int:
    return conn.execute(
        "SELECT count(*) FROM fts WHERE fts MATCH ? AND rowid >= ? AND rowid < ?",
        (expression, *bounds),
    ).fetchone()[0]


def _scan(conn: sqlite3.Connection, expression: str, wanted: list[str]) -> dict[str, list[int]]:
    """The matching rowids of each wanted group, from one pass over the first SCAN_MAX
    matches; groups the pass did not get to the end of are left out (to be counted)."""
    lo, hi = _group_bounds(wanted[0])[0], _group_bounds(wanted[-1])[1]
    rows = conn.execute(
        "SELECT rowid FROM fts WHERE fts MATCH ? AND rowid >= ? AND rowid < ?"
        " ORDER BY rowid LIMIT ?",
        (expression, lo, hi, SCAN_MAX + 1),
    ).fetchall()
    complete = len(rows) <= SCAN_MAX
    # rowids come in order: every group before the last one seen is complete
    last = rows[-1][0] >> _GROUP_SHIFT if rows and not complete else len(GROUPS)
    found: dict[str, list[int]] = {g: [] for g in wanted if _GROUP_RANK[g] < last}
    for (rowid,) in rows:
        group = GROUPS[rowid >> _GROUP_SHIFT]
        if group in found:
            found[group].append(rowid)
    return found


def _ranked_page(
    conn: sqlite3.Connection,
    scorer: _Scorer,
    expression: str,
    bounds: tuple[int, int],
    ids: list[int] | None,
    limit: int,
    offset: int,
) -> list[tuple[int, bool, float]]:
    """One page of a group small enough to score every match: (rowid, exact, score).
    ``ids`` are the group's matches when known."""
    if ids is None:
        rows = conn.execute(
            "SELECT rowid, label_f, body_f FROM fts WHERE fts MATCH ? AND rowid >= ? AND rowid < ?",
            (expression, *bounds),
        ).fetchall()
    else:
        rows = _select_in(conn, "SELECT id, label_f, body_f FROM docs WHERE id IN ({})", ids)
    scored = [(rowid, *scorer(label_f, body_f)) for rowid, label_f, body_f in rows]
    scored.sort(key=lambda r: (not r[1], -round(r[2], 9), r[0]))
    return scored[offset : offset + limit]


def _static_page(
    conn: sqlite3.Connection,
    scorer: _Scorer,
    exact: str,
    anyhow: str,
    bounds: tuple[int, int],
    limit: int,
    offset: int,
) -> list[tuple[int, bool, float]]:
    """One page of a large group, exact tier first, each tier in rowid order (shortest
    label first), without scoring every match: (rowid, exact, score)."""
    ids = _ids(conn, exact, bounds, limit, offset)
    tiers = [(rowid, True) for rowid in ids]
    if anyhow != exact and len(ids) < limit:
        # the exact tier ends on this page, or (nothing of it here) before it
        skip = 0 if ids or not offset else offset - _count(conn, exact, bounds)
        more = _ids(conn, f"({anyhow}) NOT ({exact})", bounds, limit - len(ids), skip)
        tiers += [(rowid, False) for rowid in more]
    texts = dict(
        (rowid, (label_f, body_f))
        for rowid, label_f, body_f in _select_in(
            conn, "SELECT id, label_f, body_f FROM docs WHERE id IN ({})", [r for r, _ in tiers]
        )
    )
    return [(rowid, is_exact, scorer(*texts[rowid])[1]) for rowid, is_exact in tiers]


def _ids(
    conn: sqlite3.Connection, expression: str, bounds: tuple[int, int], limit: int, offset: int
) -> list[int]:
    rows = conn.execute(
        "SELECT rowid FROM fts WHERE fts MATCH ? AND rowid >= ? AND rowid < ?"
        " ORDER BY rowid LIMIT ? OFFSET ?",
        (expression, *bounds, limit, offset),
    ).fetchall()
    return [rowid for (rowid,) in rows]


def _hits(
    conn: sqlite3.Connection, rows: list[tuple[int, bool, float]], terms: Sequence[Term]
) -> list[Hit]:
    if not rows:
        return []
    docs = {
        row[0]: row[1:]
        for row in _select_in(
            conn,
            "SELECT id, iri, label, context_text, context_ref FROM docs WHERE id IN ({})",
            [rowid for rowid, _e, _s in rows],
        )
    }
    contexts = _contexts(conn, {rowid: docs[rowid][3] for rowid, _e, _s in rows})
    hits = []
    for rowid, exact, score in rows:
        iri, label, context_text, _ref = docs[rowid]
        parts = [x for x in (context_text, contexts.get(rowid)) if x]
        hits.append(
            Hit(
                iri=iri,
                label=label,
                segments=segments(label, terms),
                context=" — ".join(parts) or None,
                score=round(score, 4),
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
        and linked[ref][2]
        and _CONTEXT_VIA.get(GROUPS[rowid >> _GROUP_SHIFT])
        == GROUPS[linked[ref][0] >> _GROUP_SHIFT]
    }
    second = dict(
        _select_in(conn, "SELECT iri, label FROM docs WHERE iri IN ({})", sorted(set(via.values())))
    )
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
