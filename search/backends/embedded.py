"""The default backend: full-text search inside the project database.

Documents and queries go through the same Python analysis (search.analysis);
the database only stores the resulting terms and ranks them: SQLite with FTS5
and BM25, PostgreSQL with a tsvector ('simple' configuration, since the terms
are already stemmed) and ts_rank. Field weights: title > summary/symptoms/tags
(or a topic's question and solution) > body (or replies).
"""

import sqlite3
import threading
from contextlib import contextmanager

from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper

from search.analysis import analyze

NAME = "embedded"
# BM25 column weights for (title, keywords, body).
FTS_WEIGHTS = (5.0, 2.0, 1.0)
# ts_rank weights in PostgreSQL order {D, C, B, A}: body=C, keywords=B, title=A.
PG_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"


def document_fields(doc):
    """(title, keywords, body) analysed term strings for one SearchDocument."""
    lang = doc.lang
    if doc.kind == "topic":
        keywords = " ".join([doc.summary, doc.symptoms, doc.category])
    else:
        keywords = " ".join([doc.summary, doc.symptoms, doc.tags, doc.category])
    return (
        " ".join(analyze(doc.title, lang)),
        " ".join(analyze(keywords, lang)),
        " ".join(analyze(doc.body, lang)),
    )


def meta_tokens(doc):
    """Index tokens for the SQLite filters (language, kind, solved)."""
    tokens = [f"zzl{doc.lang}", f"zzk{doc.kind}"]
    if doc.solved:
        tokens.append("zzsolved")
    return " ".join(tokens)


def _vendor():
    return connection.vendor


# --- SQLite read connections -------------------------------------------------
#
# Django opens a new database connection for each request (CONN_MAX_AGE=0, or
# a new thread per request), and SQLite parses the whole schema (every table
# of every app, ~2 ms of CPU) on the first statement of each connection: more
# than the rest of a search outside the full-text query. Searches on a SQLite
# file therefore read through a few long-lived connections shared by the
# process. They run in autocommit, so each statement sees the latest commit.

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
    """{key: SearchDocument with ``fields`` loaded} for pks or doc_ids."""
    from search.models import SearchDocument

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
    solved = columns.index("solved") if "solved" in columns else None
    out = {}
    for values in rows:
        if solved is not None and values[solved] is not None:
            values = list(values)
            values[solved] = bool(values[solved])
        doc = SearchDocument.from_db(connection.alias, columns, values)
        out[getattr(doc, field_name)] = doc
    return out


def index_rows(docs):
    """(Re)write the full-text rows of ``docs`` (SearchDocument instances)."""
    if not docs:
        return
    pks = [(doc.pk,) for doc in docs]
    with connection.cursor() as cursor:
        if _vendor() == "postgresql":
            cursor.executemany("DELETE FROM search_pg_index WHERE doc_id = %s", pks)
            cursor.executemany(
                "INSERT INTO search_pg_index (doc_id, vector) VALUES (%s,"
                " setweight(to_tsvector('simple', %s), 'A')"
                " || setweight(to_tsvector('simple', %s), 'B')"
                " || setweight(to_tsvector('simple', %s), 'C'))",
                [(doc.pk, *document_fields(doc)) for doc in docs],
            )
        else:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", pks)
            cursor.executemany(
                "INSERT INTO search_fts (rowid, meta, lang, kind, boost, solved,"
                " category, title, keywords, body)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        doc.pk,
                        meta_tokens(doc),
                        doc.lang,
                        doc.kind,
                        doc.boost,
                        doc.solved,
                        doc.category,
                        *document_fields(doc),
                    )
                    for doc in docs
                ],
            )


def delete_rows(pks):
    if not pks:
        return
    table, column = (
        ("search_pg_index", "doc_id")
        if _vendor() == "postgresql"
        else ("search_fts", "rowid")
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {table} WHERE {column} = %s", [(pk,) for pk in pks]
        )


def clear():
    with connection.cursor() as cursor:
        if _vendor() == "postgresql":
            cursor.execute("DELETE FROM search_pg_index")
        else:
            cursor.execute("DELETE FROM search_fts")


def count_rows():
    table = "search_pg_index" if _vendor() == "postgresql" else "search_fts"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def optimize():
    if _vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")


# SQLite ranks by BM25 inside the index, then applies the document boost to
# this many candidates per requested result.
CANDIDATES_PER_RESULT = 4
MIN_CANDIDATES = 40


def _fts_terms(plan):
    parts = []
    for alt in plan.alternatives():
        parts.append('"' + " ".join(alt) + '"')
    for term in plan.prefix_terms:
        parts.append(f'"{term}"')
    for phrase in plan.phrases:
        parts.append('"' + " ".join(phrase) + '"')
    return " OR ".join(dict.fromkeys(parts))


def _fts_selective(plan):
    """The terms without the very common words, or None when nothing is left."""
    if not plan.common:
        return None
    parts = [
        '"' + " ".join(alt) + '"'
        for alt in plan.alternatives()
        if alt not in plan.common
    ]
    parts += [f'"{term}"' for term in plan.prefix_terms]
    if not parts:
        return None
    parts += ['"' + " ".join(phrase) + '"' for phrase in plan.phrases]
    return " OR ".join(dict.fromkeys(parts)) or None


