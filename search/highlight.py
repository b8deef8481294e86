"""Snippets: the passage of a document that best matches the query, with <mark>.

A snippet is built for every hit of every search and documents run to several
KB, so the text is not tokenised, stemmed and escaped word by word in Python.
It is first turned, in C (an encode and a translate), into a bytes "shadow" of
the same length: each word character becomes its folded ASCII letter, anything
between words a space. Candidate words are found in it with ``bytes.find``
from the start of each stem, and only they are stemmed; words between matches
are counted with ``bytes.split``; only the chosen window is escaped. Words the
shadow cannot spell (other scripts, ligatures) are checked on the real text,
so the result is the one a full tokenisation (``\\w+``, fold, stem) gives.
"""

import re
from bisect import bisect_left
from functools import lru_cache
from html import escape
from itertools import accumulate
from os.path import commonprefix

from search.analysis import fold, stem

_TOKEN = re.compile(r"\w+", re.UNICODE)
SNIPPET_WORDS = 32
_SCAN_CHARS = 20_000

_WORD_BYTE = re.compile(rb"[^ ]")
_ODD = ord("?")
_PLAIN = re.compile(r"[a-z0-9_]+")
# What separates words, but spaces: they already do.
_NON_WORD = re.compile(r"[^\w ]")
# Past this many candidate words for one prefix, distinct words are judged.
_HOT = 48


@lru_cache(maxsize=200_000)
def _term(word, lang):
    return stem(fold(word), lang)


def _shadow_tables():
    # Latin-1 byte -> folded ASCII word byte, b" " between words, b"?" for a
    # word character whose fold is not one ASCII character (ß, æ, µ, ½, ...),
    # which must then be judged on the real text.
    table = bytearray(256)
    for b in range(256):
        c = chr(b)
        if not _TOKEN.fullmatch(c):
            table[b] = 32
            continue
        folded = fold(c)
        table[b] = ord(folded) if _PLAIN.fullmatch(folded) else _ODD
    strict = bytes(table)
    # After encode(errors="replace") a b"?" may stand for any character.
    table[_ODD] = _ODD
    return strict, bytes(table)


_SHADOW, _SHADOW_REPLACED = _shadow_tables()

# Punctuation common in typeset text and outside Latin-1, swapped for Latin-1
# punctuation before encoding so that it need not be looked at one by one.
_TYPOGRAPHIC = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u2026", "."),
    ("\u2022", "*"),
    ("\u20ac", "$"),
    ("\u202f", " "),
    ("\u2009", " "),
    ("\u200b", " "),
)

# Snowball (French and English) rewrites at most the last two letters of a stem
# (y -> i, ic -> iqu, amment -> ant, aux -> al, ence -> ent, eus -> eux,
# biliti -> ble, dying -> die, hoping -> hope, ...), and only with these
# endings; everything before them is a prefix of the folded word.
_REWRITTEN_TWO = ("qu", "nt", "le", "ie")
_REWRITTEN_ONE = ("e", "i", "l", "t", "x", "y")


def _anchor(term):
    if term.endswith(_REWRITTEN_TWO):
        prefix = term[:-2]
    elif term.endswith(_REWRITTEN_ONE):
        prefix = term[:-1]
    else:
        prefix = term
    return prefix or term[:1]


@lru_cache(maxsize=1024)
def _anchors(stems):
    """(prefix, needle) pairs: every plain word stemming to one of ``stems``
    starts with one of the prefixes, and each needle finds its prefix."""
    # A stem with anything but [a-z0-9_] can only come from a word holding a
    # b"?" in the shadow, and those words are all checked on the real text.
    prefixes = sorted({_anchor(s) for s in stems if _PLAIN.fullmatch(s)})
    # Each anchor costs a scan of the text, each extra candidate word much
    # less: anchors sharing 4 letters (completions of what is being typed)
    # are searched as one.
    kept = []
    for p in prefixes:
        if kept:
            common = commonprefix((kept[-1], p))
            if len(common) >= min(4, len(kept[-1])):
                kept[-1] = common
                continue
        kept.append(p)
    # Without the leading space the scan is faster, but a short prefix is
    # found inside many words, each costing a round in Python.
    return tuple(
        (p.encode("ascii"), (" " + p if len(p) < 4 else p).encode("ascii"))
        for p in kept
    )


