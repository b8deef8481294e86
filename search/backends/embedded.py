"""The default backend: an inverted index kept in the project database.

Documents and queries go through the same Python analysis (search.analysis).
For each language, every term and every pair of adjacent terms ("phrase") has a
posting list: the ids of the documents that contain it, with the field-weighted
frequency (title x5, keywords x2, body x1). Lists are stored as binary arrays in
``search_posting``, cut in blocks of document ids so that updating one
document rewrites small rows. A query reads the lists of its terms and scores
them with BM25 in numpy, so the same code and the same results serve SQLite and
PostgreSQL.

Why not SQLite FTS5 or tsvector ranking: both score every matching row, and
FTS5's bm25() also re-counts each term's documents on every query. On 20,000
documents a typical query matches ~4,000 rows of its language: 13-18 ms of
ranking, where this index needs well under 1 ms (bench/search_speed.py).
"""

import math
import secrets
import sqlite3
import threading
from array import array
from collections import Counter, defaultdict
from contextlib import contextmanager
from itertools import pairwise
from types import SimpleNamespace

import numpy as np
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper

from search.analysis import LANGUAGES, analyze
from search.models import SearchDocument

NAME = "embedded"
# Weights of (title, keywords, body) in a term's frequency.
FIELD_WEIGHTS = (5.0, 2.0, 1.0)
K1 = 1.2
B = 0.75
# Documents per posting row: an update rewrites at most this many entries.
BLOCK_SIZE = 8192
MAX_KEY_LENGTH = 255
_DOCS = np.dtype("<i4")
_FREQS = np.dtype("<f4")
KIND_CODES = {"article": 0, "topic": 1}
_EMPTY = (np.empty(0, _DOCS), np.empty(0, _FREQS))


def document_fields(doc):
    """(title, keywords, body) analysed terms of one SearchDocument."""
    lang = doc.lang
    if doc.kind == "topic":
        keywords = " ".join([doc.summary, doc.symptoms, doc.category])
    else:
        keywords = " ".join([doc.summary, doc.symptoms, doc.tags, doc.category])
    return (
        analyze(doc.title, lang),
        analyze(keywords, lang),
        analyze(doc.body, lang),
    )


def document_postings(doc):
    """(length in terms, {term or "stem stem" phrase: weighted frequency})."""
    freqs = defaultdict(float)
    length = 0
    for weight, terms in zip(FIELD_WEIGHTS, document_fields(doc), strict=True):
        length += len(terms)
        for term, count in Counter(terms).items():
            freqs[term] += weight * count
        for (a, b), count in Counter(pairwise(terms)).items():
            if a != b:
                freqs[f"{a} {b}"] += weight * count
    return length, {k: f for k, f in freqs.items() if len(k) <= MAX_KEY_LENGTH}


def _vendor():
    return connection.vendor


# --- SQLite read connections -------------------------------------------------
#
# Django opens a new database connection for each request (CONN_MAX_AGE=0, or
# a new thread per request), and SQLite parses the whole schema (every table
# of every app, ~2 ms of CPU) on the first statement of each connection: more
# than the rest of a search. Searches on a SQLite file therefore read through
# a few long-lived connections shared by the process. They run in autocommit,
# so each statement sees the latest commit.

_readers = []
_readers_lock = threading.Lock()
MAX_IDLE_READERS = 8


def _pooled_reads():
    """Whether searches may use a pooled connection instead of Django's."""
    return (
        connection.vendor == "sqlite"
        # Inside a transaction (and in tests) this thread's uncommitted writes
        # must be visible, and an in-memory database exists only in
        # connection.
        and not connection.in_atomic_block
        and not connection.is_in_memory_db()
    )


def _reader_open(name):
    raw = sqlite3.connect(
        name,
        timeout=float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)),
        check_same_thread=False,
        isolation_level=None,
        uri=True,  # as Django does: NAME may be a "file:" URI
    )
    raw.execute("PRAGMA query_only = ON")
    return raw


@contextmanager
def _read_cursor():
    """A cursor (Django's %s placeholders) for queries that only read."""
    if not _pooled_reads():
        with connection.cursor() as cursor:
            yield cursor
        return
    name = str(connection.settings_dict["NAME"])
    raw = None
    with _readers_lock:
        while _readers and raw is None:
            reader_name, candidate = _readers.pop()
            if reader_name == name:
                raw = candidate
            else:
                candidate.close()
    if raw is None:
        raw = _reader_open(name)
    cursor = raw.cursor(factory=SQLiteCursorWrapper)
    reusable = False
    try:
        # Errors come out as Django's exceptions, as with connection.cursor().
        with connection.wrap_database_errors:
            yield cursor
        reusable = True
    finally:
        cursor.close()
        if not reusable:
            raw.close()
    with _readers_lock:
        if len(_readers) < MAX_IDLE_READERS:
            _readers.append((name, raw))
            raw = None
    if raw is not None:
        raw.close()


