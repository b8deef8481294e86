"""Full reindex cost, programming errors versus outages, the 0005 upgrade path."""

import importlib
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from forum.services import (
    forum_create,
    post_create,
    topic_create,
    topic_solution_mark,
)
from search import services
from search.backends import elastic, embedded
from search.models import IndexState, SearchDocument

DOWN = "http://127.0.0.1:9"


def rebuild():
    out = StringIO()
    call_command("search_index", "rebuild", "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def forum(db):
    category = forum_create(name="Communauté", lang="fr", category=True)
    return forum_create(name="Internet", lang="fr", parent=category, is_default=True)


def add_topics(forum, author, helper, count, start):
    for n in range(start, start + count):
        topic = topic_create(
            forum=forum,
            user=author,
            subject=f"Box numéro {n} qui redémarre",
            content=f"Ma box {n} redémarre la nuit.",
        )
        reply = post_create(topic=topic, user=helper, content="Changez le câble.")
        post_create(topic=topic, user=author, content="Merci, je teste.")
        if n % 2:
            topic_solution_mark(topic=topic, post=reply, user=author)


def test_full_reindex_queries_do_not_grow_with_the_number_of_topics(
    forum, trusted, moderator, django_assert_max_num_queries
):
    add_topics(forum, trusted, moderator, 2, start=0)
    # Measure rebuilds that both replace an existing index (rows and vectors).
    rebuild()
    with CaptureQueriesContext(connection) as few:
        assert "Embedded index: 2 documents." in rebuild()
    add_topics(forum, trusted, moderator, 10, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Embedded index: 12 documents." in rebuild()
    # Same documents as the one-topic path builds (live indexing).
    solved = SearchDocument.objects.get(title="Box numéro 1 qui redémarre")
    assert solved.solved is True
    assert solved.symptoms == "Changez le câble."
    assert solved.body == "Merci, je teste."
    hits = services.search("box numéro 7", lang="fr").results
    assert hits[0].title == "Box numéro 7 qui redémarre"


@pytest.mark.django_db
@override_settings(ELASTICSEARCH_URL=DOWN)
def test_a_bug_building_the_elasticsearch_query_is_raised_not_hidden(
    monkeypatch, index_doc
):
    index_doc(id=1, title="Box en panne")
    cache.delete(services._ES_PAUSE_KEY)  # the update above found it down

    def broken_query(*args, **kwargs):
        raise TypeError("build_query() got an unexpected keyword argument 'lang'")

    monkeypatch.setattr(elastic, "build_search", broken_query)
    with pytest.raises(TypeError):
        services.search("box", lang="fr")
    # Not taken for an outage: Elasticsearch is not switched off for 30 s.
    assert cache.get(services._ES_PAUSE_KEY) is None
    monkeypatch.undo()
    # A real outage (nothing listens on port 9) still degrades to the embedded index.
    response = services.search("box", lang="fr")
    assert response.degraded is True
    assert [hit.id for hit in response.results] == ["article:1"]
    assert cache.get(services._ES_PAUSE_KEY) is True


@pytest.mark.django_db
def test_documents_stored_before_0005_are_searchable_after_migrate(index_doc):
    index_doc(id=1, lang="fr", title="Facture payée deux fois")
    index_doc(id=2, lang="en", title="Router keeps rebooting")
    # A database as 0005 finds it: documents, no posting lists yet.
    embedded.clear()
    assert services.search("facture", lang="fr").results == []
    migration = importlib.import_module("search.migrations.0005_posting_lists")
    migration.mark_rebuild_pending(django_apps, connection.schema_editor())
    assert IndexState.objects.filter(token=migration.REBUILD_PENDING).count() == 2
    assert migration.REBUILD_PENDING == services.REBUILD_PENDING

    call_command("migrate", verbosity=0)  # post_migrate builds them

    assert [h.id for h in services.search("facture", lang="fr").results] == [
        "article:1"
    ]
    assert [h.id for h in services.search("router", lang="en").results] == ["article:2"]
    assert not IndexState.objects.filter(token=services.REBUILD_PENDING).exists()
    # Nothing pending: the next migrate leaves the index alone.
    assert services.embedded_rebuild_pending() == 0