@lru_cache(maxsize=100_000)
def _plain_term(word, lang):
    # A shadow word without b"?" is already the folded text of the word.
    return stem(word.decode("ascii"), lang)


def _shadow(text):
    """One byte per character of ``text``, between two spaces (see above).

    None for text mostly in another script, which _tokenised handles better.
    """
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        raw = text.encode("latin-1", "replace")
        if raw.count(b"?") > 8:
            latin = text
            for char, plain in _TYPOGRAPHIC:
                latin = latin.replace(char, plain)
            raw = latin.encode("latin-1", "replace")
        shadow = b"".join((b" ", raw.translate(_SHADOW_REPLACED), b" "))
        if b"?" not in shadow:
            return shadow
        # A b"?" may be a question mark, a symbol or a letter: the first two
        # separate words.
        if shadow.count(b"?") > len(text) // 4:
            return None  # mostly another script: see _tokenised
        fixed = bytearray(shadow)
        i = shadow.find(b"?")
        while i != -1:
            char = text[i - 1]
            if not (char.isalnum() or char == "_"):  # exactly what \w matches
                fixed[i] = 32
            i = shadow.find(b"?", i + 1)
        return bytes(fixed)
    return b"".join((b" ", raw.translate(_SHADOW), b" "))


def _find_hits(text, shadow, lang, stems, anchors):
    """Sorted (start, end) shadow offsets of the words whose stem is in stems."""
    hits = []
    find = shadow.find
    seen = {}

    def matches(word):
        ok = seen.get(word)
        if ok is None:
            # A word with a b"?" is judged on the real text below.
            ok = seen[word] = b"?" not in word and _plain_term(word, lang) in stems
        return ok

    distinct = None
    for prefix, needle in anchors:
        lead = len(needle) - len(prefix)
        found = []
        budget = _HOT
        i = find(needle)
        while i != -1:
            if not lead and shadow[i - 1] != 32:  # inside a word
                i = find(needle, i + 1)
                continue
            if not budget:
                break
            budget -= 1
            start = i + lead
            end = find(b" ", start)
            word = shadow[start:end]
            ok = seen.get(word)
            if ok is None:
                ok = matches(word)
            if ok:
                found.append((start, end))
            i = find(needle, end)
        else:
            hits += found
            continue
        # Many words start with this prefix: judge each distinct one once,
        # then look for the ones that match.
        if distinct is None:
            distinct = set(shadow.split())
        for word in distinct:
            if word.startswith(prefix) and matches(word):
                whole = b" " + word + b" "
                i = find(whole)
                while i != -1:
                    end = i + len(whole) - 1
                    hits.append((i + 1, end))
                    i = find(whole, end)
    i = find(b"?")
    while i != -1:
        start = shadow.rfind(b" ", 0, i) + 1
        end = find(b" ", i)
        if _term(text[start - 1 : end - 1], lang) in stems:
            hits.append((start, end))
        i = find(b"?", end)
    hits.sort()
    return hits


def _tokenised(text, lang, stems):
    """The shadow and the hits of text mostly in another script.

    Nearly every word there holds a b"?": words are taken from the text,
    each distinct one judged once, as _find_hits would.
    """
    spaced = " " + _NON_WORD.sub(" ", text) + " "
    hits = []
    if stems:
        find = spaced.find
        for word in set(spaced.split()):
            if _term(word, lang) in stems:
                whole = " " + word + " "
                i = find(whole)
                while i != -1:
                    end = i + len(whole) - 1
                    hits.append((i + 1, end))
                    i = find(whole, end)
        hits.sort()
    # Only where words are matters from here on, not what they say.
    return spaced.encode("latin-1", "replace"), hits