def documents(keys, field_name, fields):
    """{key: SearchDocument, or a read-only row with its attributes} for pks or doc_ids.

    Only ``fields`` (and the key) are loaded.
    """
    if not keys:
        return {}
    if not _pooled_reads():
        return SearchDocument.objects.only(*fields).in_bulk(keys, field_name=field_name)
    wanted = {"id", field_name, *fields}
    columns = [
        f.attname for f in SearchDocument._meta.concrete_fields if f.attname in wanted
    ]
    sql = (
        f"SELECT {', '.join(columns)} FROM search_searchdocument"
        f" WHERE {field_name} IN ({', '.join(['%s'] * len(keys))})"
    )
    with _read_cursor() as cursor:
        cursor.execute(sql, list(keys))
        rows = cursor.fetchall()
    out = {}
    for values in rows:
        # Read-only rows for result lists: a model instance costs more than
        # the query that fetched it.
        doc = SimpleNamespace(**dict(zip(columns, values, strict=True)))
        if getattr(doc, "solved", None) is not None:
            doc.solved = bool(doc.solved)
        out[getattr(doc, field_name)] = doc
    return out


# --- The per-language document table ----------------------------------------
#
# Scoring needs each matching document's length, kind, boost and filters. They
# are loaded once per process into arrays indexed by document id, and reloaded
# when the language's state token changes: every index write sets a new random
# token in the same transaction, so a rolled-back write leaves a token that
# still describes the data.


class _DocTable:
    def __init__(self, token, rows):
        self.token = token
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        self.base = int(ids.min()) if len(rows) else 0
        size = int(ids.max()) - self.base + 1 if len(rows) else 0
        positions = ids - self.base
        self.present = np.zeros(size, dtype=bool)
        self.present[positions] = True
        self.length = np.zeros(size, dtype=np.float64)
        self.length[positions] = [r[1] for r in rows]
        self.kind = np.full(size, -1, dtype=np.int8)
        self.kind[positions] = [KIND_CODES.get(r[2], -1) for r in rows]
        # -1: not a topic, 0: unsolved, 1: solved.
        self.solved = np.full(size, -1, dtype=np.int8)
        self.solved[positions] = [-1 if r[3] is None else int(bool(r[3])) for r in rows]
        self.boost = np.ones(size, dtype=np.float64)
        self.boost[positions] = [float(r[4] or 1.0) for r in rows]
        self.categories = sorted({r[5] or "" for r in rows})
        codes = {name: i for i, name in enumerate(self.categories)}
        self.category = np.zeros(size, dtype=np.int32)
        self.category[positions] = [codes[r[5] or ""] for r in rows]
        self.count = len(rows)
        self.avgdl = float(self.length[positions].mean()) if len(rows) else 1.0
        self.avgdl = self.avgdl or 1.0
        # BM25's length normalisation, the same for every term of a query.
        self.norm = K1 * (1 - B + B * self.length / self.avgdl)


_tables = {}
_tables_lock = threading.Lock()


def _doc_table(cursor, lang):
    cursor.execute("SELECT token FROM search_indexstate WHERE lang = %s", [lang])
    row = cursor.fetchone()
    token = row[0] if row else None
    with _tables_lock:
        table = _tables.get(lang)
    if table is not None and token is not None and table.token == token:
        return table
    cursor.execute(
        "SELECT id, length, kind, solved, boost, category"
        " FROM search_searchdocument WHERE lang = %s",
        [lang],
    )
    table = _DocTable(token, cursor.fetchall())
    with _tables_lock:
        _tables[lang] = table
    return table


