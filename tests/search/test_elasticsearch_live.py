"""Live Elasticsearch suite: runs only when ELASTICSEARCH_URL is set.

ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/pytest -m elasticsearch tests/search
"""

import os
import uuid

import pytest
from django.test import override_settings

from search import services
from search.backends import elastic
from search.models import IndexUpdate, SearchDocument

URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(not URL, reason="ELASTICSEARCH_URL is not set"),
]


@pytest.fixture
def live_es(db):
    prefix = f"entraide-test-{uuid.uuid4().hex[:8]}"
    with override_settings(ELASTICSEARCH_URL=URL, ELASTICSEARCH_INDEX_PREFIX=prefix):
        yield elastic.client()
        elastic.client().indices.delete(index=f"{prefix}-*", ignore_unavailable=True)


def test_live_index_search_rebuild_and_delete(live_es, corpus):
    assert IndexUpdate.objects.count() == 0
    response = services.search("rembourser", lang="fr")
    assert response.backend == "elasticsearch" and not response.degraded
    assert response.results[0].id == "article:1"
    assert services.search("refunded", lang="en").results[0].id == "article:3"
    first = elastic.count()
    name = elastic.rebuild(SearchDocument.objects.all())
    assert live_es.indices.get_alias(name=elastic.alias_name()).keys() == {name}
    assert elastic.count() == first
    services.document_delete(kind="article", id=1)
    assert "article:1" not in [h.id for h in services.search("remboursement").results]
