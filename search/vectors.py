"""Writes and reads of the documents' sentence embeddings (``DocumentVector``).

Written when a document is indexed (publish, edit, import, rebuild: every
path goes through ``search.services``); read as one matrix per language for
matching, rebuilt when the language's index state changes. Documents indexed
while the model could not load get their vectors the next time the matrix is
read with the model back.
"""

import threading
from dataclasses import dataclass

import numpy as np

from search import embeddings
from search.backends.embedded import state_token
from search.models import DocumentVector, SearchDocument

_lock = threading.Lock()
_cache: dict[str, "VectorMatrix"] = {}


@dataclass
class VectorMatrix:
    key: tuple
    doc_ids: list[str]
    # The passages of ``doc_ids[i]`` are the rows from ``starts[i]`` on.
    starts: np.ndarray
    matrix: np.ndarray

    def scores(self, query: np.ndarray) -> dict[str, float]:
        """Cosine similarity of each document's best passage to ``query``."""
        if not self.doc_ids:
            return {}
        best = np.maximum.reduceat(self.matrix @ query, self.starts)
        return dict(zip(self.doc_ids, best.tolist(), strict=True))


def _passages(row: SearchDocument) -> list[str]:
    # Articles: summary and symptoms; topics: question and solution.
    about = " ".join(p for p in (row.summary, row.symptoms) if p)
    return embeddings.passages(title=row.title, summary=about, body=row.body)


def document_vectors_update(*, rows: list[SearchDocument]) -> int:
    """Embed and store the passages of ``rows`` whose text changed; returns
    how many were embedded (0 when the model is unavailable)."""
    if not rows or not embeddings.available():
        return 0
    texts = {row.pk: _passages(row) for row in rows}
    prints = {pk: embeddings.fingerprint(t) for pk, t in texts.items()}
    current = dict(
        DocumentVector.objects.filter(document_id__in=list(texts)).values_list(
            "document_id", "fingerprint"
        )
    )
    todo = [pk for pk in texts if current.get(pk) != prints[pk]]
    if not todo:
        return 0
    flat = [text for pk in todo for text in texts[pk]]
    matrix = embeddings.embed(flat)
    if matrix is None:
        return 0
    start = 0
    objects = []
    for pk in todo:
        count = len(texts[pk])
        objects.append(
            DocumentVector(
                document_id=pk,
                model=embeddings.MODEL_NAME,
                fingerprint=prints[pk],
                vectors=embeddings.to_bytes(matrix[start : start + count]),
            )
        )
        start += count
    DocumentVector.objects.filter(document_id__in=todo).delete()
    DocumentVector.objects.bulk_create(objects)
    return len(todo)


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
        missing = list(
            rows.exclude(
                documentvector__model=embeddings.MODEL_NAME,
            ).only("id", "title", "summary", "symptoms", "body")
        )
        if missing:
            document_vectors_update(rows=missing)
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
            else np.zeros((0, embeddings.DIM), dtype=np.float32)
        )
        cached = VectorMatrix(key, doc_ids, np.asarray(starts, dtype=np.int64), matrix)
        _cache[lang] = cached
        return cached
