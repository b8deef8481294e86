"""Index updates, run through django-tasks (immediate by default)."""

from django_tasks import task

from search import indexing, services


def _document_sync(kind, object_id, doc):
    """Index ``doc``, or drop the indexed ``kind:object_id`` when there is none."""
    if doc is None:
        services.document_delete(kind=kind, id=f"{kind}:{object_id}")
        return "deleted"
    services.document_upsert(doc)
    return "indexed"


@task()
def article_reindex(page_id):
    """Index a published article, or drop it when it is no longer public."""
    return _document_sync("article", page_id, indexing.article_document(page_id))


@task()
def topic_reindex(topic_id):
    """Index a public topic, or drop it (unapproved, hidden, deleted)."""
    return _document_sync("topic", topic_id, indexing.topic_document(topic_id))


@task()
def document_remove(kind, doc_id):
    services.document_delete(kind=kind, id=doc_id)
    return "deleted"


@task()
def index_updates_retry():
    applied, queued = services.index_updates_retry()
    return {"applied": applied, "queued": queued}
