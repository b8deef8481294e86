"""Searches on a SQLite file read through pooled connections (see embedded.py)."""

import pytest
from django.conf import settings
from django.db import connections

from search import services
from search.backends import embedded

# Decided before the database is set up: transactional tests on PostgreSQL
# would also flush tables this test does not need.
sqlite_only = pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"],
    reason="pooled reads are for SQLite only",
)


@pytest.fixture
def pooled_reads(monkeypatch):
    """Searches as in production: outside a transaction, on a shared database."""
    connection = connections["default"]
    # The test database is in memory, but shared between connections of this
    # process (cache=shared), so a pooled connection reads the same data.
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False)
    yield
    with embedded._readers_lock:
        readers = embedded._readers[:]
        embedded._readers.clear()
    for _name, raw in readers:
        raw.close()


def ids(response):
    return [hit.id for hit in response.results]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_pooled_searches_see_every_new_commit(pooled_reads, index_doc):
    index_doc(id=1, title="Configurer la box internet", category="Internet")
    first = services.search("box", lang="fr")
    assert ids(first) == ["article:1"]
    assert first.results[0].category == "Internet"
    assert embedded._readers, "the search did not go through a pooled connection"

    # The same pooled connection must not keep an old snapshot.
    index_doc(id=2, title="Redémarrer la box", category="Internet")
    assert sorted(ids(services.search("box", lang="fr"))) == [
        "article:1",
        "article:2",
    ]
    services.document_delete(kind="article", id=1)
    assert ids(services.search("box", lang="fr")) == ["article:2"]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_pooled_hits_carry_solved_as_a_boolean(pooled_reads, index_doc):
    index_doc(
        kind="topic",
        id=7,
        title="Box sans internet",
        question="Ma box clignote en orange.",
        solved=True,
    )
    hit = services.search("box", lang="fr").results[0]
    assert hit.solved is True
    assert hit.id == "topic:7"
    assert "<mark>" in hit.snippet


@pytest.mark.django_db
def test_searches_inside_a_transaction_see_uncommitted_documents(index_doc):
    # Tests (and code inside atomic blocks) keep using Django's connection.
    index_doc(id=3, title="Facture en double")
    assert ids(services.search("facture", lang="fr")) == ["article:3"]
