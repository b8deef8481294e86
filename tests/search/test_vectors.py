"""The documents' sentence embeddings: written with the index, kept by a rebuild."""

import pytest

from search import embeddings, services
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
