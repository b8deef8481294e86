"""The embedded index: posting lists split in blocks, kept exact through edits."""

import pytest

from search import services
from search.backends import embedded
from search.models import PostingBlock


def ids(response):
    return [hit.id for hit in response.results]


def scores(response):
    return {hit.id: hit.score for hit in response.results}


def article(id, title, body="", lang="fr", **fields):
    return {
        "kind": "article",
        "id": id,
        "lang": lang,
        "title": title,
        "body": body,
        "url": f"/{lang}/kb/{id}/",
        **fields,
    }


ARTICLES = [
    article(1, "Configurer la box internet", "Reliez la box au téléphone."),
    article(2, "Redémarrer la box", "Débranchez la box puis rebranchez-la."),
    article(3, "Changer le mot de passe wifi", "La box affiche le mot de passe."),
    article(4, "Facture en double", "Une facture payée deux fois est remboursée."),
    article(5, "Box internet en panne", "Le voyant de la box clignote en rouge."),
    article(6, "Résilier la box", "La résiliation de la box prend dix jours."),
    article(7, "Box and modem", "English words in a French article.", lang="en"),
]


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of two documents, so that every list spans several rows."""
    monkeypatch.setattr(embedded, "BLOCK_SIZE", 2)


@pytest.mark.django_db
def test_lists_spanning_many_blocks_find_every_document(small_blocks):
    for doc in ARTICLES:
        services.document_upsert(doc)

    assert PostingBlock.objects.filter(lang="fr", term="box").count() >= 3
    found = services.search("box", lang="fr", limit=20)
    assert sorted(ids(found)) == [f"article:{n}" for n in (1, 2, 3, 5, 6)]


@pytest.mark.django_db
def test_edits_and_deletes_keep_the_index_exact(small_blocks):
    for doc in ARTICLES:
        services.document_upsert(doc)
    services.document_upsert(article(2, "Redémarrer le routeur", "Débranchez-le."))
    services.document_delete(kind="article", id=5)

    assert sorted(ids(services.search("box", lang="fr", limit=20))) == [
        "article:1",
        "article:3",
        "article:6",
    ]
    assert ids(services.search("routeur", lang="fr")) == ["article:2"]
    assert ids(services.search("panne", lang="fr")) == []


@pytest.mark.django_db
def test_bulk_rebuild_and_one_by_one_indexing_rank_the_same(small_blocks):
    for doc in ARTICLES:
        services.document_upsert(doc)
    one_by_one = services.search("box internet panne", lang="fr", limit=20)

    services.documents_replace(ARTICLES)
    rebuilt = services.search("box internet panne", lang="fr", limit=20)

    assert ids(rebuilt) == ids(one_by_one)
    assert scores(rebuilt) == pytest.approx(scores(one_by_one))
    assert ids(rebuilt)[0] == "article:5"


@pytest.mark.django_db
def test_words_side_by_side_rank_above_the_same_words_apart():
    services.document_upsert(
        article(1, "Mot clé oublié", "Le mot que vous cherchez est dans la passe.")
    )
    services.document_upsert(
        article(2, "Identifiants oubliés", "Changez votre mot de passe oublié ici.")
    )
    assert ids(services.search("mot de passe oublié", lang="fr"))[0] == "article:2"


@pytest.mark.django_db
def test_a_document_changing_language_leaves_the_old_language():
    services.document_upsert(article(1, "Configurer la box", lang="fr"))
    services.document_upsert(article(1, "Setting up the box", lang="en"))
    assert ids(services.search("configurer", lang="fr")) == []
    assert ids(services.search("setting", lang="en")) == ["article:1"]


@pytest.mark.django_db
def test_languages_are_scored_apart():
    """A French search never returns an English page, even on a shared word."""
    for doc in ARTICLES:
        services.document_upsert(doc)
    assert "article:7" not in ids(services.search("box", lang="fr", limit=20))
    assert ids(services.search("box", lang="en")) == ["article:7"]
