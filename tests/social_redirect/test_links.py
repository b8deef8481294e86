from urllib.parse import parse_qs, urlsplit

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from accounts import roles
from social_redirect.models import Mention, RedirectLink
from social_redirect.services import links
from social_redirect.services.mentions import mention_create
from support.services import ticket_create
from support.tokens import ticket_context_read
from tests.factories import user_with_role
from tests.kb.factories import build_kb_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lexical_matching(settings):
    # The optional embedding model is slow to load and may be absent.
    settings.SOCIAL_SEMANTIC_MATCHING = False


@pytest.fixture(autouse=True)
def _clicks_in_request(settings):
    # The test database lives in one transaction that a background writer
    # thread cannot see; the speed bench exercises the threaded path.
    settings.BUFFERED_WRITE_SECONDS = 0


BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"
ARTICLE = "/fr/kb/internet/box-ne-se-connecte-plus/"


@pytest.fixture
def mention():
    return Mention.objects.create(
        source="manual",
        text="@EntraideTelecom ma box clignote, toujours pas d'internet",
        author_handle="claire",
        url="https://x.com/claire/status/111",
        external_id="111",
        lang="fr",
    )


def article_link(mention):
    return links.link_create(
        mention=mention, kind="article", target_path=ARTICLE, title="Box"
    )


def follow(client, code, agent=BROWSER):
    response = client.get(f"/r/{code}", headers={"user-agent": agent})
    links.link_clicks_flush()
    return response


def test_codes_are_long_random_base62():
    codes = {links.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) >= 7 and c.isalnum() and c.isascii() for c in codes)


def test_redirect_to_the_article_counts_the_click(client, mention):
    link = article_link(mention)
    response = follow(client, link.code)
    assert response.status_code == 302
    assert response["Location"] == f"{ARTICLE}?via={link.code}"
    link.refresh_from_db()
    assert link.clicks == 1 and link.first_clicked_at is not None
    mention.refresh_from_db()
    assert mention.status == Mention.Status.REDIRECTED


def test_redirect_to_the_ticket_form_with_prefilled_context(client, mention):
    link = links.link_create(mention=mention, kind="ticket")
    response = follow(client, link.code)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/fr/support/new/" and not location.netloc
    params = parse_qs(location.query)
    context = ticket_context_read(params["context"][0])
    assert context["kind"] == "mention"
    assert context["text"] == mention.text
    assert context["url"] == mention.url
    assert context["mention_id"] == mention.pk and context["link_code"] == link.code
    assert "box clignote" in params["subject"][0]
    assert "@EntraideTelecom" not in params["subject"][0]


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "https://evil.com/",
        "https:evil.com",
        "http:/evil.com",
        "/\\evil.com",
        "/%2F%2Fevil.com",
        "\\\\evil.com",
        "/ok\r\nLocation: https://evil.com",
        "javascript:alert(1)",
        "evil.com",
        "",
    ],
)
def test_link_targets_are_internal_only(mention, target):
    if target == "/%2F%2Fevil.com":
        # Percent-encoded slashes stay a path on our site; never a new host.
        link = links.link_create(mention=mention, kind="article", target_path=target)
        assert urlsplit(link.target_path).netloc == ""
        return
    with pytest.raises(ValueError):
        links.link_create(mention=mention, kind="article", target_path=target)


@pytest.mark.parametrize(
    "path",
    [
        "/r///evil.com",
        "/r/%2F%2Fevil.com",
        "/r/https:evil.com",
        "/r/https%3A%2F%2Fevil.com",
        "/r/%0d%0aLocation:%20https://evil.com",
        "/r/..%2F..%2Fevil.com",
        "/r/abcdefg?next=https://evil.com",
    ],
)
def test_open_redirect_attempts_never_leave_the_site(client, mention, path):
    article_link(mention)
    response = client.get(path, headers={"user-agent": BROWSER})
    location = response.get("Location", "")
    assert not urlsplit(location).netloc
    assert "evil.com" not in location
    assert response.status_code in (301, 302, 404)


def test_a_tampered_stored_path_is_refused_at_redirect_time(client, mention):
    link = article_link(mention)
    RedirectLink.objects.filter(pk=link.pk).update(target_path="//evil.com")
    response = follow(client, link.code)
    assert response.status_code == 404
    assert "evil.com" not in response.get("Location", "")


def test_unknown_or_expired_code_is_a_friendly_404(client, mention):
    response = client.get("/r/NoSuchCode1", headers={"user-agent": BROWSER})
    assert response.status_code == 404
    page = response.content.decode()
    assert 'type="search"' in page and 'name="q"' in page

    link = article_link(mention)
    RedirectLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - timezone.timedelta(days=1)
    )
    assert client.get(f"/r/{link.code}").status_code == 404


