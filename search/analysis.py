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
        """.split()
    ),
    "en": frozenset(
        """
        a an and are as at be been but by for from had has have he her his i if in into
        is it its me my no not of on or our she so such that the their them then there
        these they this those to was we were what when where which while who whom why
        will with would you your yours can do does did than too very just also
        """.split()
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


def fold(text):
    """Lower case without accents: "Électricité" -> "electricite"."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("œ", "oe")


def words(text):
    """Folded words of ``text`` after removing elisions (no stop words removed)."""
    return _WORD.findall(fold(_ELISION.sub(" ", text or "")))


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


def analyze(text, lang):
    """Index terms of ``text``: folded, elisions and stop words removed, stemmed."""
    lang = normalize_lang(lang) or "fr"
    return [stem(w, lang) for w in words(text) if not is_stop_word(w, lang)]


def surface_words(text, lang):
    """Folded words worth suggesting back to people (not stop words, not numbers)."""
    return [
        w
        for w in words(text)
        if len(w) > 2 and not w.isdigit() and not is_stop_word(w, lang)
    ]
