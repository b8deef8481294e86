"""A KB article with ``>`` and ``"`` in its body reads the same in search snippets.

The snippet is HTML (``<mark>`` around the matched words): what the article says
must be escaped exactly once in it, so that the browser shows ``>`` and ``"``.
"""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from kb.services.structure import category_upsert, kb_root
from kb.services.upsert import article_upsert

BODY = (
    'Dans Domaines > Zone DNS, ajoutez : @ TXT "v=spf1 include:_spf.example ~all" '
    "puis enregistrez (Q&R)."
)


@pytest.fixture
def spf_article(db, django_capture_on_commit_callbacks):
    category, _status = category_upsert(parent=kb_root("fr"), title="E-mail")
    with django_capture_on_commit_callbacks(execute=True):
        page, _status = article_upsert(
            parent=category,
            title="Configurer SPF pour votre domaine",
            body_markdown=BODY,
            summary="Un enregistrement TXT à ajouter.",
            publish=True,
        )
    return page


def _escaped_once(snippet):
    # What the browser displays from this HTML fragment.
    shown = html.unescape(snippet.replace("<mark>", "").replace("</mark>", ""))
    assert "Domaines > Zone DNS" in shown
    assert '"v=spf1' in shown
    assert "(Q&R" in shown
    assert "&gt;" not in shown and "&quot;" not in shown and "&amp;" not in shown


def test_api_snippet_is_escaped_once(client, spf_article):
    data = client.get("/api/search", {"q": "zone dns spf", "lang": "fr"}).json()
    snippet = data["results"][0]["snippet"]
    _escaped_once(snippet)
    assert "<mark>" in snippet


def test_search_page_shows_the_article_text_as_written(client, spf_article):
    with translation.override("fr"):
        url = reverse("search:search")
    response = client.get(url, {"q": "zone dns spf"})
    assert response.status_code == 200
    content = response.content.decode()
    start = content.index('<p class="snippet">') + len('<p class="snippet">')
    snippet = content[start : content.index("</p>", start)]
    _escaped_once(snippet)
    # Markup in the article text stays text.
    assert "<script" not in snippet
