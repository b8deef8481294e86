"""What the home page lists: popular articles and recent forum topics (the
template shows an empty state for a list with nothing in it yet)."""

from django.utils import translation

from forum.selectors import recent_topics
from kb.selectors import popular_articles


def home_sections(request):
    lang = translation.get_language() or "fr"
    return {
        "popular_articles": popular_articles(lang=lang, limit=6),
        "recent_topics": recent_topics(lang=lang, limit=5),
    }
