"""Matching a mention to an article or solved topic through the search service.

The post is cleaned (handles and URLs out, hashtags split, synonyms) and
several retrievals are fused: the whole post and its rare words alone through
the search service (score normalised per query plus reciprocal rank), every
article of the product the post addresses (its handles, a product it names,
or else the site most of the best matches agree on), and the optional
embedding model. A mild prior favours the articles relied on most. The top
candidate becomes the target when its confidence passes a threshold
calibrated on real tweets; otherwise, and whenever the post carries a private
signal, the target is the private ticket form.
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings

from social_redirect.services.catalog import (
    documents,
    keywords,
    named_sites,
    site_documents,
    word_names_site,
)
from social_redirect.services.semantic import semantic_scores
from social_redirect.triage import (
    UNHAPPY_THRESHOLD,
    addressed_brand_words,
    clean_for_search,
    detect_language,
    private_signals,
    unhappiness,
)

POOL_SIZE = 40
MAX_CANDIDATES = 5
BRAND_BONUS = 1.0
SEMANTIC_WEIGHT = 0.5
PRIOR_WEIGHT = 0.5
RRF_K = 10


@dataclass
class Candidate:
    kind: str
    id: str
    title: str
    url: str
    source: str | None
    score: float
    lang: str = ""

    def as_dict(self):
        return {
            "kind": self.kind,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "score": round(self.score, 4),
        }


@dataclass
class Triage:
    lang: str
    unhappiness: float
    unhappy: bool
    signals: list
    target_kind: str  # "article" | "topic" | "ticket"
    confidence: float
    candidates: list = field(default_factory=list)

    @property
    def best(self):
        return self.candidates[0] if self.candidates else None


def match_threshold():
    return getattr(settings, "SOCIAL_MATCH_THRESHOLD", 0.2)


def _search(query, lang, limit):
    from search.services import search

    if not query.strip():
        return []
    response = search(query, lang=lang, kinds=["article", "topic"], limit=limit)
    return [
        hit
        for hit in response.results
        # A topic only helps when someone solved it.
        if hit.kind == "article" or (hit.kind == "topic" and hit.solved)
    ]


def _brand_match(hit, brand):
    haystack = " ".join(
        str(x or "") for x in (hit.title, hit.url, hit.category, hit.source)
    ).lower()
    # "t-mobile.com" and "wellsfargo" must both meet the handle's words.
    squashed = re.sub(r"[^a-z0-9]", "", haystack)
    whole = set(re.findall(r"[a-z0-9]+", haystack))
    # "you" from @TeamYouTube is inside "your": short words must stand alone.
    return any(
        word in whole if len(word) < 4 else word in haystack or word in squashed
        for word in brand
    )


_MARK = re.compile(r"<mark>(.*?)</mark>", re.I | re.S)
_WORDS = re.compile(r"\w{3,}")
_STOP = frozenset(
    """the and for with not but you your our are was were have has had this that
    what when where how why can cannot will would from they them then than there
    here just still again please thanks thank hello any anyone into out about
    les des une pour avec sans pas plus que qui quoi est sont mais dans sur par
    vous nous votre vos mon mes toujours depuis encore jours jour merci bonjour
    fail""".split()
)


def _fold(text):
    return "".join(
        c
        for c in unicodedata.normalize("NFKD", (text or "").lower())
        if not unicodedata.combining(c)
    )


def _stems(text):
    # Five letters are enough to meet "voyants"/"voyant" or "connexion"/"connecte"
    # without a language-specific stemmer.
    return {w[:5] for w in _WORDS.findall(_fold(text)) if w not in _STOP}


def _coverage(query, hit):
    """Share of the query's words the hit matched (title or highlighted)."""
    wanted = _stems(query)
    if not wanted:
        return 0.0
    found = _stems(hit.title) | _stems(
        " ".join(_MARK.findall(getattr(hit, "snippet", "") or ""))
    )
    # Long posts ramble: six matched words are as good as all of them.
    return min(1.0, len(wanted & found) / min(len(wanted), 6))


def _confidence(coverage, norm_second, brand_hit):
    # Scale-free on purpose: raw scores differ between search backends.
    lead = 1.0 - norm_second
    # Knowing the product the post is about, with answers for it, weighs as
    # much as sharing most of its words with one article.
    value = 0.45 * coverage + 0.2 * lead + (0.35 if brand_hit else 0.0)
    return round(max(0.0, min(1.0, value)), 3)


def _prior(entry):
    """How much an article is relied on, from 0 to 1, before reading the post.

    Imported answers gather every reply that linked them, one paragraph each,
    so a long body is the product's most used answer; people's helpfulness
    votes (the search boost) count too.
    """
    paragraphs = entry.get("paragraphs", 1)
    return min(1.0, math.log1p(paragraphs) / math.log1p(12))


