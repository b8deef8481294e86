import pytest
from django.urls import reverse

from accounts import roles
from search.models import QueryLog
from search.views import click_signature
from tests.factories import UserFactory, user_with_role

API = "/api/search"


@pytest.mark.django_db
def test_api_returns_ranked_results_with_the_contract_fields(client, corpus):
    response = client.get(API, {"q": "rembourser", "lang": "fr"})
    assert response.status_code == 200
    data = response.json()
    assert data["backend"] == "embedded"
    assert data["degraded"] is False
    first = data["results"][0]
    assert {"kind", "title", "url", "snippet", "score", "source"} <= set(first)
    assert first["title"] == "Remboursement des factures d'électricité"
    assert first["source"] == "billing/refunds"
    assert first["url"] == "/fr/article/1/"
    assert "<mark>" in first["snippet"]


@pytest.mark.django_db
def test_api_kind_filter_and_null_source(client, corpus):
    data = client.get(API, {"q": "box", "lang": "fr", "kind": "topic"}).json()
    assert [r["kind"] for r in data["results"]] == ["topic", "topic"]
    assert all(r["source"] is None for r in data["results"])


@pytest.mark.django_db
def test_api_suggests_a_spelling(client, corpus):
    data = client.get(API, {"q": "remboursment", "lang": "fr"}).json()
    assert data["suggestion"] == "remboursement"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "?!"},
        {"q": "x" * 201},
        {"q": "box", "lang": "de"},
        {"q": "box", "kind": "tweet"},
        {"q": "box", "limit": "many"},
    ],
)
def test_api_bad_queries_get_a_400_with_a_message(client, params):
    response = client.get(API, params)
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.django_db
def test_api_queries_are_logged(client, corpus):
    client.get(API, {"q": "rembourser", "lang": "fr"})
    client.get(API, {"q": "zzzz inconnu", "lang": "fr"})
    logs = {log.query: log for log in QueryLog.objects.all()}
    assert logs["rembourser"].result_count == 1
    assert logs["zzzz inconnu"].result_count == 0
    assert logs["rembourser"].interface == "api"


@pytest.mark.django_db
def test_suggest_endpoint(client, corpus):
    data = client.get("/api/search/suggest", {"q": "rembou", "lang": "fr"}).json()
    assert "remboursement" in data["completions"]
    assert data["results"][0]["title"].startswith("Remboursement")
    assert client.get("/api/search/suggest", {"q": ""}).json()["completions"] == []
    assert client.get("/api/search/suggest", {"q": "x" * 300}).status_code == 400


@pytest.mark.django_db
def test_search_page_shows_results_facets_and_tracks_clicks(client, corpus):
    url = reverse("search:search")
    assert url == "/fr/search/"
    response = client.get(url, {"q": "box"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Configurer la box internet" in html
    assert "Ma box clignote en orange" in html
    assert "Résolu" in html or "Solved" in html
    assert 'role="search"' in html
    log = QueryLog.objects.get()
    assert log.result_count == 3 and log.interface == "page"
    assert f"sig={click_signature(log.pk)}" in html
    click = client.get(
        reverse("search:click", args=[log.pk]),
        {"to": "/fr/article/2/", "rank": 1, "sig": click_signature(log.pk)},
    )
    assert click.status_code == 302 and click["Location"] == "/fr/article/2/"
    log.refresh_from_db()
    assert log.clicked_url == "/fr/article/2/" and log.clicked_rank == 1


@pytest.mark.django_db
def test_click_tracking_refuses_foreign_sites(client, corpus):
    log = QueryLog.objects.create(
        query="box", normalized="box", result_count=1, backend="embedded"
    )
    response = client.get(
        reverse("search:click", args=[log.pk]), {"to": "https://evil.example/"}
    )
    assert response["Location"] == reverse("search:search")
    log.refresh_from_db()
    assert log.clicked_at is None


@pytest.mark.django_db
def test_search_page_facet_filters(client, corpus):
    html = client.get("/fr/search/", {"q": "box", "kind": "topic", "solved": "yes"})
    text = html.content.decode()
    assert "Ma box clignote en orange" in text
    assert "La box clignote toujours" not in text
    assert "Configurer la box internet" not in text


@pytest.mark.django_db
def test_search_page_friendly_messages(client, corpus):
    empty = client.get("/fr/search/")
    assert empty.status_code == 200
    too_long = client.get("/fr/search/", {"q": "x" * 500})
    assert too_long.status_code == 400
    assert "200" in too_long.content.decode()
    nothing = client.get("/en/search/", {"q": "qwertyuiop"})
    assert nothing.status_code == 200
    assert "Nothing matches yet" in nothing.content.decode()


@pytest.mark.django_db
def test_search_page_offers_the_did_you_mean_link(client, corpus):
    html = client.get("/fr/search/", {"q": "remboursment"}).content.decode()
    assert "?q=remboursement" in html


@pytest.mark.django_db
def test_site_search_forms_point_to_the_search_page(client):
    html = client.get("/fr/").content.decode()
    assert 'action="/fr/search/"' in html


@pytest.mark.django_db
def test_insights_page_is_for_staff_only(client, corpus):
    client.get(API, {"q": "rembourser", "lang": "fr"})
    client.get(API, {"q": "rembourser", "lang": "fr"})
    client.get(API, {"q": "zzzz", "lang": "fr"})
    url = reverse("search:insights")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(verified=True))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    response = client.get(url)
    assert response.status_code == 200
    insights = response.context["insights"]
    assert insights["searches"] == 3
    assert insights["top"][0]["normalized"] == "rembourser"
    assert insights["top"][0]["searches"] == 2
    assert [row["normalized"] for row in insights["zero_results"]] == ["zzzz"]
