"""The documents' sentence embeddings: written with the index, kept by a rebuild."""

from io import StringIO

import pytest
from django.core.management import call_command

from search import embeddings, services, vectors
from search.models import DocumentVector
from tests.search.test_posting_index import ARTICLES, article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _models():
    embeddings.reset()
    if not embeddings.available():
        pytest.skip("embedding models not installed")
    yield
    embeddings.reset()


def stored():
    return dict(DocumentVector.objects.values_list("document__doc_id", "vectors"))


def test_a_rebuild_embeds_only_the_text_that_changed(monkeypatch):
    services.documents_replace(ARTICLES)
    before = stored()
    assert len(before) == len(ARTICLES)
    embedded_texts = []
    real = embeddings.embed_for_matching

    def counting(texts, *, role):
        embedded_texts.extend(texts)
        return real(texts, role=role)

    monkeypatch.setattr(embeddings, "embed_for_matching", counting)
    edited = [*ARTICLES[:-1], article(7, "Box and modem", "Now a new body.", "en")]
    services.documents_replace(edited)
    after = stored()
    assert set(after) == set(before)
    assert all(text.startswith("Box and modem") for text in embedded_texts)
    assert embedded_texts
    changed = [d for d in after if bytes(after[d]) != bytes(before[d])]
    assert len(changed) == 1


@pytest.fixture
def indexed_without_models(monkeypatch):
    """ARTICLES indexed while the e5 engine could not load: no vectors."""
    with monkeypatch.context() as patch:
        patch.setattr(embeddings, "_cpu_has_avx2", lambda: False)
        embeddings.reset()
        services.documents_replace(ARTICLES)
    embeddings.reset()
    assert not DocumentVector.objects.exists()


def test_missing_vectors_are_embedded_a_few_per_post_until_none_is_left(
    indexed_without_models, monkeypatch
):
    # After a model change a post must not wait for the whole knowledge base
    # to be embedded (minutes, past any worker timeout).
    monkeypatch.setattr(vectors, "INLINE_EMBED", 2)
    french = len([a for a in ARTICLES if a["lang"] == "fr"])
    seen = []
    for _post in range(french):
        seen.append(len(vectors.vector_matrix("fr").doc_ids))
    assert seen[:4] == [2, 4, 6, 6]
    assert DocumentVector.objects.count() == french
    # Complete: the next posts read the cached matrix, nothing more to embed.
    assert vectors.vector_matrix("fr") is vectors.vector_matrix("fr")


def test_the_command_embeds_every_missing_document(indexed_without_models):
    out = StringIO()
    call_command("search_index", "vectors", "--no-progress", stdout=out)
    assert f"Embeddings: {len(ARTICLES)} documents embedded." in out.getvalue()
    assert DocumentVector.objects.count() == len(ARTICLES)
    out = StringIO()
    call_command("search_index", "status", stdout=out)
    assert "Documents without embeddings: 0" in out.getvalue()