def match_candidates(text, lang, *, semantic=None):
    """``(candidates, confidence)`` for a post, best first.

    Several retrievals are fused: the whole cleaned post, its rarer keywords
    alone, and every article of the product the post addresses (its handles,
    or a product name in its words). ``semantic``: None follows the
    SOCIAL_SEMANTIC_MATCHING setting (and whether the optional model is
    installed); False forces lexical only.
    """
    query = clean_for_search(text, lang)
    catalog = documents(lang)
    brand = addressed_brand_words(text, ignore=settings.SOCIAL_OWN_HANDLES)
    if not any(word_names_site(w, catalog.sites) for w in brand):
        # "@MojangSupport … my minecraft realm": the post names the product.
        brand |= named_sites(query, catalog)
    scored = {}

    def entry(doc_id, hit):
        return scored.setdefault(
            doc_id, {"hit": hit, "lex": 0.0, "rrf": 0.0, "sem": 0.0}
        )

    rare = keywords(query, catalog)
    searches = [(1.0, query, POOL_SIZE)]
    if rare and rare != query:
        searches.append((0.5, rare, POOL_SIZE // 2))
    for weight, words, size in searches:
        hits = _search(words, lang, size)
        raw_top = max((h.score for h in hits), default=0.0)
        for rank, hit in enumerate(hits):
            # A one-document index scores 0: fall back on the rank then.
            norm = hit.score / raw_top if raw_top > 0 else 1.0 / (1 + rank)
            item = entry(hit.id, hit)
            item["lex"] = max(item["lex"], weight * norm)
            item["rrf"] += weight / (RRF_K + rank)
    branded = site_documents(catalog, brand) if brand else set()
    if not branded:
        branded = _feedback_site(scored, catalog)
    for doc_id in branded:
        if doc_id not in scored:
            entry(doc_id, catalog[doc_id]["doc"])
    similar = []
    if semantic is not False:
        similar = semantic_scores(clean_for_search(text, lang, expand=False), lang)
    if similar:
        top_sem = max(similarity for _doc, similarity in similar) or 1.0
        for doc, similarity in similar:
            entry(doc.doc_id, doc)["sem"] = max(0.0, similarity) / top_sem
    top_rrf = max((item["rrf"] for item in scored.values()), default=0.0) or 1.0
    # Lexical and semantic scores are each normalised to the query's best,
    # then averaged: words the post shares with an article, and meaning.
    lex_weight = (1 - SEMANTIC_WEIGHT) if similar else 1.0
    ranked = []
    for doc_id, item in scored.items():
        hit = item["hit"]
        info = catalog.get(doc_id, {})
        brand_hit = doc_id in branded or (bool(brand) and _brand_match(hit, brand))
        lexical = 0.5 * item["lex"] + 0.5 * item["rrf"] / top_rrf
        score = lex_weight * lexical + (SEMANTIC_WEIGHT * item["sem"] if similar else 0)
        score += PRIOR_WEIGHT * _prior(info)
        ranked.append((score + (BRAND_BONUS if brand_hit else 0.0), brand_hit, hit))
    ranked.sort(key=lambda r: (-r[0], str(_doc_key(r[2]))))
    candidates = [
        Candidate(
            kind=hit.kind,
            id=str(_doc_key(hit)),
            title=hit.title,
            url=hit.url,
            source=hit.source,
            score=score,
            lang=hit.lang,
        )
        for score, _brand_hit, hit in ranked[:MAX_CANDIDATES]
    ]
    if not ranked:
        return candidates, 0.0
    top_score, top_brand, top_hit = ranked[0]
    second = ranked[1][0] / top_score if len(ranked) > 1 and top_score else 0.0
    return candidates, _confidence(
        _coverage(query, top_hit), min(second, 1.0), top_brand
    )


def _feedback_site(scored, catalog, depth=3):
    """Pseudo-relevance feedback on the site: when the post names no product
    but most of its best lexical matches come from one site, that site's
    other articles are worth a look too."""
    best = sorted(scored, key=lambda doc_id: -scored[doc_id]["rrf"])[:depth]
    counts = {}
    for doc_id in best:
        for word in catalog.get(doc_id, {}).get("site_words", ()):
            counts[word] = counts.get(word, 0) + 1
    sites = {word for word, n in counts.items() if n * 2 > depth}
    if not sites:
        return set()
    return set().union(*(catalog.by_site[site] for site in sites))


def _doc_key(hit):
    return getattr(hit, "doc_id", None) or hit.id


def triage_text(text, lang=None):
    """Everything triage decides about one post (no database writes)."""
    lang = lang if lang in ("fr", "en") else detect_language(text)
    score = unhappiness(text, lang)
    signals = private_signals(text)
    candidates, confidence = match_candidates(text, lang)
    if signals or not candidates or confidence < match_threshold():
        target_kind = "ticket"
    else:
        target_kind = candidates[0].kind
    return Triage(
        lang=lang,
        unhappiness=score,
        unhappy=score >= UNHAPPY_THRESHOLD,
        signals=signals,
        target_kind=target_kind,
        confidence=confidence,
        candidates=candidates,
    )


def prepare_batch(records):
    """Pre-compute what can be done in bulk for ``[(text, lang or None)]``."""
    from social_redirect.services import semantic

    queries = []
    for text, lang in records:
        lang = lang if lang in ("fr", "en") else detect_language(text)
        if lang in semantic.LANGS:
            queries.append(clean_for_search(text, lang, expand=False))
    semantic.prime_queries(queries)
