"""Anonymous article pages shared through deploy/nginx's micro-cache."""

import time

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token

from kb import cache


def shared_until_the_window_ends(response) -> bool:
    """nginx keeps it until the end of the current ten-second window."""
    value = response.get("X-Accel-Expires", "")
    return value.startswith("@") and -1 <= int(value[1:]) - time.time() < 10


def test_anonymous_article_pages_are_marked_for_the_proxy(kb, client):
    for expected in ("miss", "hit"):
        response = client.get(kb.article_fr.url)
        assert response["X-KB-Cache"] == expected
        # nginx shares it with every anonymous visitor until the window ends;
        # browsers keep their own private copy.
        assert shared_until_the_window_ends(response)
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


@pytest.mark.parametrize("page", ["/fr/", "/en/", "root_fr", "cat_fr", "cat_en"])
def test_home_kb_root_and_categories_are_shared_too(kb, client, page):
    url = page if page.startswith("/") else getattr(kb, page).url
    response = client.get(url)
    assert response.status_code == 200
    assert shared_until_the_window_ends(response)
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_pages_for_one_visitor_are_not_shared(kb, client, member):
    # A query string (search, ?helpful=) or a pending message: not shared.
    assert "X-Accel-Expires" not in client.get(kb.cat_fr.url + "?page=2")
    client.get("/i18n/setlang/", {"language": "en", "next": "/en/", "missing": "1"})
    assert "X-Accel-Expires" not in client.get("/en/")
    client.force_login(member)
    assert "X-Accel-Expires" not in client.get(kb.cat_fr.url)
    assert "X-Accel-Expires" not in client.get("/fr/")
