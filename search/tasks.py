"""Index updates, run through django-tasks (immediate by default)."""

from django_tasks import task

from search import indexing, services


@task()
def article_reindex(page_id):
    """Index a published article, or drop it when it is no longer public."""
    doc = indexing.article_document(page_id)
    if doc is None:
        services.document_delete(kind="article", id=f"article:{page_id}")
        return "deleted"
    services.document_upsert(doc)
    return "indexed"


@task()
def topic_reindex(topic_id):
    """Index a public topic, or drop it (unapproved, hidden, deleted)."""
    doc = indexing.topic_document(topic_id)
    if doc is None:
        services.document_delete(kind="topic", id=f"topic:{topic_id}")
        return "deleted"
    services.document_upsert(doc)
    return "indexed"


@task()
def document_remove(kind, doc_id):
    services.document_delete(kind=kind, id=doc_id)
    return "deleted"


@task()
def index_updates_retry():
    applied, queued = services.index_updates_retry()
    return {"applied": applied, "queued": queued}
