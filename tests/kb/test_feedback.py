from urllib.parse import unquote

from django.urls import NoReverseMatch, reverse

from kb.models import ArticleFeedback
from support.tokens import ticket_context_read


def test_helpful_vote_is_counted_once_per_session(kb, client):
    url = kb.article_fr.url + "feedback/"
    assert client.post(url, {"helpful": "yes"}).status_code == 302
    assert client.post(url, {"helpful": "no"}).status_code == 302
    assert ArticleFeedback.objects.filter(page=kb.article_fr).count() == 1
    assert ArticleFeedback.objects.get(page=kb.article_fr).helpful is True


def test_helpful_vote_is_counted_once_per_user(kb, client, member):
    client.force_login(member)
    url = kb.article_fr.url + "feedback/"
    client.post(url, {"helpful": "no"})
    client.logout()
    client.force_login(member)  # new session, same person
    client.post(url, {"helpful": "no"})
    assert ArticleFeedback.objects.filter(page=kb.article_fr, user=member).count() == 1


def test_bad_vote_is_a_clear_400(kb, client):
    response = client.post(kb.article_fr.url + "feedback/", {"helpful": "maybe"})
    assert response.status_code == 400
    assert not ArticleFeedback.objects.exists()


def test_no_offers_the_community_and_support(kb, client):
    response = client.post(
        kb.article_fr.url + "feedback/", {"helpful": "no"}, follow=True
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
    statuses = [client.post(url, {"helpful": "yes"}).status_code for _ in range(35)]
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
