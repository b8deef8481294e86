"""Which product each indexed article belongs to, when the knowledge base
covers several.

A help centre gathering several products' articles names each one's site in
the article title ("… (support.zoom.us)") or links to it: a post to
@ZoomSupport then meets every Zoom article, even one that shares no word with
it. A single company's help centre has one product: ``several_products`` is
then False and no product cue applies (categories are topics, not products).
Read from the search index rows and rebuilt when they change.
"""

import re
import threading
from collections import Counter
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np

from search import embeddings
from search.backends.embedded import state_token
from search.models import SearchDocument
from search.vocabulary import vocabulary

_lock = threading.Lock()
_cache = {}
_WORD = re.compile(r"[a-z0-9]+")
_DOMAIN = re.compile(r"\(([a-z0-9.-]+\.[a-z]{2,})\)\s*$", re.I)
# Host parts that name no product: "support.", "help.", ".com"...
_HOST_NOISE = frozenset(
    "www www2 m mobile support help helpx care pages page beta blog community "  # noqa: SIM905
    "communities forum forums docs kb faq en fr us uk ca com net org fr io co tv to "
    "info app apps go my web site".split()
)


def _site(doc) -> str:
    """The host an article comes from: its title's "(host)" or its URL's."""
    match = _DOMAIN.search(doc.title or "")
    if match:
        return match.group(1).lower()
    host = urlsplit(doc.url or "").hostname
    return (host or "").lower()


def _site_words(site: str) -> set[str]:
    words = {
        w.replace("-", "")
        for w in re.split(r"\.", site)
        if w and w not in _HOST_NOISE and not w.isdigit()
    }
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


def site_documents(catalog: "_Catalog", brand: set[str]) -> set[str]:
    """Ids of the documents from the sites the ``brand`` words name, or whose
    title names the product ("Youtube (support.google.com)" for @TeamYouTube)."""
    sites = {
        site
        for site in catalog.sites
        if any(word_names_site(word, (site,)) for word in brand)
    }
    found = set().union(*(catalog.by_site[site] for site in sites))
    for word in brand:
        found |= catalog.by_title_word.get(word, set())
    return found


def documents(lang: str) -> "_Catalog":
    """``{doc_id: {"doc", "site_words"}}`` for ``lang``, with every site word
    in ``.sites`` and the documents of each in ``.by_site``."""
    # One key lookup per post instead of counting the index (13 ms under load):
    # every index write, a topic solved included, sets a new token.
    key = (lang, state_token(lang))
    with _lock:
        cached = _cache.get(lang)
        if cached is None or cached.key != key:
            # Built on a miss only: making the queryset costs more than the key.
            rows = SearchDocument.objects.filter(lang=lang).exclude(
                kind="topic", solved=False
            )
            cached = _Catalog(
                key,
                rows.only("doc_id", "kind", "title", "url", "source", "lang", "solved"),
            )
            _cache[lang] = cached
        return cached


class _Catalog(dict):
    def __init__(self, key, rows):
        super().__init__()
        self.key = key
        for doc in rows:
            self[doc.doc_id] = {"doc": doc, "site_words": _site_words(_site(doc))}
        self.by_site = {}
        self.by_title_word = {}
        for doc_id, info in self.items():
            title = _DOMAIN.sub("", info["doc"].title or "").lower()
            for word in _WORD.findall(title):
                if len(word) > 3:
                    self.by_title_word.setdefault(word, set()).add(doc_id)
            for word in info["site_words"]:
                self.by_site.setdefault(word, set()).add(doc_id)
        self.sites = set(self.by_site)
        hosts = Counter(_site(info["doc"]) for info in self.values())
        hosts.pop("", None)
        # Several products: articles labelled with several hosts, most of them.
        self.several_products = len(hosts) >= 2 and sum(hosts.values()) * 2 >= len(self)
        self._site_vectors = None
        # Handle word → the site it means (None: none), see meant_sites.
        self.meant = {}

    def site_vectors(self):
        """(site words, their embeddings), computed once per catalog."""
        if self._site_vectors is None:
            names = sorted(self.sites)
            matrix = embeddings.embed(names)
            if matrix is None:
                return None
            self._site_vectors = (names, matrix)
        return self._site_vectors


# A handle's word means a site when the encoder puts it this close to the
# site's name and clearly closer than to any other ("mojang" → minecraft 0.64,
# next 0.43); brand names the encoder does not know stay unmatched ("sprint":
# 0.58 to two sites alike).
MEANT_SITE_SIMILARITY = 0.6
MEANT_SITE_LEAD = 0.15


def meant_sites(words: set[str], catalog: "_Catalog", lang: str) -> set[str]:
    """Sites that handle words name by meaning rather than by spelling: a
    company's support handle often carries the company's name where the help
    centre's host carries the product's (@MojangSupport, help.minecraft.net).
    Only names the articles never use: a word they use ("games" in
    @SomeGamesCo) is an ordinary word, not a product's name. Empty without
    the embedding model."""
    if len(catalog.sites) < 2:
        return set()
    known = vocabulary(lang).df
    found = set()
    for word in words - known.keys():
        if word not in catalog.meant:
            catalog.meant[word] = _meant_site(word, catalog)
        if catalog.meant[word]:
            found.add(catalog.meant[word])
    return found


def _meant_site(word: str, catalog: "_Catalog") -> str | None:
    sites = catalog.site_vectors()
    vector = embeddings.embed([word]) if sites is not None else None
    if vector is None:
        return None
    names, matrix = sites
    similarity = matrix @ vector[0]
    first, second = np.sort(similarity)[::-1][:2]
    if first >= MEANT_SITE_SIMILARITY and first - second >= MEANT_SITE_LEAD:
        return names[int(similarity.argmax())]
    return None


def named_sites(query: str, catalog: "_Catalog") -> set[str]:
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
