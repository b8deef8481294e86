from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from kb.models import ArticleFeedback
from support.tokens import ticket_context_read

# What a browser sends with a form posted from one of our own pages; the vote
# needs it instead of a CSRF token (config.origin).
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def test_helpful_vote_is_counted_once_per_session(kb, client):
    url = kb.article_fr.url + "feedback/"
    assert client.post(url, {"helpful": "yes"}, **SAME_ORIGIN).status_code == 302
    assert client.post(url, {"helpful": "no"}, **SAME_ORIGIN).status_code == 302
    assert ArticleFeedback.objects.filter(page=kb.article_fr).count() == 1
    assert ArticleFeedback.objects.get(page=kb.article_fr).helpful is True


def test_helpful_vote_is_counted_once_per_user(kb, client, member):
    client.force_login(member)
    url = kb.article_fr.url + "feedback/"
    client.post(url, {"helpful": "no"}, **SAME_ORIGIN)
    client.logout()
    client.force_login(member)  # new session, same person
    client.post(url, {"helpful": "no"}, **SAME_ORIGIN)
    assert ArticleFeedback.objects.filter(page=kb.article_fr, user=member).count() == 1


def test_bad_vote_is_a_clear_400(kb, client):
    response = client.post(
        kb.article_fr.url + "feedback/", {"helpful": "maybe"}, **SAME_ORIGIN
    )
    assert response.status_code == 400
    assert not ArticleFeedback.objects.exists()


def test_no_offers_the_community_and_support(kb, client):
    response = client.post(
        kb.article_fr.url + "feedback/", {"helpful": "no"}, follow=True, **SAME_ORIGIN
    )
    html = response.content.decode()
    try:
        ticket = reverse("support:ticket_create")
    except NoReverseMatch:
        ticket = None
    if ticket:
        assert ticket in html
        token = html.split(ticket + "?context=")[1].split('"')[0].split("&")[0]
        # The article's title is not the person's problem: no subject given.
        assert "subject=" not in html.split(ticket + "?context=")[1].split('"')[0]

        context = ticket_context_read(unquote(token))
        assert context["kind"] == "article"
        assert context["article_title"] == "Ma box clignote"
        assert context["article_url"].endswith("/fr/kb/connexion/box-clignote/")
    try:
        ask = reverse("community_forum:ask")
    except NoReverseMatch:
        ask = None
    if ask:
        assert ask + "?subject=Ma+box+clignote" in html


def test_votes_are_rate_limited(kb, client):
    url = kb.article_fr.url + "feedback/"
    statuses = [
        client.post(url, {"helpful": "yes"}, **SAME_ORIGIN).status_code
        for _ in range(35)
    ]
    assert statuses[-1] == 429


def test_staff_see_helpfulness_and_members_do_not(kb, client, member, staff):
    for n in range(3):
        ArticleFeedback.objects.create(
            page=kb.article_fr, session_key=f"s{n}", helpful=False
        )
    ArticleFeedback.objects.create(page=kb.article_en, session_key="e", helpful=True)
    client.force_login(member)
    assert client.get("/fr/kb/stats/").status_code == 403
    client.force_login(staff)
    html = client.get("/fr/kb/stats/").content.decode()
    worst = html.split("<ol>")[1].split("</ol>")[0]
    assert "Ma box clignote" in worst and "0 %" in worst
    assert "My box is blinking" in html
    assert kb.article_fr.search_document()["helpfulness"] == 0.0


def test_a_vote_from_the_page_counts_without_a_token_and_says_thanks(kb):
    # A browser on the cached page: no CSRF token anywhere, Django's check on.
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(kb.article_fr.url).content.decode()
    assert "csrfmiddlewaretoken" not in page
    response = browser.post(
        kb.article_fr.url + "feedback/", {"helpful": "yes"}, follow=True, **SAME_ORIGIN
    )
    assert response.redirect_chain[-1][0].endswith("?helpful=yes#feedback")
    assert "Merci pour votre avis !" in response.content.decode()
    assert ArticleFeedback.objects.get(page=kb.article_fr).helpful is True


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        # A sibling subdomain is not this site either.
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        # Browsers without Sec-Fetch-Site still say where a POST comes from.
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        # Nothing vouches for the request.
        {},
    ],
)
def test_a_vote_from_another_site_is_refused_with_a_reason(kb, client, headers):
    response = client.post(
        kb.article_fr.url + "feedback/", {"helpful": "no"}, **headers
    )
    assert response.status_code == 403
    assert "ne venait pas d’une page de ce site" in response.content.decode()
    assert not ArticleFeedback.objects.exists()


def test_a_vote_with_our_origin_counts_in_browsers_without_fetch_metadata(kb, client):
    response = client.post(
        kb.article_fr.url + "feedback/",
        {"helpful": "yes"},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 302
    assert ArticleFeedback.objects.filter(page=kb.article_fr).count() == 1


def test_opening_the_vote_address_is_a_clear_405(kb, client):
    assert client.get(kb.article_fr.url + "feedback/").status_code == 405