def _fts_expression(plan, kinds=None, filters=None):
    """FTS5 query: the terms, restricted by meta tokens (language, kind, solved)."""
    expression = f"meta : zzl{plan.lang} AND ({_fts_terms(plan)})"
    selective = _fts_selective(plan)
    if selective:
        # Only documents with a rarer word (or a phrase) are scored: BM25 runs
        # per matching row, and a very common word matches most of the index.
        # Every term still counts in the score of those documents.
        expression += f" AND ({selective})"
    if kinds:
        expression += " AND meta : (" + " OR ".join(f"zzk{k}" for k in kinds) + ")"
    solved = (filters or {}).get("solved")
    if solved is True:
        expression += " AND meta : zzsolved"
    elif solved is False:
        expression += " NOT meta : zzsolved"
    return expression


def _tsquery_expression(plan):
    def quote(alt):
        quoted = [f"'{t}'" for t in alt]
        return quoted[0] if len(quoted) == 1 else "(" + " <-> ".join(quoted) + ")"

    terms = [quote(alt) for alt in plan.alternatives()]
    prefixes = [f"'{term}'" for term in plan.prefix_terms]
    phrases = [quote(phrase) for phrase in plan.phrases]
    expression = " | ".join(dict.fromkeys(terms + prefixes + phrases))
    if plan.common:
        # The same selection as on SQLite (see _fts_selective).
        rare = [quote(alt) for alt in plan.alternatives() if alt not in plan.common]
        if rare + prefixes:
            selective = " | ".join(dict.fromkeys(rare + prefixes + phrases))
            expression = f"({expression}) & ({selective})"
    return expression


def _pg_filters(lang, kinds, filters):
    where = ["d.lang = %s"]
    params = [lang]
    if kinds:
        where.append("d.kind IN (" + ", ".join(["%s"] * len(kinds)) + ")")
        params.extend(kinds)
    filters = filters or {}
    if filters.get("category"):
        where.append("d.category = %s")
        params.append(filters["category"])
    if filters.get("solved") is not None:
        where.append("d.solved = %s")
        params.append(bool(filters["solved"]))
    return " AND ".join(where), params


# bm25 weights for (meta, lang, kind, boost, solved, category, title, keywords, body).
def _bm25():
    weights = ", ".join(str(w) for w in (0, 0, 0, 0, 0, 0, *FTS_WEIGHTS))
    return f"bm25(search_fts, {weights})"


def search(plan, *, kinds=None, filters=None, limit=10, offset=0):
    """[(SearchDocument pk, score)] best first, for one language's plan."""
    if plan.empty:
        return []
    if _vendor() == "postgresql":
        return _search_postgresql(plan, kinds, filters, limit, offset)
    return _search_sqlite(plan, kinds, filters, limit, offset)


def _search_postgresql(plan, kinds, filters, limit, offset):
    where, params = _pg_filters(plan.lang, kinds, filters)
    sql = (
        f"SELECT d.id, ts_rank('{PG_WEIGHTS}', p.vector, q, 1) * d.boost AS score"
        " FROM search_pg_index p JOIN search_searchdocument d ON d.id = p.doc_id,"
        " to_tsquery('simple', %s) q"
        f" WHERE p.vector @@ q AND {where}"
        " ORDER BY score DESC, d.id LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_tsquery_expression(plan), *params, limit, offset])
        return [(pk, float(value)) for pk, value in cursor.fetchall()]


def _search_sqlite(plan, kinds, filters, limit, offset):
    category = (filters or {}).get("category")
    depth = max(MIN_CANDIDATES, (limit + offset) * CANDIDATES_PER_RESULT)
    # Only rowid and score go through the sort: reading a stored column such as
    # boost here would load the content row of every matching document.
    sql = f"SELECT rowid, {_bm25()} AS bm25_score FROM search_fts"
    sql += " WHERE search_fts MATCH %s"
    params = [_fts_expression(plan, kinds, filters)]
    if category:
        sql += " AND category = %s"
        params.append(category)
    sql += " ORDER BY bm25_score LIMIT %s"
    params.append(depth)
    with _read_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        boosts = {}
        if rows:
            cursor.execute(
                "SELECT id, boost FROM search_searchdocument WHERE id IN ("
                + ", ".join(["%s"] * len(rows))
                + ")",
                [pk for pk, _score in rows],
            )
            boosts = dict(cursor.fetchall())
    ranked = sorted(
        ((pk, -float(score) * float(boosts.get(pk) or 1.0)) for pk, score in rows),
        key=lambda item: (-item[1], item[0]),
    )
    return ranked[offset : offset + limit]


def facet_counts(plan, *, kinds=None, filters=None):
    """{"total", "kind": {…}, "category": {…}, "solved": {…}} over all matches."""
    out = {"total": 0, "kind": {}, "category": {}, "solved": {}}
    if plan.empty:
        return out
    if _vendor() == "postgresql":
        where, params = _pg_filters(plan.lang, kinds, filters)
        sql = (
            "SELECT d.kind, d.category, d.solved, count(*) FROM search_pg_index p"
            " JOIN search_searchdocument d ON d.id = p.doc_id,"
            " to_tsquery('simple', %s) q"
            f" WHERE p.vector @@ q AND {where} GROUP BY d.kind, d.category, d.solved"
        )
        params = [_tsquery_expression(plan), *params]
    else:
        sql = (
            "SELECT kind, category, solved, count(*) FROM search_fts"
            " WHERE search_fts MATCH %s"
        )
        params = [_fts_expression(plan, kinds, filters)]
        if (filters or {}).get("category"):
            sql += " AND category = %s"
            params.append(filters["category"])
        sql += " GROUP BY kind, category, solved"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, category, solved, n in cursor.fetchall():
            out["total"] += n
            out["kind"][kind] = out["kind"].get(kind, 0) + n
            if category:
                out["category"][category] = out["category"].get(category, 0) + n
            if kind == "topic" and solved is not None:
                key = "yes" if solved else "no"
                out["solved"][key] = out["solved"].get(key, 0) + n
    return out
