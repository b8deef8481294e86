"""Matching a post to the article (or solved topic) that answers it.

Two legs, fused: the lexical search service (BM25 over our French/English
analysis) on the post's words without the words of conversation and without
spelling corrections, and the sentence embeddings of the post and of
every article's passages by two models (``search.vectors``). Each leg's
scores are normalised per post (lexical: share of the best score;
embeddings: each model's from the median article, 0, to the best one, 1,
then the two averaged) and averaged: words the post shares
with an article, and meaning, whatever the words. Then two cues that hold
for any help centre: the product the post addresses (the handle's spelling,
else its meaning, else the post's words), only when the knowledge base
really covers several products, and how much the site's own visitors
and community managers rely on an article (``popularity``). Nothing is read
from one data set: no length "prior", no keyword list.

When the embedding model cannot load, or SOCIAL_SEMANTIC_MATCHING is off,
the lexical leg alone ranks (``Match.semantic`` is False).
"""

import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings

from search import embeddings
from search.services import search
from search.vectors import vector_matrix
from social_redirect.triage.catalog import (
    documents,
    meant_sites,
    named_sites,
    site_documents,
    word_names_site,
)
from social_redirect.triage.popularity import popularity
from social_redirect.triage.text import (
    addressed_brand_words,
    clean_for_search,
    text_for_meaning,
)

logger = logging.getLogger(__name__)

POOL_SIZE = 40
MAX_CANDIDATES = 5
SEMANTIC_WEIGHT = 0.5
# A product the post addresses outweighs any difference of wording.
BRAND_BONUS = 1.0
POPULARITY_WEIGHT = 0.05


@dataclass
class Candidate:
    kind: str
    id: str
    title: str
    url: str
    source: str | None
    score: float
    lang: str = ""

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "score": round(self.score, 4),
        }


@dataclass
class Match:
    candidates: list[Candidate] = field(default_factory=list)
    # Scale-free figures for the confidence model (triage.confidence).
    features: dict = field(default_factory=dict)
    semantic: bool = False
    # The post's embedding, reused to read its intent.
    vector: np.ndarray | None = None


_MARK = re.compile(r"<mark>(.*?)</mark>", re.I | re.S)
_WORDS = re.compile(r"\w{3,}")


def _stems(text: str) -> set[str]:
    folded = "".join(
        c
        for c in unicodedata.normalize("NFKD", (text or "").lower())
        if not unicodedata.combining(c)
    )
    # Five letters meet "voyants"/"voyant" or "connexion"/"connecte" in both
    # languages without a stemmer per language.
    return {w[:5] for w in _WORDS.findall(folded)}


def _coverage(query: str, hit) -> float:
    """Share of the post's words the hit matched (title or highlighted)."""
    wanted = _stems(query)
    if not wanted or hit is None:
        return 0.0
    found = _stems(hit.title) | _stems(" ".join(_MARK.findall(hit.snippet or "")))
    # Long posts ramble: six matched words are as good as all of them.
    return min(1.0, len(wanted & found) / min(len(wanted), 6))


def semantic_enabled() -> bool:
    return bool(getattr(settings, "SOCIAL_SEMANTIC_MATCHING", True))


def _lexical(query: str, lang: str) -> list:
    if not query.strip():
        return []
    # No spelling corrections: a post's words the knowledge base lacks are
    # names, slang and hashtags, and a "correction" invents a topic ("#fail"
    # → "mail"). French dev hits@1 0.69 → 0.71, IBM 0.417 → 0.423.
    response = search(
        query,
        lang=lang,
        kinds=["article", "topic"],
        limit=POOL_SIZE,
        correct=False,
    )
    return [
        hit
        for hit in response.results
        # A topic only helps when someone solved it.
        if hit.kind == "article" or (hit.kind == "topic" and hit.solved)
    ]


def post_vector(text: str, lang: str) -> np.ndarray | None:
    """The post's matching vector (handles, URLs and hashtag marks out)."""
    matrix = post_vectors([(text, lang)])
    return None if matrix is None else matrix[0]


def post_vectors(posts: list[tuple[str, str]]) -> np.ndarray | None:
    """Matching vectors of ``(text, lang)`` posts, in one call."""
    return embeddings.embed_for_matching(
        [text_for_meaning(text) or text for text, _lang in posts], role="post"
    )


def _meaning(doc_ids: list[str], cosines: np.ndarray) -> tuple[dict, dict]:
    """The embedding leg: each model's cosines rescaled per post, from the
    median article (0) to its best one (1), then averaged, so that each model
    counts as much whatever the spread of its cosines (e5's sit in a narrow
    band, USE's in a wide one: averaged raw, USE alone would rank). Also the
    mean raw cosine of each document, the confidence model's figure."""
    low = np.median(cosines, axis=1, keepdims=True)
    high = cosines.max(axis=1, keepdims=True)
    rescaled = (cosines - low) / np.maximum(high - low, 1e-6)
    fused = rescaled.mean(axis=0).tolist()
    mean = cosines.mean(axis=0).tolist()
    return dict(zip(doc_ids, fused, strict=True)), dict(zip(doc_ids, mean, strict=True))


