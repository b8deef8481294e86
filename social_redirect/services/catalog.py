"""What triage knows about the indexed documents, beyond what search returns.

Search ranks documents for words; triage also needs to know which site or
product each article belongs to (so a post to @AskPlayStation meets every
PlayStation article, even one that shares no word with it), how rare each
word is (to search the post's telling words alone) and how much each article
is relied on. Read from the search index rows and rebuilt when they change.
"""

import re
import threading
from functools import lru_cache
from urllib.parse import urlsplit

_lock = threading.Lock()
_cache = {}
_WORD = re.compile(r"[a-z0-9]+")
_DOMAIN = re.compile(r"\(([a-z0-9.-]+\.[a-z]{2,})\)\s*$", re.I)
# Host parts that name no product: "support.", "help.", ".com"...
_HOST_NOISE = frozenset(
    "www www2 m mobile support help helpx care pages page beta blog community "
    "communities forum forums docs kb faq en fr us uk ca com net org fr io co tv to "
    "info app apps go my web site".split()
)
# A keyword is a word at most this share of the documents contain.
KEYWORD_SHARE = 0.08


def _site(doc):
    """The host an article comes from: its title's "(host)" or its URL's."""
    match = _DOMAIN.search(doc.title or "")
    if match:
        return match.group(1).lower()
    host = urlsplit(doc.url or "").hostname
    return (host or "").lower()


def _site_words(site, category):
    words = {
        w.replace("-", "")
        for w in re.split(r"\.", site)
        if w and w not in _HOST_NOISE and not w.isdigit()
    }
    # Articles written on the site have no host: their category names the product.
    words.update(w for w in _WORD.findall((category or "").lower()) if len(w) > 3)
    return {w for w in words if len(w) > 2}


@lru_cache(maxsize=4096)
def _skeleton(word):
    # "amzn" and "amazon" share their consonants in order: an abbreviation.
    return word[0] + re.sub(r"[aeiouy]", "", word[1:])


def word_names_site(word, site_words, *, strict=False):
    """Whether a word names a site ("rockstar" → rockstargames).

    ``strict`` for words of the post itself, where "play" is just a verb.
    """
    shortest = 6 if strict else 4
    for token in site_words:
        if word == token:
            return True
        if strict:
            if len(word) >= shortest and token.startswith(word):
                return True
            continue
        if len(word) >= 4 and (token.startswith(word) or word.startswith(token)):
            return True
        if len(word) >= 4 and _skeleton(word) == _skeleton(token):
            return True
    return False


def site_documents(catalog, brand):
    """Ids of the documents from the sites the ``brand`` words name."""
    sites = {
        site
        for site in catalog.sites
        if any(word_names_site(word, (site,)) for word in brand)
    }
    return set().union(*(catalog.by_site[site] for site in sites))


def documents(lang):
    """``{doc_id: {"doc", "site_words", "paragraphs"}}`` for ``lang``, with
    word document frequencies in ``.df`` and every site word in ``.sites``."""
    from django.db.models import Count, Max

    from search.models import SearchDocument

    rows = SearchDocument.objects.filter(lang=lang).exclude(kind="topic", solved=False)
    state = rows.aggregate(n=Count("pk"), last=Max("indexed_at"))
    key = (lang, state["n"], state["last"])
    with _lock:
        cached = _cache.get(lang)
        if cached is None or cached.key != key:
            cached = _Catalog(
                key,
                rows.only(
                    "doc_id",
                    "kind",
                    "title",
                    "body",
                    "url",
                    "source",
                    "lang",
                    "category",
                    "solved",
                ),
            )
            _cache[lang] = cached
        return cached


class _Catalog(dict):
    def __init__(self, key, rows):
        super().__init__()
        self.key = key
        self.df = {}
        for doc in rows:
            site = _site(doc)
            body = doc.body or ""
            self[doc.doc_id] = {
                "doc": doc,
                "site_words": _site_words(site, doc.category),
                "paragraphs": max(1, len([p for p in body.split("\n\n") if p.strip()])),
            }
            for word in set(_WORD.findall(f"{doc.title} {body}".lower())):
                self.df[word] = self.df.get(word, 0) + 1
        self.by_site = {}
        for doc_id, info in self.items():
            for word in info["site_words"]:
                self.by_site.setdefault(word, set()).add(doc_id)
        self.sites = set(self.by_site)


def keywords(query, catalog):
    """The post's rare words that the documents do contain, in order.

    A long post's common words drown its one telling word; searched alone,
    "authenticator" or "realm" finds its article.
    """
    if not catalog:
        return ""
    limit = max(1, KEYWORD_SHARE * len(catalog))
    seen = []
    for word in _WORD.findall(query.lower()):
        if len(word) > 3 and 0 < catalog.df.get(word, 0) <= limit and word not in seen:
            seen.append(word)
    return " ".join(seen)


def named_sites(query, catalog):
    """Words of the post naming a site of the catalog ("my minecraft realm")."""
    if not catalog:
        return set()
    words = _WORD.findall(query.lower())
    # "wells fargo" is "wellsfargo" in a host name.
    pairs = [a + b for a, b in zip(words, words[1:], strict=False)]
    return {
        w
        for w in words + pairs
        if len(w) > 3 and word_names_site(w, catalog.sites, strict=True)
    }
