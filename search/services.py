"""Search for every app: query, index documents, report health.

``search()`` is the cross-app contract (see search/README.md). The embedded
backend (project database) is always written, so it can take over at once
when Elasticsearch is unreachable; Elasticsearch updates that fail are queued
in ``IndexUpdate`` and replayed by ``search_index retry``.
"""

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from elasticsearch import (
    ApiError,
    BadRequestError,
    SerializationError,
    TransportError,
)

from search import querylog
from search.analysis import LANGUAGES, normalize_lang, words
from search.backends import elastic, embedded
from search.highlight import snippet
from search.models import IndexState, IndexUpdate, QueryLog, SearchDocument
from search.query import MAX_QUERY_LENGTH, build_plan, suggestion_text
from search.results import QueryPlan, SearchHit, SearchResponse
from search.vectors import document_vectors_known, document_vectors_update
from search.vocabulary import (
    completions,
    document_words,
    vocabulary_apply,
    vocabulary_rebuild,
)

__all__ = [
    "SearchHit",
    "SearchResponse",
    "backend_health",
    "document_delete",
    "document_upsert",
    "search",
]

logger = logging.getLogger(__name__)

KINDS = ("article", "topic")
# After Elasticsearch fails, leave it alone this long before trying again, so
# that each request does not wait for a connection timeout.
_ES_PAUSE_KEY = "search:es-paused"
ES_PAUSE_SECONDS = 30


class SearchError(ValueError):
    """A query that cannot be run (empty, too long)."""


def elasticsearch_enabled() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def _pause_elasticsearch(exc: Exception) -> None:
    logger.warning("Elasticsearch unavailable, using the embedded backend: %s", exc)
    cache.set(_ES_PAUSE_KEY, True, ES_PAUSE_SECONDS)


# --- Query ---------------------------------------------------------------


def clean_query(query: str | None) -> str:
    """The stripped query, or SearchError with a message people can act on."""
    query = (query or "").strip()
    if not query or not words(query):
        raise SearchError("Type at least one word to search for.")
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchError(
            f"Your search is too long: keep it under {MAX_QUERY_LENGTH} characters."
        )
    return query


def _normalize_kinds(kinds: str | Iterable[str] | None) -> list[str] | None:
    if isinstance(kinds, str):
        kinds = [kinds]
    kinds = [k for k in (kinds or []) if k in KINDS]
    return kinds or None


def search(
    query: str | None,
    lang: str | None = None,
    kinds: str | Iterable[str] | None = None,
    filters: dict[str, Any] | None = None,
    limit: int = 10,
    *,
    offset: int = 0,
    facets: bool = False,
    prefix: bool = False,
    correct: bool = True,
) -> SearchResponse:
    """Ranked public articles and topics for ``query`` (see the contract).

    Lenient for programmatic callers: a query with no words returns no
    results, an overlong one (a tweet) is cut to its first words.
    """
    query = (query or "").strip()[: MAX_QUERY_LENGTH * 2]
    lang = normalize_lang(lang)
    kinds = _normalize_kinds(kinds)
    limit = max(1, min(int(limit), 100))
    langs = [lang] if lang else list(LANGUAGES)
    plans = [build_plan(query, code, prefix=prefix, correct=correct) for code in langs]
    response = SearchResponse(backend=embedded.NAME, query=query)
    if all(plan.empty for plan in plans):
        return response

    ranked = None
    if elasticsearch_enabled() and not cache.get(_ES_PAUSE_KEY):
        try:
            ranked = elastic.search(
                plans, kinds=kinds, filters=filters, limit=limit, offset=offset
            )
            response.backend = elastic.NAME
        except (BadRequestError, SerializationError):
            # Our query is malformed: a bug to fix, not an outage to hide.
            raise
        except (TransportError, ApiError) as exc:  # unreachable, timed out, 5xx
            _pause_elasticsearch(exc)
            response.degraded = True
    elif elasticsearch_enabled():
        response.degraded = True

    if ranked is None:
        ranked = []
        for plan in plans:
            ranked.extend(
                embedded.search(
                    plan, kinds=kinds, filters=filters, limit=limit + offset
                )
            )
        ranked.sort(key=lambda item: (-item[1], item[0]))
        ranked = ranked[offset : offset + limit]

    response.results = _hits(ranked, plans)
    # Across languages, a word known in either one is not a typo.
    unknown_everywhere = set.intersection(*(plan.unknown for plan in plans))
    corrections = {}
    for plan in plans:
        for word, fixed in plan.corrections.items():
            if word in unknown_everywhere:
                corrections.setdefault(word, fixed)
    response.suggestion = suggestion_text(query, corrections)
    if facets:
        response.facets = _facets(plans, kinds, filters)
        response.total = response.facets.pop("total")
    else:
        response.total = len(response.results)
    return response


