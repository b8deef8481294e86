"""Writes and reads of the documents' sentence embeddings (``DocumentVector``).

Written when a document is indexed (publish, edit, import, rebuild: every
path goes through ``search.services``); read as one matrix per language for
matching, rebuilt when the language's index state changes. Documents without
vectors of the current models (indexed while the models could not load, or
after a model change) get them a few at a time as matrices are read
(``INLINE_EMBED``), or all at once with ``manage.py search_index vectors``.
"""

import threading
from dataclasses import dataclass

import numpy as np

from search import embeddings
from search.backends.embedded import state_token
from search.models import DocumentVector, SearchDocument

_lock = threading.Lock()
_cache: dict[str, "VectorMatrix"] = {}
# Documents without vectors of the current models (after a model change, or
# indexed while the models were away) are embedded when a matrix is read, a
# few at a time: a post waits a few seconds, never the minutes a whole
# knowledge base takes (a worker timeout would then kill every attempt); the
# matrix is read again, with the next few, on the next post.
# `manage.py search_index vectors` embeds them all at once.
INLINE_EMBED = 8


@dataclass
class VectorMatrix:
    key: tuple
    doc_ids: list[str]
    # The passages of ``doc_ids[i]`` are the rows from ``starts[i]`` on.
    starts: np.ndarray
    matrix: np.ndarray

    def cosines(self, query: np.ndarray) -> np.ndarray:
        """Cosine similarity of each document's best passage to ``query``
        (a matching vector), one row per model: USE's, then e5's."""
        if not self.doc_ids:
            return np.zeros((2, 0), dtype=np.float32)
        use = self.matrix[:, : embeddings.DIM] @ query[: embeddings.DIM]
        e5 = self.matrix[:, embeddings.DIM :] @ query[embeddings.DIM :]
        return np.vstack(
            [
                np.maximum.reduceat(use, self.starts),
                np.maximum.reduceat(e5, self.starts),
            ]
        )


def _passages(row: SearchDocument) -> list[str]:
    # Articles: summary and symptoms; topics: question and solution.
    about = " ".join(p for p in (row.summary, row.symptoms) if p)
    return embeddings.passages(title=row.title, summary=about, body=row.body)


def document_vectors_update(
    *, rows: list[SearchDocument], known: dict[str, bytes] | None = None
) -> int:
    """Embed and store the passages of ``rows`` whose text changed; returns
    how many were embedded (0 when the model is unavailable). ``known``:
    stored vectors by fingerprint (``document_vectors_known``), reused
    instead of embedding the same text again."""
    if not rows or not embeddings.available():
        return 0
    known = known or {}
    texts = {row.pk: _passages(row) for row in rows}
    prints = {pk: embeddings.fingerprint(t) for pk, t in texts.items()}
    current = dict(
        DocumentVector.objects.filter(document_id__in=list(texts)).values_list(
            "document_id", "fingerprint"
        )
    )
    changed = [pk for pk in texts if current.get(pk) != prints[pk]]
    if not changed:
        return 0
    todo = [pk for pk in changed if prints[pk] not in known]
    flat = [text for pk in todo for text in texts[pk]]
    matrix = embeddings.embed_for_matching(flat, role="passage")
    if matrix is None:
        return 0
    vectors = {prints[pk]: known[prints[pk]] for pk in changed if pk not in todo}
    start = 0
    for pk in todo:
        count = len(texts[pk])
        vectors[prints[pk]] = embeddings.to_bytes(matrix[start : start + count])
        start += count
    DocumentVector.objects.filter(document_id__in=changed).delete()
    DocumentVector.objects.bulk_create(
        DocumentVector(
            document_id=pk,
            model=embeddings.MODEL_NAME,
            fingerprint=prints[pk],
            vectors=vectors[prints[pk]],
        )
        for pk in changed
    )
    return len(todo)


def document_vectors_known() -> dict[str, bytes]:
    """Every stored vector block of the current models, by fingerprint: a
    rebuild deletes the documents, and embedding a knowledge base again costs
    about half a second an article."""
    return dict(
        DocumentVector.objects.filter(model=embeddings.MODEL_NAME).values_list(
            "fingerprint", "vectors"
        )
    )


def documents_without_vectors(lang: str | None = None):
    """Indexed articles and solved topics lacking the current models' vectors."""
    rows = SearchDocument.objects.exclude(kind="topic", solved=False)
    if lang is not None:
        rows = rows.filter(lang=lang)
    return (
        rows.exclude(documentvector__model=embeddings.MODEL_NAME)
        .only("id", "title", "summary", "symptoms", "body")
        .order_by("pk")
    )


def document_vectors_fill(*, batch: int = 50, progress=None) -> int:
    """Embed every document lacking vectors, ``batch`` at a time (each batch
    saved before the next); returns how many were embedded."""
    done = 0
    while True:
        rows = list(documents_without_vectors()[:batch])
        embedded = document_vectors_update(rows=rows)
        if not embedded:
            return done
        done += embedded
        if progress:
            progress(embedded)


def vector_matrix(lang: str) -> VectorMatrix | None:
    """The passages of ``lang``'s articles and solved topics, or None without
    a model."""
    if not embeddings.available():
        return None
    # Any index write (a topic solved too) sets a new token: one key lookup
    # per post instead of counting the index.
    key = (lang, state_token(lang), embeddings.MODEL_NAME)
    with _lock:
        cached = _cache.get(lang)
        if cached is not None and cached.key == key:
            return cached
        # Built on a miss only: making the queryset costs more than the key.
        rows = SearchDocument.objects.filter(lang=lang).exclude(
            kind="topic", solved=False
        )
        missing = list(documents_without_vectors(lang)[: INLINE_EMBED + 1])
        if missing:
            document_vectors_update(rows=missing[:INLINE_EMBED])
        doc_ids, starts, blocks = [], [], []
        rows_seen = 0
        vectors = DocumentVector.objects.filter(
            document__in=rows, model=embeddings.MODEL_NAME
        ).values_list("document__doc_id", "vectors")
        for doc_id, data in vectors.iterator(chunk_size=500):
            block = embeddings.from_bytes(data)
            if not len(block):
                continue
            starts.append(rows_seen)
            rows_seen += len(block)
            doc_ids.append(doc_id)
            blocks.append(block)
        matrix = (
            np.vstack(blocks)
            if blocks
            else np.zeros((0, embeddings.MATCH_DIM), dtype=np.float32)
        )
        # Still some missing: read again (and embed the next few) next time.
        complete = len(missing) <= INLINE_EMBED
        cached = VectorMatrix(
            key if complete else None,
            doc_ids,
            np.asarray(starts, dtype=np.int64),
            matrix,
        )
        _cache[lang] = cached
        return cached
