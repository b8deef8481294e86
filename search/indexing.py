"""Documents from the knowledge base and the forum, through their providers.

Articles describe themselves (``ArticlePage.search_document``); topics are
described by ``forum.selectors`` (``topic_search_document`` for one topic,
``public_topic_documents`` for a full reindex in a fixed number of queries).
"""

from machina.apps.forum_conversation.models import Topic

from forum import selectors as forum_selectors
from kb.models import ArticlePage


def public_articles():
    return ArticlePage.objects.live().public().specific()


def article_document(page_id):
    """The article's document, or None when it is not live and public."""
    page = public_articles().filter(pk=page_id).first()
    return page.search_document() if page is not None else None


def topic_document(topic_id):
    topic = Topic.objects.filter(pk=topic_id).first()
    return forum_selectors.topic_search_document(topic) if topic is not None else None


def all_documents():
    """(count, iterator of document dicts) of every public article and topic."""
    articles = public_articles()
    topic_count, topic_docs = forum_selectors.public_topic_documents()

    def generate():
        for page in articles.iterator(chunk_size=200):
            doc = page.search_document()
            if doc:
                yield doc
        yield from topic_docs

    return articles.count() + topic_count, generate()
