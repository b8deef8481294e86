from io import StringIO

import pytest
from django.core.management import call_command

from kb.services.structure import category_upsert, kb_root
from kb.services.upsert import article_upsert
from search import services
from search.models import SearchDocument


def run(*args):
    out = StringIO()
    call_command("search_index", *args, "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def published(db):

    category, _ = category_upsert(parent=kb_root("en"), title="Billing")
    page, _ = article_upsert(
        parent=category, title="Refund of a double payment", body_markdown="Refunds."
    )
    return page


@pytest.mark.django_db
def test_rebuild_indexes_public_content_and_drops_stale_documents(published):
    services.document_upsert(
        {
            "kind": "article",
            "id": 999,
            "lang": "en",
            "title": "Stale refund",
            "url": "/",
        }
    )
    output = run("rebuild")
    assert "Embedded index: 1 documents." in output
    assert [h.id for h in services.search("refund", lang="en").results] == [
        f"article:{published.pk}"
    ]


@pytest.mark.django_db
def test_update_dry_run_changes_nothing_then_update_applies(published):
    SearchDocument.objects.all().delete()
    services.document_upsert(
        {"kind": "topic", "id": 5, "lang": "fr", "title": "Vieux sujet", "url": "/"}
    )
    output = run("update", "--dry-run")
    assert "would remove topic:5" in output
    assert "1 documents would be (re)indexed, 1 would be removed." in output
    assert SearchDocument.objects.filter(doc_id="topic:5").exists()
    output = run("update")
    assert "1 documents were (re)indexed, 1 were removed." in output
    assert list(SearchDocument.objects.values_list("doc_id", flat=True)) == [
        f"article:{published.pk}"
    ]


@pytest.mark.django_db
def test_status_counts_documents(published):
    run("rebuild")
    output = run("status")
    assert "Backend: embedded" in output
    assert "article  en: 1" in output
    assert "Documents: 1" in output
