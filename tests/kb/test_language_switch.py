"""Switching language lands on the page's own translation (issue 13, item 8)."""

import html
import re

import pytest


def switch(client, page_html, lang):
    """Follow the header's link to ``lang`` as the browser would."""
    nav = page_html.split('class="lang-switch"', 1)[1].split("</nav>", 1)[0]
    href = re.search(rf'<a href="([^"]+)" lang="{lang}"', nav).group(1)
    return client.get(html.unescape(href))


@pytest.mark.parametrize(
    ("source", "target"),
    [("cat_fr", "cat_en"), ("article_fr", "article_en"), ("root_fr", "root_en")],
)
def test_switch_goes_to_the_translation_with_its_own_slug(client, kb, source, target):
    page = client.get(getattr(kb, source).url).content.decode()
    expected = getattr(kb, target).url
    assert (
        f'<link rel="alternate" hreflang="en" href="http://testserver{expected}">'
        in page
    )
    response = switch(client, page, "en")
    assert response.status_code == 302 and response["Location"] == expected
    assert client.get(expected).status_code == 200


def test_switch_back_from_english(client, kb):
    page = client.get(kb.cat_en.url).content.decode()
    assert 'rel="alternate" hreflang="fr"' in page
    assert switch(client, page, "fr")["Location"] == kb.cat_fr.url


def test_a_page_without_translation_says_so(client, kb):
    page = client.get(kb.other_fr.url).content.decode()
    assert 'rel="alternate" hreflang="en"' not in page
    assert "(non traduite : page d’accueil)" in page
    response = switch(client, page, "en")
    assert response["Location"] == "/en/"
    page = client.get("/en/").content.decode()
    assert "This page has no version in this language yet." in page


def test_django_pages_keep_their_path(client, db):
    page = client.get("/fr/forum/").content.decode()
    assert 'hreflang="en" href="http://testserver/en/forum/"' in page
    assert switch(client, page, "en")["Location"] == "/en/forum/"


def test_the_choice_is_remembered_for_the_bare_address(client, db):
    page = client.get("/fr/forum/").content.decode()
    switch(client, page, "en")
    # `/` follows the choice, not the browser's French.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR")["Location"] == "/en/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/\t/evil.example",
    ],
)
def test_the_switch_never_leaves_the_site(client, db, target):
    response = client.get("/i18n/setlang/", {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == "/en/"


def test_an_unknown_language_is_a_clear_400(client, db):
    response = client.get("/i18n/setlang/", {"language": "xx", "next": "/fr/"})
    assert response.status_code == 400
