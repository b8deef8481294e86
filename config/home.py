"""What the home page shows. Each section degrades to an empty state while the
app that fills it has nothing to show yet."""

from django.urls import NoReverseMatch, reverse


def _url(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def home_sections(request):
    from django.utils import translation

    lang = translation.get_language() or "fr"
    context = {
        "kb_url": _url("kb:index"),
        "forum_url": _url("forum:index"),
        "support_url": _url("support:ticket_create"),
        "popular_articles": [],
        "recent_topics": [],
    }
    try:
        from kb.selectors import popular_articles

        context["popular_articles"] = popular_articles(lang=lang, limit=6)
    except ImportError:
        pass
    try:
        from forum.selectors import recent_topics

        context["recent_topics"] = recent_topics(lang=lang, limit=5)
    except ImportError:
        pass
    return context
