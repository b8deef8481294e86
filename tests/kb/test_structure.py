"""The KB page tree is built after ``migrate`` and never gets in a flush's way."""

import pytest
from django.core.management import call_command
from wagtail.models import Page

from kb import services
from kb.models import KnowledgeBaseIndexPage

pytestmark = pytest.mark.django_db


def test_migrated_database_serves_a_kb_root_per_language(client):
    assert client.get("/fr/kb/").status_code == 200
    assert client.get("/en/kb/").status_code == 200


def test_flush_empties_the_database_without_the_kb_handler_crashing():
    # pytest-django flushes like this after transactional / live_server tests;
    # Django then sends post_migrate although Wagtail's root page is gone.
    call_command("flush", interactive=False, verbosity=0)

    assert not Page.objects.exists()
    assert not KnowledgeBaseIndexPage.objects.exists()


def test_kb_root_without_a_page_tree_is_a_clear_error():
    Page.objects.filter(depth=1).delete()

    with pytest.raises(LookupError, match="page tree is missing"):
        services.kb_root("fr")
