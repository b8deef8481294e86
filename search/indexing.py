"""Documents from the knowledge base and the forum, through their providers.

The providers belong to the kb and forum apps (see search/README.md); they
are imported lazily so that search keeps working while either app is absent.
"""

import logging

from django.apps import apps

logger = logging.getLogger(__name__)


def article_model():
    try:
        return apps.get_model("kb", "ArticlePage")
    except LookupError:
        return None


def topic_model():
    try:
        return apps.get_model("forum_conversation", "Topic")
    except LookupError:
        return None


def public_articles():
    model = article_model()
    if model is None or not hasattr(model, "search_document"):
        return None
    return model.objects.live().public().specific()


def article_document(page_id):
    """The article's document, or None when it is not live and public."""
    queryset = public_articles()
    if queryset is None:
        return None
    page = queryset.filter(pk=page_id).first()
    return page.search_document() if page is not None else None


def _forum_selectors():
    try:
        from forum import selectors
    except ImportError:
        return None
    if not hasattr(selectors, "topic_search_document"):
        return None
    return selectors


def topic_document(topic_id):
    selectors = _forum_selectors()
    model = topic_model()
    if selectors is None or model is None:
        return None
    topic = model.objects.filter(pk=topic_id).first()
    return selectors.topic_search_document(topic) if topic is not None else None


def all_documents():
    """(count, iterator of document dicts) of every public article and topic."""
    articles = public_articles()
    selectors = _forum_selectors()
    topics = selectors.public_topics() if selectors is not None else None
    count = (articles.count() if articles is not None else 0) + (
        topics.count() if topics is not None else 0
    )

    def generate():
        if articles is not None:
            for page in articles.iterator(chunk_size=200):
                doc = page.search_document()
                if doc:
                    yield doc
        if topics is not None:
            for topic in topics.iterator(chunk_size=200):
                doc = selectors.topic_search_document(topic)
                if doc:
                    yield doc

    return count, generate()
