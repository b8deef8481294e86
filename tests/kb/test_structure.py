"""The KB page tree is built after ``migrate`` and never gets in a flush's way."""

import pytest
from django.core.management.sql import emit_post_migrate_signal
from wagtail.models import Page

from kb.models import CategoryPage, KnowledgeBaseIndexPage
from kb.services import structure
from kb.services.structure import category_upsert, kb_root

pytestmark = pytest.mark.django_db


def test_migrated_database_serves_a_kb_root_per_language(client):
    assert client.get("/fr/kb/").status_code == 200
    assert client.get("/en/kb/").status_code == 200


def test_post_migrate_after_a_flush_does_not_crash():
    # What `flush` does after pytest-django's transactional / live_server
    # tests: the tables are emptied (Wagtail's root page with them), then
    # post_migrate is sent. Emptying the page tree stands in for the TRUNCATE.
    Page.objects.filter(depth=1).delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert not Page.objects.exists()
    assert not KnowledgeBaseIndexPage.objects.exists()


def test_kb_root_without_a_page_tree_is_a_clear_error():
    Page.objects.filter(depth=1).delete()

    with pytest.raises(LookupError, match="page tree is missing"):
        kb_root("fr")


class PublishFailed(Exception):
    pass


def _failing_publish(revision, user=None):
    raise PublishFailed


def test_a_category_that_fails_to_publish_is_not_left_half_created(monkeypatch):
    root = kb_root("fr")
    monkeypatch.setattr(structure, "revision_publish", _failing_publish)

    with pytest.raises(PublishFailed):
        category_upsert(parent=root, title="Téléphonie", slug="telephonie")

    assert not CategoryPage.objects.filter(slug="telephonie").exists()
    assert root.get_children().count() == 0


def test_a_category_update_that_fails_is_rolled_back_whole(monkeypatch):
    root = kb_root("fr")
    old_parent, _status = category_upsert(parent=root, title="Ancienne", slug="old")
    new_parent, _status = category_upsert(parent=root, title="Nouvelle", slug="new")
    page, _status = category_upsert(
        parent=old_parent, title="Box", slug="box", source_key="box"
    )
    monkeypatch.setattr(structure, "revision_publish", _failing_publish)

    # Moved and renamed in one call: the publish at the end fails.
    with pytest.raises(PublishFailed):
        category_upsert(parent=new_parent, title="Box 2", slug="box", source_key="box")

    page = CategoryPage.objects.get(pk=page.pk)
    assert page.get_parent().pk == old_parent.pk
    assert page.title == "Box"