def _lead(order: list, scores: dict) -> float:
    """How far a leg's first is ahead of its second, on that leg's scale."""
    if not order:
        return 0.0
    second = scores.get(order[1], 0.0) if len(order) > 1 else 0.0
    return scores.get(order[0], 0.0) - second


def _rank_figure(ranking: list, doc_id: str) -> float:
    """1 for a leg's first, falling with its rank, 0 when the leg missed it."""
    try:
        return round(1.0 / (1 + ranking.index(doc_id)), 4)
    except ValueError:
        return 0.0


def addressed_documents(
    text: str, query: str, lang: str, catalog, *, semantic: bool
) -> set:
    """Ids of the documents of the product the post addresses, when the
    knowledge base covers several products (else empty)."""
    if not catalog.several_products:
        return set()
    brand = addressed_brand_words(text, ignore=settings.SOCIAL_OWN_HANDLES)
    if not any(word_names_site(w, catalog.sites) for w in brand):
        meant = meant_sites(brand, catalog, lang) if semantic else set()
        # "@MojangSupport … my minecraft realm": the post names the product.
        brand |= meant or named_sites(query, catalog)
    return site_documents(catalog, brand) if brand else set()


def match_candidates(
    text: str,
    lang: str,
    *,
    semantic: bool | None = None,
    vector: np.ndarray | None = None,
) -> Match:
    """Candidates for a post, best first, with the figures behind them.

    ``vector``: the post's embedding when the caller embedded a batch of
    posts at once (``post_vectors``), much cheaper per post than one by one.
    """
    query = clean_for_search(text, lang)
    hits = _lexical(query, lang)
    lexical = {}
    top_lex = max((hit.score for hit in hits), default=0.0)
    for rank, hit in enumerate(hits):
        # A one-document index scores 0: fall back on the rank then.
        lexical[hit.id] = hit.score / top_lex if top_lex > 0 else 1.0 / (1 + rank)
    use_semantic = semantic_enabled() if semantic is None else semantic
    if not use_semantic:
        vector = None
    elif vector is None:
        vector = post_vector(text, lang)
    dense = {}
    top_dense: list = []
    dense_cos: dict = {}
    if vector is not None:
        matrix = vector_matrix(lang)
        if matrix is not None and matrix.doc_ids:
            dense, dense_cos = _meaning(matrix.doc_ids, matrix.cosines(vector))
            top_dense = sorted(dense, key=dense.get, reverse=True)[:POOL_SIZE]
    semantic_used = bool(dense)
    catalog = documents(lang)
    pool = set(lexical)
    if semantic_used:
        pool.update(top_dense)
    branded = addressed_documents(text, query, lang, catalog, semantic=use_semantic)
    pool |= branded
    uses = popularity(lang)
    ranked = []
    for doc_id in pool:
        info = catalog.get(doc_id)
        if info is None:
            continue
        if semantic_used:
            score = (1 - SEMANTIC_WEIGHT) * lexical.get(
                doc_id, 0.0
            ) + SEMANTIC_WEIGHT * max(0.0, dense.get(doc_id, 0.0))
        else:
            score = lexical.get(doc_id, 0.0)
        score += POPULARITY_WEIGHT * uses.get(info["doc"].url, 0.0)
        score += BRAND_BONUS if doc_id in branded else 0.0
        ranked.append((score, doc_id, info["doc"]))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    candidates = [
        Candidate(
            kind=doc.kind,
            id=doc_id,
            title=doc.title,
            url=doc.url,
            source=doc.source,
            score=score,
            lang=doc.lang,
        )
        for score, doc_id, doc in ranked[:MAX_CANDIDATES]
    ]
    features = {}
    lexical_order = [hit.id for hit in hits]
    if ranked:
        top = ranked[0][0] - (BRAND_BONUS if ranked[0][1] in branded else 0.0)
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        second -= BRAND_BONUS if len(ranked) > 1 and ranked[1][1] in branded else 0.0
        best_id = ranked[0][1]
        features = {
            "top": round(top, 4),
            "margin": round(top - second, 4),
            "lexical": round(lexical.get(best_id, 0.0), 4),
            "dense": round(dense_cos.get(best_id, 0.0), 4) if semantic_used else 0.0,
            "coverage": round(
                _coverage(query, next((h for h in hits if h.id == best_id), None)), 4
            ),
            "words": round(math.log1p(len(query.split())), 4),
            # Chosen by the product the post addresses: its words mattered less.
            "branded": float(best_id in branded),
            "agree": float(
                bool(hits)
                and hits[0].id == best_id
                and (not semantic_used or top_dense[0] == best_id)
            ),
            # Each leg's own view of the chosen article, and whether the two
            # legs alone would choose the same one.
            "lexical_rank": _rank_figure(lexical_order, best_id),
            "dense_rank": _rank_figure(top_dense, best_id) if semantic_used else 0.0,
            "legs_agree": float(
                semantic_used
                and bool(hits)
                and bool(top_dense)
                and hits[0].id == top_dense[0]
            ),
            "lexical_margin": round(_lead(lexical_order, lexical), 4),
            "dense_margin": round(_lead(top_dense, dense), 4) if semantic_used else 0.0,
        }
    return Match(
        candidates=candidates,
        features=features,
        semantic=semantic_used,
        vector=vector,
    )
