"""Keep the KB tree present and the page cache honest."""

from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from kb.cache import kb_cache_invalidate
from kb.models import ArticlePage, CategoryPage, KnowledgeBaseIndexPage
from kb.services.structure import kb_structure_ensure


def _ensure_structure(sender, app_config=None, using="default", **kwargs):
    # post_migrate is sent once per app once every migration has run.
    if app_config is None or app_config.label != "kb":
        return
    tables = connections[using].introspection.table_names()
    if KnowledgeBaseIndexPage._meta.db_table not in tables:
        return
    # After a flush the tables exist but Wagtail's root page does not: there
    # is nothing to build on, and a crash here would break the flush.
    if not Page.objects.using(using).filter(depth=1).exists():
        return
    kb_structure_ensure()


def _invalidate(sender, **kwargs):
    kb_cache_invalidate()


def connect():
    post_migrate.connect(_ensure_structure, dispatch_uid="kb.ensure_structure")
    page_published.connect(_invalidate, dispatch_uid="kb.cache_published")
    page_unpublished.connect(_invalidate, dispatch_uid="kb.cache_unpublished")
    post_page_move.connect(_invalidate, dispatch_uid="kb.cache_moved")
    # Deleting or restricting a page changes what anonymous visitors may see.
    for model in (ArticlePage, CategoryPage, KnowledgeBaseIndexPage):
        post_delete.connect(
            _invalidate, sender=model, dispatch_uid=f"kb.cache_deleted.{model.__name__}"
        )
    for signal in (post_save, post_delete):
        signal.connect(
            _invalidate,
            sender=PageViewRestriction,
            dispatch_uid=f"kb.cache_restriction.{signal is post_save}",
        )
