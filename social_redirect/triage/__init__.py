"""Pure triage functions: language, unhappiness, private signals, query cleaning.

Nothing here touches the database, so the batch command and the bench can
call them at full speed and the tests can check them on plain strings.
"""

from social_redirect.triage.language import detect_language
from social_redirect.triage.signals import private_signals
from social_redirect.triage.text import addressed_brand_words, clean_for_search
from social_redirect.triage.unhappiness import UNHAPPY_THRESHOLD, unhappiness

__all__ = [
    "UNHAPPY_THRESHOLD",
    "addressed_brand_words",
    "clean_for_search",
    "detect_language",
    "private_signals",
    "unhappiness",
]
