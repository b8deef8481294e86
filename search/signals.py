"""Live indexing: content changes enqueue index tasks once committed.

Senders are named lazily ("app_label.Model") so nothing is connected for a
model that does not exist yet, and a failure to enqueue is logged, never
raised into the request that published or posted something.
"""

import logging

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)


FORUM_APP = "community_forum"


def _enqueue(task_name, *args):
    def run():
        from search import tasks

        try:
            getattr(tasks, task_name).enqueue(*args)
        except Exception:
            logger.exception("search: could not enqueue %s%r", task_name, args)

    transaction.on_commit(run)


def _is_article(instance):
    from search.indexing import article_model

    model = article_model()
    return model is not None and (
        isinstance(instance, model) or instance.specific_class is model
    )


def page_changed(sender, instance, **kwargs):
    if _is_article(instance):
        _enqueue("article_reindex", instance.pk)


def article_deleted(sender, instance, **kwargs):
    _enqueue("document_remove", "article", f"article:{instance.pk}")


def post_changed(sender, instance, raw=False, **kwargs):
    if raw or not instance.topic_id:
        return
    _enqueue("topic_reindex", instance.topic_id)


def topic_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _enqueue("topic_reindex", instance.pk)


def topic_deleted(sender, instance, **kwargs):
    _enqueue("document_remove", "topic", f"topic:{instance.pk}")


def solution_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _enqueue("topic_reindex", instance.topic_id)


def synonyms_changed(sender, **kwargs):
    from search.query import synonyms_changed as bump

    bump()


def connect():
    from wagtail.signals import page_published, page_unpublished

    page_published.connect(page_changed, dispatch_uid="search-page-published")
    page_unpublished.connect(page_changed, dispatch_uid="search-page-unpublished")
    for signal, handler, (app_label, model_name), uid in (
        (post_delete, article_deleted, ("kb", "ArticlePage"), "article-del"),
        (post_save, post_changed, ("forum_conversation", "Post"), "post-save"),
        (post_delete, post_changed, ("forum_conversation", "Post"), "post-del"),
        (post_save, topic_changed, ("forum_conversation", "Topic"), "topic-save"),
        (post_delete, topic_deleted, ("forum_conversation", "Topic"), "topic-del"),
        (post_save, solution_changed, (FORUM_APP, "TopicSolution"), "solution-save"),
        (post_delete, solution_changed, (FORUM_APP, "TopicSolution"), "solution-del"),
        (post_save, synonyms_changed, ("search", "SynonymGroup"), "synonyms-save"),
        (post_delete, synonyms_changed, ("search", "SynonymGroup"), "synonyms-del"),
    ):
        # Models of apps still being built may be missing: skip them.
        try:
            sender = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        signal.connect(handler, sender=sender, dispatch_uid=f"search-{uid}")
