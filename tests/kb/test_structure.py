"""The KB page tree is built after ``migrate`` and never gets in a flush's way."""

import pytest
from django.core.management.sql import emit_post_migrate_signal
from wagtail.models import Page

from kb import services
from kb.models import KnowledgeBaseIndexPage

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
        services.kb_root("fr")
