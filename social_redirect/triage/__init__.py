"""Triage of a social post: language, unhappiness, what it asks for, and the
article or private channel that answers it.

The modules named after a signal (``language``, ``unhappiness``, ``cues``,
``text``) are pure functions on strings. ``intents`` and ``matching`` read
the search index and the embedding model; ``confidence`` turns match scores
into the levels community managers see.
"""

from social_redirect.triage.cues import personal_cues
from social_redirect.triage.language import detect_language
from social_redirect.triage.text import addressed_brand_words, clean_for_search
from social_redirect.triage.unhappiness import UNHAPPY_THRESHOLD, unhappiness

__all__ = [
    "UNHAPPY_THRESHOLD",
    "addressed_brand_words",
    "clean_for_search",
    "detect_language",
    "personal_cues",
    "unhappiness",
]