@pytest.mark.parametrize(
    "agent",
    [
        "Twitterbot/1.0",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "TelegramBot (like TwitterBot)",
        "WhatsApp/2.23.20.0",
        "",
    ],
)
def test_bot_clicks_are_not_counted(client, mention, agent):
    link = article_link(mention)
    response = follow(client, link.code, agent=agent)
    assert response.status_code == 302  # previews still reach the OG tags
    link.refresh_from_db()
    assert link.clicks == 0


def test_landing_funnel_read_helpful_and_ticket(client, mention):
    link = article_link(mention)
    follow(client, link.code)

    template = engines["django"].from_string(
        "{% load social_links %}{% landing_link as via_link %}"
        '{% include "social_redirect/includes/landing_banner.html" %}'
    )

    request = RequestFactory().get(ARTICLE, {"via": link.code}, HTTP_USER_AGENT=BROWSER)
    html = template.render({"request": request}, request)
    assert "Yes" in html or "Oui" in html
    assert f"/r/{link.code}/feedback" in html
    link.refresh_from_db()
    assert link.read_at is not None
    # A normal visitor, or a code copied onto another page, sees nothing.
    plain = RequestFactory().get(ARTICLE, HTTP_USER_AGENT=BROWSER)
    assert template.render({"request": plain}, plain).strip() == ""
    elsewhere = RequestFactory().get("/fr/kb/autre/", {"via": link.code})
    assert template.render({"request": elsewhere}, elsewhere).strip() == ""

    response = client.post(f"/r/{link.code}/feedback", {"helpful": "no"})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/fr/support/new/" and not location.netloc
    assert ticket_context_read(parse_qs(location.query)["context"][0])["link_code"] == (
        link.code
    )
    link.refresh_from_db()
    assert link.helpful is False
    # The visitor submits the prefilled form: the funnel's last step.

    ticket_create(
        subject="Box",
        description="Toujours rien",
        category="connection",
        language="fr",
        email="claire@example.org",
        context=ticket_context_read(parse_qs(location.query)["context"][0]),
    )
    link.refresh_from_db()
    assert link.ticket_opened_at is not None


def test_helpful_yes_keeps_the_mention_on_the_dashboard_with_its_outcome(
    client, mention
):
    link = article_link(mention)
    status = mention.status
    response = client.post(f"/r/{link.code}/feedback", {"helpful": "yes"})
    assert response.status_code == 302 and response["Location"] == ARTICLE
    mention.refresh_from_db()
    assert mention.status == status != Mention.Status.RESOLVED
    link.refresh_from_db()
    assert link.helpful is True
    # A visitor's vote is funnel data: the mention stays in the queue, where the
    # community manager sees the outcome, until they mark it replied.
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    page = client.get("/fr/social/").content.decode()
    assert f'id="mention-{mention.pk}"' in page
    card = page.split(f'id="mention-{mention.pk}"', 1)[1].split("</article>", 1)[0]
    assert "utile" in card and "pas utile" not in card
    client.post(f"/fr/social/mentions/{mention.pk}/", {"action": "replied"})
    page = client.get("/fr/social/").content.decode()
    card = page.split(f'id="mention-{mention.pk}"', 1)[1].split("</article>", 1)[0]
    assert "utile" in card


def test_every_triaged_mention_gets_a_working_link(client):
    mention, _ = mention_create(source="manual", text="I was charged twice, refund me")
    link = mention.links.get()
    assert link.kind == "ticket"
    response = follow(client, link.code)
    assert urlsplit(response["Location"]).path == "/en/support/new/"


def test_the_landing_question_comes_once_after_the_article(client, mention):

    article = build_kb_tree().article_fr
    link = links.link_create(
        mention=mention, kind="article", target_path=article.url, title="Box"
    )
    page = client.get(
        article.url, {"via": link.code}, headers={"user-agent": BROWSER}
    ).content.decode()
    assert page.count("Cela résout-il votre problème ?") == 1
    assert "Cet article vous a-t-il aidé ?" not in page  # asked once, not twice
    assert page.index("Cela résout-il") > page.index("<!-- /article-body -->")


def test_the_french_dashboard_reads_french(client):
    mention_create(source="manual", text="I was charged twice, refund me")
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    page = client.get("/fr/social/").content.decode()
    assert "0 abonné ·" in page and "0 abonnés" not in page
    assert "à l’instant" in page and "il y a 0 minute" not in page
    assert "(remboursement, prélèvement)" in page or "remboursement" in page
    assert (
        "refund"
        not in page.split("<blockquote", 1)[0] + page.split("</blockquote>", 1)[1]
    )