# Skipping the other columns (tags, dates) saves their conversion per result.
_HIT_FIELDS = (
    "kind",
    "doc_id",
    "lang",
    "title",
    "url",
    "summary",
    "symptoms",
    "body",
    "source",
    "category",
    "solved",
)


def _hits(
    ranked: list[tuple[int | str, float]], plans: list[QueryPlan]
) -> list[SearchHit]:
    """SearchHits for [(SearchDocument pk or doc_id, score)], in that order."""
    if not ranked:
        return []
    keys = [key for key, _score in ranked]
    by_pk = isinstance(keys[0], int)
    rows = embedded.documents(keys, "id" if by_pk else "doc_id", _HIT_FIELDS)
    stems = {plan.lang: plan.highlight for plan in plans}
    hits = []
    for key, score in ranked:
        doc = rows.get(key)
        if doc is None:
            continue
        marks = stems.get(doc.lang, set())
        # Articles: summary, symptoms, body; topics: question, solution, replies.
        texts = [doc.summary, doc.symptoms, doc.body]
        hits.append(
            SearchHit(
                kind=doc.kind,
                id=doc.doc_id,
                title=doc.title,
                url=doc.url,
                snippet=partial(snippet, texts, doc.lang, marks),
                score=round(score, 4),
                source=doc.source,
                lang=doc.lang,
                category=doc.category,
                solved=doc.solved,
                summary=doc.summary if doc.kind == "article" else "",
            )
        )
    return hits


def _facets(
    plans: list[QueryPlan], kinds: list[str] | None, filters: dict[str, Any] | None
) -> dict[str, Any]:
    merged = {"total": 0, "kind": Counter(), "category": Counter(), "solved": Counter()}
    for plan in plans:
        counts = embedded.facet_counts(plan, kinds=kinds, filters=filters)
        merged["total"] += counts["total"]
        for name in ("kind", "category", "solved"):
            merged[name].update(counts[name])
    return {
        "total": merged["total"],
        **{
            name: dict(merged[name].most_common())
            for name in ("kind", "category", "solved")
        },
    }


def suggest(prefix: str, lang: str | None = None, limit: int = 8) -> dict[str, list]:
    """Completions of the word being typed, and the best matching titles."""
    typed = words(prefix)
    if not typed:
        return {"completions": [], "results": []}
    head = " ".join(typed[:-1])
    done = completions(typed[-1], normalize_lang(lang), limit)
    response = search(prefix, lang=lang, limit=5, prefix=True)
    return {
        "completions": [f"{head} {word}".strip() for word in done],
        "results": response.results,
    }


def query_log(
    *,
    query: str,
    lang: str | None,
    kinds: Iterable[str] | None,
    response: SearchResponse,
    interface: str,
    buffered: bool = False,
) -> QueryLog:
    """Record a search; ``buffered`` entries are written in the background."""
    entry = QueryLog(
        query=query[:200],
        normalized=" ".join(words(query))[:200],
        lang=lang or "",
        kinds=",".join(kinds or [])[:32],
        result_count=response.total,
        backend=response.backend,
        degraded=response.degraded,
        interface=interface,
    )
    if buffered:
        return querylog.record(entry)
    entry.save()
    return entry


def query_log_click(*, log_id: int, url: str, rank: int | None) -> None:
    QueryLog.objects.filter(pk=log_id, clicked_at__isnull=True).update(
        clicked_url=url[:500], clicked_rank=rank, clicked_at=timezone.now()
    )


# --- Indexing --------------------------------------------------------------

_TEXT_FIELDS = ("title", "summary", "symptoms", "body", "category", "url")


