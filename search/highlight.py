"""Snippets: the passage of a document that best matches the query, with <mark>."""

import re
from functools import lru_cache
from html import escape
from itertools import islice

from search.analysis import fold, stem

_TOKEN = re.compile(r"\w+", re.UNICODE)
SNIPPET_WORDS = 32
_SCAN_CHARS = 20_000


@lru_cache(maxsize=200_000)
def _term(word, lang):
    return stem(fold(word), lang)


def snippet(texts, lang, stems, words=SNIPPET_WORDS):
    """Escaped HTML: a window of ``words`` words with the matching ones marked.

    ``texts`` are tried in order; the first one containing a match wins, and
    the first non-empty one is used (unmarked) when nothing matches.
    """
    fallback = None
    for text in texts:
        if not text:
            continue
        text = text[:_SCAN_CHARS]
        tokens = _TOKEN.findall(text)
        if not tokens:
            continue
        if fallback is None:
            fallback = text
        # Each distinct word is stemmed once; most words repeat.
        term = _term
        matching = {t for t in set(tokens) if term(t, lang) in stems}
        if matching:
            hits = [i for i, t in enumerate(tokens) if t in matching]
            return _render(text, hits, words)
    if fallback is None:
        return ""
    return _render(fallback, [], words)


def _render(text, hits, words):
    # Densest window: the start whose next `words` tokens hold the most hits.
    start = 0
    if hits:
        best = -1
        j = 0
        for i, h in enumerate(hits):
            while j < len(hits) and hits[j] < h + words:
                j += 1
            if j - i > best:
                best, start = j - i, max(0, h - 3)
    hit_set = set(hits)
    out = []
    pos = None
    more = False
    for index, m in enumerate(islice(_TOKEN.finditer(text), start, None), start):
        if index >= start + words:
            more = True
            break
        if pos is not None:
            out.append(escape(text[pos : m.start()]))
        word = escape(m.group())
        out.append(f"<mark>{word}</mark>" if index in hit_set else word)
        pos = m.end()
    html = re.sub(r"\s+", " ", "".join(out).strip())
    if start > 0:
        html = "… " + html
    if more:
        html += " …"
    return html
