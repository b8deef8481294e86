"""From what someone typed to a backend-neutral query plan.

Synonyms and spelling corrections are resolved here, once, so that the
embedded backend and Elasticsearch search for exactly the same alternatives.
"""

import threading
import time

from django.core.cache import cache

from search.analysis import analyze, is_stop_word, stem, words
from search.models import SynonymGroup
from search.results import QueryPlan
from search.vocabulary import completions, vocabulary

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 32
_SYNONYMS_KEY = "search:synonyms-version"
_lock = threading.Lock()
_synonyms_memory = {}


def synonyms_changed():
    cache.set(_SYNONYMS_KEY, time.time(), None)


def _synonym_map(lang):
    """{stem tuple: set of stem tuples} for active groups of ``lang``."""
    version = cache.get(_SYNONYMS_KEY, 0)
    with _lock:
        entry = _synonyms_memory.get(lang)
        if entry and entry[0] == version and entry[1] > time.monotonic():
            return entry[2]
    mapping = {}
    groups = SynonymGroup.objects.filter(active=True).filter(lang__in=["", lang])
    for group in groups:
        alternatives = {}
        for term in group.term_list():
            stems = tuple(analyze(term, lang))
            if stems:
                alternatives.setdefault(stems, term)
        for alt in alternatives:
            mapping.setdefault(alt, {}).update(alternatives)
    with _lock:
        _synonyms_memory[lang] = (version, time.monotonic() + 60, mapping)
    return mapping


def build_plan(text, lang, *, correct=True, prefix=False):
    tokens = list(words(text)[:MAX_QUERY_WORDS])
    last_partial = tokens[-1] if prefix and tokens else None
    content = [w for w in tokens if not is_stop_word(w, lang)]
    if prefix and last_partial and content and content[-1] == last_partial:
        content = content[:-1]
    vocab = vocabulary(lang) if correct else None
    corrections = {}
    unknown = set()
    common = set()
    clauses = []
    stems = []
    surface = {}
    for word in content:
        alternatives = [(stem(word, lang),)]
        surface.setdefault(alternatives[0], word)
        if vocab is not None and word not in vocab.df:
            unknown.add(word)
        fixed = None
        if vocab is not None:
            fixed = vocab.correct(word)
            if fixed:
                corrections[word] = fixed
                alternatives.append((stem(fixed, lang),))
                surface.setdefault(alternatives[-1], fixed)
        if vocab is not None and not fixed and vocab.is_common(word):
            common.add(alternatives[0])
        stems.append(alternatives[-1][0])
        clauses.append(alternatives)
    synonyms = _synonym_map(lang)
    if synonyms:
        for n in (3, 2, 1):
            for i in range(len(stems) - n + 1):
                key = tuple(stems[i : i + n])
                for alt, term in sorted(synonyms.get(key, {}).items()):
                    if alt != key and alt not in clauses[i]:
                        clauses[i].append(alt)
                        surface.setdefault(alt, term)
    # Adjacent query words found side by side in a document count extra: the
    # best evidence that a page says what someone typed.
    phrases = [
        (stems[i], stems[i + 1])
        for i in range(len(stems) - 1)
        if stems[i] != stems[i + 1]
    ]
    highlight = {s for clause in clauses for alt in clause for s in alt}
    prefix_terms = []
    if last_partial:
        prefix_terms = [stem(w, lang) for w in completions(last_partial, lang, 6)]
        if not prefix_terms and not is_stop_word(last_partial, lang):
            clauses.append([(stem(last_partial, lang),)])
            surface.setdefault((stem(last_partial, lang),), last_partial)
        highlight.update(prefix_terms)
    return QueryPlan(
        lang=lang,
        clauses=clauses,
        highlight=highlight,
        corrections=corrections,
        unknown=unknown,
        common=common,
        prefix_terms=prefix_terms,
        surface=surface,
        phrases=list(dict.fromkeys(phrases)),
        prefix_words=[last_partial] if last_partial else [],
    )


def suggestion_text(text, corrections):
    """The query with misspelt words replaced, or None when nothing changed."""
    if not corrections:
        return None
    out = []
    for word in words(text):
        out.append(corrections.get(word, word))
    suggestion = " ".join(out)
    return suggestion if suggestion != " ".join(words(text)) else None
