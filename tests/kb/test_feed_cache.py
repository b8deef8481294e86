from xml.etree import ElementTree

from django.test import Client

from kb.services.upsert import article_upsert
from tests.kb.helpers import fresh

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_lists_recent_articles_per_language(kb, client):
    fr = client.get("/fr/kb/feed/")
    assert fr["Content-Type"].startswith("application/atom+xml")
    titles = [e.text for e in ElementTree.fromstring(fr.content).iter(f"{ATOM}title")]
    assert "Ma box clignote" in titles and "My box is blinking" not in titles
    en = client.get("/en/kb/feed/")
    titles = [e.text for e in ElementTree.fromstring(en.content).iter(f"{ATOM}title")]
    assert "My box is blinking" in titles and "Ma box clignote" not in titles


def test_anonymous_pages_come_from_the_cache_until_publish(kb, client):
    first = client.get(kb.article_fr.url)
    assert first["X-KB-Cache"] == "miss"
    assert (
        "private" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    )
    assert first["ETag"] and first["Last-Modified"]
    second = client.get(kb.article_fr.url)
    assert second["X-KB-Cache"] == "hit"
    assert "Redémarrer la box" in second.content.decode()
    article_upsert(
        parent=kb.cat_fr,
        title="Ma box clignote",
        slug="box-clignote",
        body_markdown="Nouvelle procédure publiée.",
        summary=fresh(kb.article_fr).summary,
        tags=["box", "voyant"],
        symptoms=fresh(kb.article_fr).symptoms,
    )
    third = client.get(kb.article_fr.url)
    assert third["X-KB-Cache"] == "miss"
    assert "Nouvelle procédure publiée." in third.content.decode()


def test_anonymous_pages_are_the_same_bytes_for_everyone(kb, client):
    first = client.get(kb.article_fr.url)
    second = Client().get(kb.article_fr.url)
    assert second["X-KB-Cache"] == "hit"
    assert first.content == second.content
    # No per-visitor token, no cookie: a shared cache may hand it to anyone.
    assert "csrfmiddlewaretoken" not in second.content.decode()
    assert not first.cookies and not second.cookies


def test_signed_in_pages_keep_their_csrf_token(kb, client, member):
    client.force_login(member)
    page = client.get(kb.article_fr.url).content.decode()
    # The sign-out form is protected as before.
    assert 'name="csrfmiddlewaretoken"' in page


def test_cache_hit_skips_the_page_tree(kb, client, django_assert_max_num_queries):
    client.get(kb.article_fr.url)
    with django_assert_max_num_queries(1):
        assert client.get(kb.article_fr.url)["X-KB-Cache"] == "hit"


def test_conditional_get_returns_304(kb, client):
    etag = client.get(kb.article_fr.url)["ETag"]
    assert (
        client.get(kb.article_fr.url, headers={"if-none-match": etag}).status_code
        == 304
    )


def test_signed_in_pages_are_not_cached(kb, client, member):
    client.force_login(member)
    response = client.get(kb.article_fr.url)
    assert "X-KB-Cache" not in response
    assert "no-store" in response["Cache-Control"]
    assert (
        "Modifier" in response.content.decode() or "Edit" in response.content.decode()
    )


def test_pages_with_a_query_are_rendered_fresh(kb, client):
    client.get(kb.article_fr.url)
    response = client.get(kb.article_fr.url + "?via=abc")
    assert "X-KB-Cache" not in response
    assert "no-cache" in response["Cache-Control"]
