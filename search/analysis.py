"""Language-aware text analysis shared by the embedded backend and the suggesters.

The same function analyses documents at index time and queries at search time,
so both sides always agree on what a "term" is. Accents are folded *before*
stemming: people on phones type "electricite" as often as "électricité", and
both must reach the same stem.
"""

import re
import threading
import unicodedata
from functools import lru_cache

import Stemmer

LANGUAGES = ("fr", "en")
_STEMMER_NAMES = {"fr": "french", "en": "english"}

# Elided articles and pronouns in front of a vowel: l'électricité, d'un, qu'il.
_ELISION = re.compile(
    r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’`]", re.IGNORECASE
)
_WORD = re.compile(r"[a-z0-9]+")

STOP_WORDS = {
    "fr": frozenset(
        """
        a au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le
        les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas
        pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous
        c d j l m n s t y est sont etre ete etait etaient suis es sommes etes ai as
        avons avez ont avoir eu cela ceci ca si plus sans sous tres aussi donc alors
        comme
        dont ou quand car ni soit
        """.split()  # noqa: SIM905 - a word list reads and edits best as prose
    ),
    "en": frozenset(
        """
        a an and are as at be been but by for from had has have he her his i if in into
        is it its me my no not of on or our she so such that the their them then there
        these they this those to was we were what when where which while who whom why
        will with would you your yours can do does did than too very just also
        """.split()  # noqa: SIM905 - a word list reads and edits best as prose
    ),
}

_local = threading.local()


def _stemmer(lang):
    # PyStemmer objects are not thread-safe; the speed bench queries from threads.
    cache = getattr(_local, "stemmers", None)
    if cache is None:
        cache = _local.stemmers = {}
    stemmer = cache.get(lang)
    if stemmer is None:
        stemmer = cache[lang] = Stemmer.Stemmer(_STEMMER_NAMES[lang])
    return stemmer


def normalize_lang(lang):
    return lang if lang in LANGUAGES else None


# Combining marks left by NFKD on Latin text (accents, cedilla, diaeresis).
# Marks of other scripts sit between characters that are not words anyway.
_COMBINING = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)


def fold(text):
    """Lower case without accents: "Électricité" -> "electricite"."""
    text = text.lower()
    if text.isascii():
        return text
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return text.replace("œ", "oe")


def words(text):
    """Folded words of ``text`` after removing elisions (no stop words removed)."""
    text = text or ""
    # The elision pattern is slow on long texts; most have no apostrophe at all.
    if "'" in text or "’" in text or "`" in text:
        text = _ELISION.sub(" ", text)
    return _WORD.findall(fold(text))


@lru_cache(maxsize=50_000)
def _stem_cached(lang, word):
    return _stemmer(lang).stemWord(word)


def stem(word, lang):
    lang = normalize_lang(lang) or "fr"
    if word.isdigit():
        return word
    return _stem_cached(lang, word)


def is_stop_word(word, lang):
    return word in STOP_WORDS.get(lang, ()) or len(word) == 1 and not word.isdigit()


_stems = {lang: {} for lang in LANGUAGES}
MAX_CACHED_STEMS = 200_000


def analyze(text, lang):
    """Index terms of ``text``: folded, elisions and stop words removed, stemmed."""
    lang = normalize_lang(lang) or "fr"
    stops = STOP_WORDS[lang]
    # Indexing analyses millions of words: a plain dict lookup per word is
    # several times cheaper than stem()'s checks and lru_cache.
    cache = _stems[lang]
    if len(cache) > MAX_CACHED_STEMS:
        cache.clear()
    out = []
    for word in words(text):
        if word in stops:
            continue
        term = cache.get(word)
        if term is None:
            if len(word) == 1 and not word.isdigit():
                continue
            term = cache[word] = stem(word, lang)
        out.append(term)
    return out


def surface_words(text, lang):
    """Folded words worth suggesting back to people (not stop words, not numbers)."""
    stops = STOP_WORDS.get(lang, ())
    return [w for w in words(text) if len(w) > 2 and not w.isdigit() and w not in stops]
