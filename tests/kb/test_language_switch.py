"""Switching language lands on the page's own translation (issue 13, item 8)."""

import re

import pytest


def switch(client, page_html, lang):
    """Submit the header's language form as the browser would."""
    form = page_html.split('class="lang-switch"', 1)[1].split("</form>", 1)[0]
    data = dict(
        re.findall(r'<input name="([^"]+)" type="hidden" value="([^"]*)"', form)
    )
    data["language"] = lang
    return client.post("/i18n/setlang/", data)


@pytest.mark.parametrize(
    ("source", "target"),
    [("cat_fr", "cat_en"), ("article_fr", "article_en"), ("root_fr", "root_en")],
)
def test_switch_goes_to_the_translation_with_its_own_slug(client, kb, source, target):
    html = client.get(getattr(kb, source).url).content.decode()
    expected = getattr(kb, target).url
    assert (
        f'<link rel="alternate" hreflang="en" href="http://testserver{expected}">'
        in (html)
    )
    response = switch(client, html, "en")
    assert response.status_code == 302 and response["Location"] == expected
    assert client.get(expected).status_code == 200


def test_switch_back_from_english(client, kb):
    html = client.get(kb.cat_en.url).content.decode()
    assert 'hreflang="fr"' in html
    assert switch(client, html, "fr")["Location"] == kb.cat_fr.url


def test_a_page_without_translation_says_so(client, kb):
    html = client.get(kb.other_fr.url).content.decode()
    assert 'hreflang="en"' not in html
    assert "(non traduite : page d’accueil)" in html
    response = switch(client, html, "en")
    assert response["Location"] == "/en/"
    page = client.get("/en/").content.decode()
    assert "This page has no version in this language yet." in page


def test_django_pages_keep_their_path(client, db):
    html = client.get("/fr/forum/").content.decode()
    assert 'hreflang="en" href="http://testserver/en/forum/"' in html
    assert switch(client, html, "en")["Location"] == "/en/forum/"
