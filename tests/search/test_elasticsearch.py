"""Elasticsearch backend without a server: mappings, query bodies, fallback."""

import logging

import pytest
from django.test import override_settings

from search import services
from search.backends import elastic
from search.models import IndexUpdate, SynonymGroup
from search.query import build_plan
from tests.factories import UserFactory

DOWN = "http://127.0.0.1:9"


def test_index_has_french_and_english_analyzers():
    body = elastic.index_body()
    analysis = body["settings"]["analysis"]
    french = analysis["analyzer"]["entraide_french"]["filter"]
    assert french == [
        "lowercase",
        "french_elision",
        "asciifolding",
        "french_stop",
        "french_stemmer",
    ]
    assert analysis["filter"]["french_elision"]["type"] == "elision"
    assert "qu" in analysis["filter"]["french_elision"]["articles"]
    assert analysis["filter"]["english_stemmer"] == {
        "type": "stemmer",
        "language": "english",
    }
    props = body["mappings"]["properties"]
    assert props["title"]["fields"]["fr"]["analyzer"] == "entraide_french"
    assert props["body"]["fields"]["en"]["analyzer"] == "entraide_english"
    assert props["title"]["fields"]["autocomplete"]["analyzer"] == (
        "entraide_autocomplete"
    )
    assert props["kind"]["type"] == "keyword"
    assert props["solved"]["type"] == "boolean"
    assert props["boost"]["type"] == "float"


@pytest.mark.django_db
def test_query_body_has_boosts_fuzziness_filters_and_function_score():
    SynonymGroup.objects.create(terms="box, modem, routeur")
    plan = build_plan("Ma box ne marche plus", "fr")
    body = elastic.build_search(
        [plan], kinds=["topic"], filters={"solved": True}, limit=5, offset=10
    ).to_dict()
    assert body["size"] == 5 and body["from"] == 10
    function_score = body["query"]["function_score"]
    assert function_score["functions"] == [
        {"field_value_factor": {"field": "boost", "missing": 1.0}}
    ]
    assert function_score["boost_mode"] == "multiply"
    query = function_score["query"]["bool"]
    assert query["filter"] == [
        {"term": {"lang": "fr"}},
        {"terms": {"kind": ["topic"]}},
        {"term": {"solved": True}},
    ]
    matches = [c["multi_match"] for c in query["should"] if "multi_match" in c]
    texts = {m["query"] for m in matches}
    # What people typed, plus the staff synonyms, analysed by Elasticsearch.
    assert {"box", "modem", "routeur", "marche"} <= texts
    assert all(m["fuzziness"] == "AUTO" for m in matches)
    assert "title.fr^5" in matches[0]["fields"]
    assert "body.fr^1" in matches[0]["fields"]


@pytest.mark.django_db
def test_query_body_for_both_languages_and_categories():
    plans = [build_plan("facture", "fr"), build_plan("facture", "en")]
    body = elastic.build_search(plans, filters={"category": "Billing"}).to_dict()
    per_lang = body["query"]["bool"]["should"]
    langs = [
        q["function_score"]["query"]["bool"]["filter"][0]["term"]["lang"]
        for q in per_lang
    ]
    assert langs == ["fr", "en"]
    assert {"term": {"category.raw": "Billing"}} in per_lang[0]["function_score"][
        "query"
    ]["bool"]["filter"]


@pytest.mark.django_db
@override_settings(ELASTICSEARCH_URL=DOWN)
def test_unreachable_elasticsearch_falls_back_to_embedded(corpus, caplog):
    with caplog.at_level(logging.WARNING, logger="search.services"):
        response = services.search("rembourser", lang="fr")
    assert response.degraded is True
    assert response.backend == "embedded"
    assert response.results[0].id == "article:1"
    assert "Elasticsearch unavailable" in caplog.text


@pytest.mark.django_db
@override_settings(ELASTICSEARCH_URL=DOWN)
def test_api_reports_degraded_mode(client, corpus):
    data = client.get("/api/search", {"q": "rembourser", "lang": "fr"}).json()
    assert data["degraded"] is True
    assert data["results"][0]["title"].startswith("Remboursement")


@pytest.mark.django_db
def test_updates_are_queued_while_elasticsearch_is_down_and_replayed(
    index_doc, monkeypatch
):
    with override_settings(ELASTICSEARCH_URL=DOWN):
        index_doc(id=1, title="Facture impayée")
        index_doc(id=2, title="Box en panne")
        services.document_delete(kind="article", id=2)
        assert list(IndexUpdate.objects.values_list("doc_id", "action")) == [
            ("article:1", "upsert"),
            ("article:2", "upsert"),
            ("article:2", "delete"),
        ]
        # Still down: nothing is lost, the attempt is counted.
        services.index_updates_retry()
        assert IndexUpdate.objects.count() == 3
        assert set(IndexUpdate.objects.values_list("attempts", flat=True)) == {1}
        assert services.backend_health()["degraded"] is True

        indexed, deleted = [], []
        monkeypatch.setattr(
            elastic, "index_documents", lambda rows: indexed.extend(rows)
        )
        monkeypatch.setattr(elastic, "delete_documents", deleted.extend)
        applied, left = services.index_updates_retry()
    assert (applied, left) == (3, 0)
    assert [row.doc_id for row in indexed] == ["article:1"]
    assert deleted == ["article:2"]


@pytest.mark.django_db
def test_search_health_when_elasticsearch_is_down(client, corpus):
    with override_settings(ELASTICSEARCH_URL=DOWN):
        public = client.get("/healthz")
        client.force_login(UserFactory(is_staff=True))
        staff = client.get("/healthz")
    # 503 with a short state for anyone; what failed, for staff only.
    assert public.status_code == staff.status_code == 503
    assert public.json()["checks"]["search"] == {"ok": False, "degraded": True}
    health = staff.json()["checks"]["search"]
    assert health["backend"] == "embedded"
    assert health["degraded"] is True
    assert health["elasticsearch"]["error"]
