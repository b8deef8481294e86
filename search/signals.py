"""Live indexing: content changes enqueue index tasks once committed.

A failure to enqueue is logged, never raised into the request that published
or posted something. Connected from ``SearchConfig.ready``.
"""

import logging

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from machina.apps.forum_conversation.models import Post, Topic
from wagtail.signals import page_published, page_unpublished

from forum.models import TopicSolution
from kb.models import ArticlePage
from search import services, tasks
from search.models import IndexState, SynonymGroup
from search.query import synonyms_changed as synonyms_bump

logger = logging.getLogger(__name__)


def _enqueue(task_name, *args):
    def run():
        try:
            getattr(tasks, task_name).enqueue(*args)
        except Exception:
            logger.exception("search: could not enqueue %s%r", task_name, args)

    transaction.on_commit(run)


def _is_article(instance):
    return isinstance(instance, ArticlePage) or instance.specific_class is ArticlePage


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
    synonyms_bump()


def rebuild_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """Posting lists that a migration marked as pending (0005), built by live code."""
    if using != DEFAULT_DB_ALIAS:
        return
    tables = connections[using].introspection.table_names()
    if IndexState._meta.db_table in tables:
        services.embedded_rebuild_pending()


def connect(app_config):
    post_migrate.connect(
        rebuild_after_migrate, sender=app_config, dispatch_uid="search-post-migrate"
    )
    page_published.connect(page_changed, dispatch_uid="search-page-published")
    page_unpublished.connect(page_changed, dispatch_uid="search-page-unpublished")
    for signal, handler, sender, uid in (
        (post_delete, article_deleted, ArticlePage, "article-del"),
        (post_save, post_changed, Post, "post-save"),
        (post_delete, post_changed, Post, "post-del"),
        (post_save, topic_changed, Topic, "topic-save"),
        (post_delete, topic_deleted, Topic, "topic-del"),
        (post_save, solution_changed, TopicSolution, "solution-save"),
        (post_delete, solution_changed, TopicSolution, "solution-del"),
        (post_save, synonyms_changed, SynonymGroup, "synonyms-save"),
        (post_delete, synonyms_changed, SynonymGroup, "synonyms-del"),
    ):
        signal.connect(handler, sender=sender, dispatch_uid=f"search-{uid}")