def snippet(texts, lang, stems, words=SNIPPET_WORDS):
    """Escaped HTML: a window of ``words`` words with the matching ones marked.

    ``texts`` are tried in order; the first one containing a match wins, and
    the first non-empty one is used (unmarked) when nothing matches.
    """
    fallback = None
    anchors = _anchors(frozenset(stems)) if stems else ()
    for text in texts:
        if not text:
            continue
        text = text[:_SCAN_CHARS]
        shadow = _shadow(text)
        if shadow is None:
            shadow, hits = _tokenised(text, lang, stems)
        elif stems:
            hits = _find_hits(text, shadow, lang, stems, anchors)
        else:
            hits = []
        if hits:
            return _render(text, shadow, hits, words)
        if fallback is None and _WORD_BYTE.search(shadow):
            fallback = text, shadow
    if fallback is None:
        return ""
    return _render(*fallback, [], words)


@lru_cache(maxsize=8)
def _window(words):
    return re.compile(rb"[^ ]+(?: +[^ ]+){0,%d}" % (words - 1))


def _word_end_before(shadow, pos):
    """Where the last word before ``pos`` ends, 0 when there is none."""
    lo = max(0, pos - 64)
    end = len(shadow[lo:pos].rstrip())
    if end or not lo:
        return lo + end
    return len(shadow[:lo].rstrip())


def _word_index(shadow, hits, words):
    """Word index of each hit counted from the first, exact below ``words``."""
    # Words from one hit to the next: counting up to `words` of them is enough
    # to compare windows, and costs less than classifying every byte between.
    gaps = [
        len(shadow[a:b].split(None, words))
        for (a, _), (b, _) in zip(hits, hits[1:], strict=False)
    ]
    return list(accumulate(gaps, initial=0))


def _render(text, shadow, hits, words):
    if hits:
        top = 0
        if len(hits) > 1:
            index = _word_index(shadow, hits, words)
            # Densest window: the first hit whose next `words` words hold the
            # most hits.
            density = [bisect_left(index, h + words) - i for i, h in enumerate(index)]
            top = density.index(max(density))
        # Open the window three words before that hit.
        first = hits[top][0]
        for _ in range(3):
            end = first - 1
            if shadow[end - 1] == 32:  # more than one character between words
                end = _word_end_before(shadow, end)
            if not end:
                break
            first = shadow.rfind(b" ", 0, end) + 1
        earlier = _word_end_before(shadow, first) > 0
    else:
        first = _WORD_BYTE.search(shadow).start()
        earlier = False
    last = _window(words).match(shadow, first).end()
    later = _WORD_BYTE.search(shadow, last) is not None
    # Shadow offsets are text offsets + 1.
    marked = hits[bisect_left(hits, (first,)) : bisect_left(hits, (last,))]
    window = text[first - 1 : last - 1]
    # Document text is untrusted, all of it is escaped. Marks go in as control
    # characters that escape() leaves alone, unless the text has some itself.
    fast = "\x00" not in window and "\x01" not in window
    tags = ("\x00", "\x01") if fast else ("<mark>", "</mark>")
    pieces = []
    pos = first
    for start, end in marked:
        pieces += (
            text[pos - 1 : start - 1],
            tags[0],
            text[start - 1 : end - 1],
            tags[1],
        )
        pos = end
    pieces.append(text[pos - 1 : last - 1])
    if fast:
        window = escape("".join(pieces))
        window = window.replace("\x00", "<mark>").replace("\x01", "</mark>")
    else:
        window = "".join(
            p if i % 4 in (1, 3) else escape(p) for i, p in enumerate(pieces)
        )
    # Same as re.sub(r"\s+", " ", ...): both split on what str.isspace() says.
    html = " ".join(window.split())
    if earlier:
        html = "… " + html
    if later:
        html += " …"
    return html