def state_token(lang):
    """The language's index state token: it changes with every index write
    (documents, vectors, a topic solved), so per-process caches of what
    was read from the index key on it instead of re-reading anything."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM search_indexstate WHERE lang = %s", [lang])
        row = cursor.fetchone()
    return row[0] if row else None


def _touch(cursor, langs):
    """Give ``langs`` a new state token: their cached document tables are stale."""
    cursor.executemany(
        "INSERT INTO search_indexstate (lang, token) VALUES (%s, %s)"
        " ON CONFLICT (lang) DO UPDATE SET token = excluded.token",
        [(lang, secrets.token_hex(8)) for lang in sorted(set(langs))],
    )


# --- Writing the index ---------------------------------------------------------


def _encode(docs, freqs):
    return (
        np.asarray(docs, dtype=_DOCS).tobytes(),
        np.asarray(freqs, dtype=_FREQS).tobytes(),
    )


def _decode(docs, freqs):
    return np.frombuffer(bytes(docs), dtype=_DOCS), np.frombuffer(
        bytes(freqs), dtype=_FREQS
    )


def _set_lengths(cursor, lengths):
    cursor.executemany(
        "UPDATE search_searchdocument SET length = %s WHERE id = %s",
        [(length, pk) for pk, length in lengths.items()],
    )


def _merge(docs, freqs, entries):
    """Sorted (docs, freqs) with {pk: frequency, or None to remove} applied."""
    if len(entries) == 1:
        # One document changes at a time, the usual case: no sort, no set test.
        ((pk, freq),) = entries.items()
        i = int(np.searchsorted(docs, pk))
        present = i < len(docs) and docs[i] == pk
        if freq is None:
            if not present:
                return docs, freqs
            return np.delete(docs, i), np.delete(freqs, i)
        if present:
            freqs = freqs.copy()
            freqs[i] = freq
            return docs, freqs
        return np.insert(docs, i, pk), np.insert(freqs, i, freq)
    changed = np.fromiter(entries, dtype=_DOCS, count=len(entries))
    keep = ~np.isin(docs, changed)
    added = [(pk, f) for pk, f in entries.items() if f is not None]
    docs = np.concatenate([docs[keep], [pk for pk, _f in added]]).astype(_DOCS)
    freqs = np.concatenate([freqs[keep], [f for _pk, f in added]]).astype(_FREQS)
    order = np.argsort(docs, kind="stable")
    return docs[order], freqs[order]


def _apply(cursor, lang, changes):
    """Apply {(key, block): {doc pk: frequency, or None to remove}} to one language."""
    by_key = defaultdict(dict)
    for (key, block), entries in changes.items():
        by_key[key][block] = entries
    keys = sorted(by_key)
    existing = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        cursor.execute(
            "SELECT term, block, docs, freqs FROM search_posting"
            f" WHERE lang = %s AND term IN ({', '.join(['%s'] * len(chunk))})",
            [lang, *chunk],
        )
        for term, block, docs, freqs in cursor.fetchall():
            if block in by_key[term]:
                existing[(term, block)] = _decode(docs, freqs)
    upserts = []
    deletes = []
    for (key, block), entries in changes.items():
        docs, freqs = existing.get((key, block), _EMPTY)
        docs, freqs = _merge(docs, freqs, entries)
        if not len(docs):
            if (key, block) in existing:
                deletes.append((lang, key, block))
            continue
        upserts.append((lang, key, block, *_encode(docs, freqs)))
    if deletes:
        cursor.executemany(
            "DELETE FROM search_posting WHERE lang = %s AND term = %s AND block = %s",
            deletes,
        )
    if upserts:
        cursor.executemany(
            "INSERT INTO search_posting (lang, term, block, docs, freqs)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (lang, term, block)"
            " DO UPDATE SET docs = excluded.docs, freqs = excluded.freqs",
            upserts,
        )


def index_rows(docs, previous=None):
    """(Re)index SearchDocument rows.

    ``previous`` maps a pk to the posting keys of its earlier version, which
    are removed first (see document_keys).
    """
    if not docs:
        return
    previous = previous or {}
    changes = {lang: defaultdict(dict) for lang in LANGUAGES}
    lengths = {}
    for doc in docs:
        for lang, keys in previous.get(doc.pk, {}).items():
            for key in keys:
                changes[lang][(key, doc.pk // BLOCK_SIZE)][doc.pk] = None
        length, postings = document_postings(doc)
        lengths[doc.pk] = length
        for key, freq in postings.items():
            changes[doc.lang][(key, doc.pk // BLOCK_SIZE)][doc.pk] = freq
    with connection.cursor() as cursor:
        _set_lengths(cursor, lengths)
        for lang, lang_changes in changes.items():
            if lang_changes:
                _apply(cursor, lang, lang_changes)
        _touch(cursor, [lang for lang, c in changes.items() if c])


def document_keys(doc):
    """{lang: posting keys} of an indexed document, to remove it later."""
    return {doc.lang: list(document_postings(doc)[1])}


def delete_rows(docs):
    """Remove SearchDocument rows (still loaded, with their content) from the index."""
    if not docs:
        return
    changes = {lang: defaultdict(dict) for lang in LANGUAGES}
    for doc in docs:
        for lang, keys in document_keys(doc).items():
            for key in keys:
                changes[lang][(key, doc.pk // BLOCK_SIZE)][doc.pk] = None
    with connection.cursor() as cursor:
        for lang, lang_changes in changes.items():
            if lang_changes:
                _apply(cursor, lang, lang_changes)
        _touch(cursor, [doc.lang for doc in docs])


class BulkIndex:
    """Builds the whole index in memory, for an index that was just cleared."""

    def __init__(self):
        self.postings = {lang: {} for lang in LANGUAGES}
        self.lengths = {}
        self.last_pk = None
        self.ordered = True

    def add(self, docs):
        for doc in docs:
            pk = doc.pk
            if self.last_pk is not None and pk < self.last_pk:
                self.ordered = False
            self.last_pk = pk
            length, postings = document_postings(doc)
            self.lengths[pk] = length
            lists = self.postings[doc.lang]
            for key, freq in postings.items():
                entry = lists.get(key)
                if entry is None:
                    entry = lists[key] = (array("i"), array("f"))
                entry[0].append(pk)
                entry[1].append(freq)
        with connection.cursor() as cursor:
            _set_lengths(cursor, self.lengths)
        self.lengths = {}

    def write(self, batch=2000):
        rows = []
        with connection.cursor() as cursor:
            for lang, lists in self.postings.items():
                for key, (docs, freqs) in lists.items():
                    docs = np.frombuffer(docs, dtype=np.int32).astype(_DOCS)
                    freqs = np.frombuffer(freqs, dtype=np.float32).astype(_FREQS)
                    if not self.ordered:
                        order = np.argsort(docs, kind="stable")
                        docs, freqs = docs[order], freqs[order]
                    first, last = (
                        int(docs[0]) // BLOCK_SIZE,
                        int(docs[-1]) // BLOCK_SIZE,
                    )
                    if first == last:
                        rows.append((lang, key, first, *_encode(docs, freqs)))
                    else:
                        cuts = np.searchsorted(
                            docs, np.arange(first + 1, last + 1) * BLOCK_SIZE
                        )
                        bounds = [0, *cuts.tolist(), len(docs)]
                        for start, end in pairwise(bounds):
                            if start < end:
                                block = int(docs[start]) // BLOCK_SIZE
                                rows.append(
                                    (
                                        lang,
                                        key,
                                        block,
                                        *_encode(docs[start:end], freqs[start:end]),
                                    )
                                )
                    if len(rows) >= batch:
                        self._insert(cursor, rows)
                        rows = []
                lists.clear()
            self._insert(cursor, rows)
            _touch(cursor, LANGUAGES)

    @staticmethod
    def _insert(cursor, rows):
        if rows:
            cursor.executemany(
                "INSERT INTO search_posting (lang, term, block, docs, freqs)"
                " VALUES (%s, %s, %s, %s, %s)",
                rows,
            )


def clear():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_posting")
        _touch(cursor, LANGUAGES)


def optimize():
    if _vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")


# --- Searching -----------------------------------------------------------------


def _query_keys(plan):
    """[(posting keys that must all match, selects documents)] for a plan.

    A single stem or an adjacent pair is one posting list; a longer synonym
    phrase needs each of its adjacent pairs.
    """
    terms = []
    for alt in plan.alternatives():
        if len(alt) <= 2:
            keys = (" ".join(alt),)
        else:
            keys = tuple(f"{a} {b}" for a, b in pairwise(alt))
        terms.append((keys, alt not in plan.common))
    terms += [((term,), True) for term in plan.prefix_terms]
    terms += [((" ".join(phrase),), True) for phrase in plan.phrases]
    return list(dict.fromkeys(terms))


def _fetch(cursor, lang, keys):
    """{key: (docs, freqs)} with the blocks of each key joined in order."""
    if not keys:
        return {}
    cursor.execute(
        "SELECT term, block, docs, freqs FROM search_posting"
        f" WHERE lang = %s AND term IN ({', '.join(['%s'] * len(keys))})"
        " ORDER BY term, block",
        [lang, *keys],
    )
    parts = defaultdict(list)
    for term, _block, docs, freqs in cursor.fetchall():
        parts[term].append(_decode(docs, freqs))
    out = {}
    for term, blocks in parts.items():
        if len(blocks) == 1:
            out[term] = blocks[0]
        else:
            out[term] = (
                np.concatenate([d for d, _f in blocks]),
                np.concatenate([f for _d, f in blocks]),
            )
    return out


def _term_postings(keys, lists):
    """(docs, freqs) of a query term: a list, or the documents having all pairs."""
    docs, freqs = lists.get(keys[0], _EMPTY)
    for key in keys[1:]:
        other_docs, other_freqs = lists.get(key, _EMPTY)
        docs, mine, theirs = np.intersect1d(
            docs, other_docs, assume_unique=True, return_indices=True
        )
        freqs = np.minimum(freqs[mine], other_freqs[theirs])
    return docs, freqs


def _match(plan, kinds, filters):
    """(document table, positions, scores) of the matching documents.

    Positions index the document table (document id - table.base); scores are
    BM25 before the document boost.
    """
    terms = _query_keys(plan)
    keys = sorted({key for term_keys, _selects in terms for key in term_keys})
    with _read_cursor() as cursor:
        table = _doc_table(cursor, plan.lang)
        lists = _fetch(cursor, plan.lang, keys)
    size = len(table.present)
    scores = np.zeros(size, dtype=np.float64)
    selected = np.zeros(size, dtype=bool)
    any_selective = any(selects for _keys, selects in terms)
    count = max(table.count, 1)
    # Words that select documents first: the very common ones then only need
    # scoring in the documents already selected, a small part of their lists.
    for term_keys, selects in sorted(terms, key=lambda term: not term[1]):
        docs, freqs = _term_postings(term_keys, lists)
        if not len(docs):
            continue
        positions = docs - table.base
        # Lists may name documents newer than this process's table.
        if positions[0] < 0 or positions[-1] >= size:
            inside = (positions >= 0) & (positions < size)
            positions, freqs = positions[inside], freqs[inside]
        known = table.present[positions]
        if not known.all():
            positions, freqs = positions[known], freqs[known]
        if not len(positions):
            continue
        df = len(positions)
        # BM25's idf as in SQLite FTS5: very common terms still count a little.
        idf = max(1e-6, math.log((count - df + 0.5) / (df + 0.5)))
        if any_selective and not selects:
            keep = selected[positions]
            positions, freqs = positions[keep], freqs[keep]
        freqs = freqs.astype(np.float64)
        scores[positions] += idf * freqs * (K1 + 1) / (freqs + table.norm[positions])
        if selects or not any_selective:
            selected[positions] = True
    positions = np.flatnonzero(selected)
    if kinds and len(positions):
        codes = [KIND_CODES[k] for k in kinds if k in KIND_CODES]
        positions = positions[np.isin(table.kind[positions], codes)]
    filters = filters or {}
    if filters.get("solved") is not None and len(positions):
        wanted = int(bool(filters["solved"]))
        positions = positions[table.solved[positions] == wanted]
    if filters.get("category") and len(positions):
        try:
            code = table.categories.index(filters["category"])
        except ValueError:
            positions = positions[:0]
        else:
            positions = positions[table.category[positions] == code]
    return table, positions, scores[positions]


def search(plan, *, kinds=None, filters=None, limit=10, offset=0):
    """[(SearchDocument pk, score)] best first, for one language's plan."""
    if plan.empty:
        return []
    table, positions, scores = _match(plan, kinds, filters)
    if not len(positions):
        return []
    final = scores * table.boost[positions]
    wanted = limit + offset
    if len(positions) > wanted:
        best = np.argpartition(-final, wanted - 1)[:wanted]
        positions, final = positions[best], final[best]
    ranked = sorted(
        zip((positions + table.base).tolist(), final.tolist(), strict=True),
        key=lambda item: (-item[1], item[0]),
    )
    return ranked[offset : offset + limit]


def facet_counts(plan, *, kinds=None, filters=None):
    """{"total", "kind": {…}, "category": {…}, "solved": {…}} over all matches."""
    out = {"total": 0, "kind": {}, "category": {}, "solved": {}}
    if plan.empty:
        return out
    table, positions, _scores = _match(plan, kinds, filters)
    out["total"] = len(positions)
    names = {code: kind for kind, code in KIND_CODES.items()}
    for code, n in Counter(table.kind[positions].tolist()).items():
        if code in names:
            out["kind"][names[code]] = n
    for code, n in Counter(table.category[positions].tolist()).items():
        if table.categories[code]:
            out["category"][table.categories[code]] = n
    for code, n in Counter(table.solved[positions].tolist()).items():
        if code >= 0:
            out["solved"]["yes" if code else "no"] = n
    return out
