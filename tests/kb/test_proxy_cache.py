"""Anonymous article pages shared through deploy/nginx's micro-cache."""

from django.http import HttpResponse
from django.middleware.csrf import get_token

from kb import cache


def test_anonymous_article_pages_are_marked_for_the_proxy(kb, client):
    for expected in ("miss", "hit"):
        response = client.get(kb.article_fr.url)
        assert response["X-KB-Cache"] == expected
        # nginx keeps it 60 s for every anonymous visitor; browsers their own
        # private 60 s.
        assert response["X-Accel-Expires"] == "60"
        assert "private" in response["Cache-Control"]
        headers = list(response.headers)
        assert headers.index("X-Accel-Expires") < headers.index("Cache-Control")
        # What nginx must never share: a cookie or a visitor's token.
        assert not response.cookies
        assert "csrfmiddlewaretoken" not in response.content.decode()


def test_signed_in_pages_are_not_for_the_proxy(kb, client, member):
    client.force_login(member)
    response = client.get(kb.article_fr.url)
    assert "X-Accel-Expires" not in response
    assert "no-store" in response["Cache-Control"]


def test_a_page_that_used_a_visitor_token_is_not_stored(kb, rf, client):
    # A form added to the article template would ask for the visitor's token:
    # that page must not be shared.
    request = rf.get(kb.article_fr.url)
    get_token(request)
    response = cache.page_cache_store(
        request,
        HttpResponse("page"),
        page=kb.article_fr,
        generation=cache.generation(),
    )
    assert "X-Accel-Expires" not in response
    assert "no-cache" in response["Cache-Control"]
    assert client.get(kb.article_fr.url)["X-KB-Cache"] == "miss"
