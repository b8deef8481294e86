"""Index vocabulary: spelling corrections ("did you mean") and completions.

Each process keeps the vocabulary of a language in memory, stamped with a
version number kept in the shared cache; writers bump the version so other
processes reload it, and a short lifetime bounds staleness when the cache is
per-process.
"""

import threading
import time
from collections import Counter

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from search.analysis import surface_words
from search.models import SearchDocument, VocabularyTerm

_VERSION_KEY = "search:vocab-version"
_LIFETIME = 300
_lock = threading.Lock()
_memory = {}
# In large indexes, words found in more than this share of the documents only
# add to the score of documents that match a rarer word (see search.query).
COMMON_SHARE = 0.2
COMMON_MIN_DOCUMENTS = 1000


def bump_version():
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, int(time.time() * 1000), None)


def _version():
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = int(time.time() * 1000)
        cache.add(_VERSION_KEY, version, None)
        version = cache.get(_VERSION_KEY, version)
    return version


class _Vocabulary:
    def __init__(self, lang):
        self.df = dict(
            VocabularyTerm.objects.filter(lang=lang, df__gt=0).values_list("word", "df")
        )
        self.documents = SearchDocument.objects.filter(lang=lang).count()
        self._deletes = None

    def is_common(self, word):
        """A word in so many documents that it cannot single out an answer."""
        return (
            self.documents >= COMMON_MIN_DOCUMENTS
            and self.df.get(word, 0) > COMMON_SHARE * self.documents
        )

    def deletes(self):
        # Symmetric-delete index (one deletion): finds insertions, deletions,
        # substitutions and the swapped letters typical of phone typing.
        if self._deletes is None:
            index = {}
            for word in self.df:
                for variant in _one_deletes(word) | {word}:
                    index.setdefault(variant, []).append(word)
            # Strings, not lists: a dict of strings is invisible to the garbage
            # collector, which would otherwise walk its ~100,000 lists.
            self._deletes = {variant: " ".join(ws) for variant, ws in index.items()}
        return self._deletes

    def correct(self, word):
        if word in self.df or len(word) < 4 or word.isdigit():
            return None
        index = self.deletes()
        candidates = set()
        for variant in _one_deletes(word) | {word}:
            candidates.update(index.get(variant, "").split())
        best = None
        for candidate in candidates:
            distance = _osa_distance(word, candidate)
            if distance > (1 if len(word) < 7 else 2):
                continue
            key = (distance, -self.df[candidate], candidate)
            if best is None or key < best:
                best = key
        return best[2] if best else None


def vocabulary(lang):
    version = _version()
    with _lock:
        entry = _memory.get(lang)
        if entry and entry[0] == version and entry[1] > time.monotonic():
            return entry[2]
    vocab = _Vocabulary(lang)
    with _lock:
        _memory[lang] = (version, time.monotonic() + _LIFETIME, vocab)
    return vocab


def _one_deletes(word):
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _osa_distance(a, b):
    """Optimal string alignment distance (Levenshtein plus adjacent swaps)."""
    rows = len(a) + 1
    cols = len(b) + 1
    d = [[0] * cols for _ in range(rows)]
    for i in range(rows):
        d[i][0] = i
    for j in range(cols):
        d[0][j] = j
    for i in range(1, rows):
        for j in range(1, cols):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def document_words(doc):
    """The distinct suggestible words of a document row or dict."""
    get = (
        doc.get
        if isinstance(doc, dict)
        else lambda k, default="": getattr(doc, k, default)
    )
    text = " ".join(
        str(get(name, "") or "")
        for name in ("title", "summary", "symptoms", "body", "tags", "category")
    )
    return set(surface_words(text, get("lang", "fr")))


def vocabulary_apply(lang, added, removed):
    """Adjust document frequencies after one document changed."""
    added, removed = set(added) - set(removed), set(removed) - set(added)
    if not added and not removed:
        return
    with transaction.atomic():
        if added:
            VocabularyTerm.objects.bulk_create(
                [VocabularyTerm(lang=lang, word=w[:100], df=0) for w in added],
                ignore_conflicts=True,
            )
            VocabularyTerm.objects.filter(
                lang=lang, word__in=[w[:100] for w in added]
            ).update(df=F("df") + 1)
        if removed:
            VocabularyTerm.objects.filter(
                lang=lang, word__in=[w[:100] for w in removed], df__gt=0
            ).update(df=F("df") - 1)
            VocabularyTerm.objects.filter(lang=lang, df=0).delete()
    bump_version()


def vocabulary_rebuild(counts_by_lang):
    """Replace the whole vocabulary with ``{lang: Counter(word -> df)}``."""
    with transaction.atomic():
        VocabularyTerm.objects.all().delete()
        for lang, counts in counts_by_lang.items():
            VocabularyTerm.objects.bulk_create(
                [
                    VocabularyTerm(lang=lang, word=w[:100], df=n)
                    for w, n in Counter(counts).items()
                    if len(w) <= 100
                ],
                batch_size=2000,
            )
    bump_version()


def completions(prefix, lang, limit=8):
    if not prefix:
        return []
    langs = [lang] if lang else ["fr", "en"]
    rows = (
        VocabularyTerm.objects.filter(
            # A range instead of LIKE so that the (lang, word) index is used.
            lang__in=langs,
            word__gte=prefix,
            word__lt=prefix + "{",
            df__gt=0,
        )
        .order_by("-df", "word")
        .values_list("word", flat=True)[: limit * 2]
    )
    out = []
    for word in rows:
        if word not in out:
            out.append(word)
    return out[:limit]