def _document_fields(doc: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    kind = doc.get("kind")
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    lang = normalize_lang(doc.get("lang"))
    if lang is None:
        raise ValueError(f"unsupported document language {doc.get('lang')!r}")
    doc_id = _doc_id(kind, doc.get("id"))
    tags = doc.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    if kind == "topic":
        summary = doc.get("question") or ""
        symptoms = doc.get("solution") or ""
        body = doc.get("replies") or ""
    else:
        summary = doc.get("summary") or ""
        symptoms = doc.get("symptoms") or ""
        body = doc.get("body") or ""
    helpfulness = doc.get("helpfulness")
    solved = bool(doc.get("solved")) if kind == "topic" else None
    return doc_id, {
        "kind": kind,
        "lang": lang,
        "title": (doc.get("title") or "")[:500],
        "summary": summary,
        "symptoms": symptoms,
        "body": body,
        "tags": ", ".join(str(t) for t in tags),
        "category": (doc.get("category") or "")[:255],
        "url": (doc.get("url") or "")[:500],
        "source": doc.get("source") or None,
        "solved": solved,
        "helpfulness": helpfulness,
        "boost": document_boost(kind, helpfulness, solved),
        "updated_at": doc.get("updated_at") or timezone.now(),
    }


def _doc_id(kind: str, value: object) -> str:
    value = str(value)
    return value if value.startswith(f"{kind}:") else f"{kind}:{value}"


def document_boost(kind: str, helpfulness: float | None, solved: bool) -> float:
    """Solved topics and articles people found helpful come first."""
    if kind == "topic":
        return 1.25 if solved else 1.0
    if helpfulness is None:
        return 1.1
    return 1.1 + 0.4 * (max(0.0, min(1.0, float(helpfulness))) - 0.5)


@transaction.atomic
def document_upsert(doc: dict[str, Any]) -> SearchDocument:
    """Index (or re-index) one document dict from a document provider."""
    doc_id, fields = _document_fields(doc)
    existing = SearchDocument.objects.filter(doc_id=doc_id).first()
    old_words = document_words(existing) if existing else set()
    old_lang = existing.lang if existing else fields["lang"]
    previous = {}
    if existing:
        previous[existing.pk] = embedded.document_keys(existing)
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
        row = existing
    else:
        row = SearchDocument.objects.create(doc_id=doc_id, **fields)
    embedded.index_rows([row], previous=previous)
    document_vectors_update(rows=[row])
    new_words = document_words(row)
    if old_lang != row.lang:
        vocabulary_apply(old_lang, set(), old_words)
        vocabulary_apply(row.lang, new_words, set())
    else:
        vocabulary_apply(row.lang, new_words, old_words)
    _elastic_update(doc_id, IndexUpdate.ACTION_UPSERT)
    return row


@transaction.atomic
def document_delete(*, kind: str, id: object) -> bool:  # the contract names it ``id``
    """Remove a document from every index; unknown ids are ignored."""
    doc_id = _doc_id(kind, id)
    existing = SearchDocument.objects.filter(doc_id=doc_id).first()
    if existing is None:
        return False
    vocabulary_apply(existing.lang, set(), document_words(existing))
    embedded.delete_rows([existing])
    existing.delete()
    _elastic_update(doc_id, IndexUpdate.ACTION_DELETE)
    return True


def _elastic_update(doc_id: str, action: str) -> None:
    if not elasticsearch_enabled():
        return
    # Keep the order of updates: once one is queued, the next ones queue too.
    if not cache.get(_ES_PAUSE_KEY) and not IndexUpdate.objects.exists():
        try:
            _elastic_apply([doc_id])
            return
        except Exception as exc:  # unreachable or rejected: queue, never lose
            _pause_elasticsearch(exc)
            error = f"{type(exc).__name__}: {exc}"[:1000]
    else:
        error = "queued behind earlier updates"
    IndexUpdate.objects.create(doc_id=doc_id, action=action, last_error=error)


def _elastic_apply(doc_ids: list[str]) -> None:
    """Make Elasticsearch match the database for ``doc_ids``."""
    rows = SearchDocument.objects.in_bulk(doc_ids, field_name="doc_id")
    present = [rows[d] for d in doc_ids if d in rows]
    missing = [d for d in doc_ids if d not in rows]
    if present:
        elastic.index_documents(present)
    if missing:
        elastic.delete_documents(missing)


def index_updates_retry(*, batch: int = 500) -> tuple[int, int]:
    """Replay queued Elasticsearch updates; returns (applied, still queued)."""
    if not elasticsearch_enabled():
        return 0, IndexUpdate.objects.count()
    applied = 0
    while True:
        pending = list(IndexUpdate.objects.all()[:batch])
        if not pending:
            break
        doc_ids = list(dict.fromkeys(u.doc_id for u in pending))
        try:
            _elastic_apply(doc_ids)
        except Exception as exc:
            IndexUpdate.objects.filter(pk__in=[u.pk for u in pending]).update(
                last_error=f"{type(exc).__name__}: {exc}"[:1000]
            )
            for update in pending:
                update.attempts += 1
            IndexUpdate.objects.bulk_update(pending, ["attempts"])
            _pause_elasticsearch(exc)
            break
        IndexUpdate.objects.filter(pk__in=[u.pk for u in pending]).delete()
        applied += len(pending)
    if applied:
        cache.delete(_ES_PAUSE_KEY)
    return applied, IndexUpdate.objects.count()


def documents_replace(
    docs: Iterable[dict[str, Any]],
    progress: Callable[[int], object] | None = None,
    batch: int = 500,
) -> int:
    """Replace the whole embedded index with ``docs`` (an iterable of dicts).

    Returns the number of documents indexed. ``progress`` is called with the
    number of documents done after each batch.
    """
    vocab = {lang: Counter() for lang in LANGUAGES}
    count = 0
    with transaction.atomic():
        known = document_vectors_known()
        embedded.clear()
        SearchDocument.objects.all().delete()
        index = embedded.BulkIndex()
        buffer = []
        for doc in docs:
            buffer.append(doc)
            if len(buffer) >= batch:
                count += _bulk_insert(buffer, vocab, index, known)
                if progress:
                    progress(len(buffer))
                buffer = []
        if buffer:
            count += _bulk_insert(buffer, vocab, index, known)
            if progress:
                progress(len(buffer))
        index.write()
        vocabulary_rebuild(vocab)
    embedded.optimize()
    return count


# Set by migration 0005 on databases whose documents predate the posting lists.
REBUILD_PENDING = "rebuild-pending"


def embedded_rebuild_pending(*, batch: int = 500) -> int:
    """Build the posting lists of stored documents when a migration asked for it.

    Runs on ``post_migrate`` (search/apps.py); does nothing, in one query,
    on every other database. Returns the number of documents indexed.
    """
    if not IndexState.objects.filter(token=REBUILD_PENDING).exists():
        return 0
    count = 0
    with transaction.atomic():
        embedded.clear()
        index = embedded.BulkIndex()
        rows = []
        for row in SearchDocument.objects.order_by("pk").iterator(chunk_size=batch):
            rows.append(row)
            if len(rows) >= batch:
                index.add(rows)
                count += len(rows)
                rows = []
        index.add(rows)
        count += len(rows)
        index.write()  # gives every language a fresh token
    logger.warning("search: built the posting lists of %d stored documents", count)
    return count


def _bulk_insert(
    docs: list[dict[str, Any]],
    vocab: dict[str, Counter],
    index: embedded.BulkIndex,
    known: dict[str, bytes],
) -> int:
    rows = {}
    for doc in docs:
        doc_id, fields = _document_fields(doc)
        rows[doc_id] = SearchDocument(doc_id=doc_id, **fields)
    created = SearchDocument.objects.bulk_create(list(rows.values()))
    if created and created[0].pk is None:
        # Backends that do not return primary keys from bulk inserts.
        created = list(SearchDocument.objects.filter(doc_id__in=list(rows)))
    index.add(sorted(created, key=lambda row: row.pk))
    document_vectors_update(rows=created, known=known)
    for row in created:
        vocab[row.lang].update(document_words(row))
    return len(created)


# --- Health ----------------------------------------------------------------


def backend_health() -> dict[str, Any]:
    """{"ok", "backend", "documents", …} for /healthz and `search_index status`."""
    info = {
        "ok": True,
        "backend": embedded.NAME,
        "documents": SearchDocument.objects.count(),
    }
    if elasticsearch_enabled():
        info["queued_updates"] = IndexUpdate.objects.count()
        try:
            info["elasticsearch"] = elastic.health()
            info["backend"] = elastic.NAME
        except Exception as exc:
            # Searches still work through the embedded backend.
            info["backend"] = embedded.NAME
            info["degraded"] = True
            info["elasticsearch"] = {"ok": False, "error": f"{type(exc).__name__}"}
    return info
