"""Private support tickets: opening, privacy, conversation (issue 6)."""

import re

import pytest
from django.core import mail
from freezegun import freeze_time

from accounts import roles
from support.models import Ticket, TicketMessage
from support.tokens import ticket_context_token
from tests.factories import UserFactory, user_with_role
from tests.support.ticket_helpers import (
    link_in,
    mails_to,
    open_ticket,
    path_of,
    ticket_form_data,
)

pytestmark = pytest.mark.django_db


def _without_csrf(response):
    return re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()
    )


@pytest.fixture
def agent():
    return user_with_role(roles.SUPPORT_AGENTS, email="agent@entraide.example")


@pytest.mark.parametrize(
    ("lang", "heading", "button"),
    [
        ("fr", "Contacter le support", "Envoyer au support"),
        ("en", "Contact support", "Send to support"),
    ],
)
def test_form_page_in_both_languages(client, lang, heading, button):
    response = client.get(f"/{lang}/support/new/")
    html = response.content.decode()
    assert response.status_code == 200
    assert heading in html
    assert button in html
    assert 'name="email"' in html  # anonymous visitors give an address


def test_home_and_every_page_link_to_the_form(client):
    html = client.get("/en/").content.decode()
    assert 'href="/en/support/new/"' in html


def test_subject_is_prefilled_from_the_link(client):
    html = client.get("/fr/support/new/?subject=Box+en+panne").content.decode()
    assert 'value="Box en panne"' in html


def test_shared_form_link_previews_the_page_without_its_query(client, settings):
    settings.SITE_URL = "https://help.example.org"
    html = client.get("/fr/support/new/?subject=Box+en+panne").content.decode()
    assert (
        '<meta property="og:url" content="https://help.example.org/fr/support/new/">'
    ) in html
    assert (
        '<link rel="canonical" href="https://help.example.org/fr/support/new/">' in html
    )
    assert 'property="og:locale" content="fr_FR"' in html


def test_anonymous_ticket_gets_automated_acknowledgement_with_working_link(client):
    ticket = open_ticket(client, "fr")
    assert ticket.requester is None
    assert ticket.language == "fr"
    assert ticket.status == Ticket.Status.NEW
    [ack] = mails_to("camille@example.net")
    assert "Réponse automatique" in ack.subject
    assert ticket.reference in ack.subject
    assert "1 heure" in ack.body  # the promised response time
    assert ack.extra_headers["Auto-Submitted"] == "auto-replied"
    link = link_in(ack)
    assert "/fr/support/t/" in link and "access=" in link

    stranger = type(client)()  # a fresh browser: only the link grants access
    response = stranger.get(path_of(link), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Facture de mars prélevée deux fois" in html
    assert "prélevée deux fois sur mon compte" in html
    # The token leaves the address bar once used.
    assert response.redirect_chain[-1][0] == ticket.get_absolute_url()


def test_english_ticket_is_acknowledged_in_english(client):
    open_ticket(client, "en", email="sam@example.net")
    [ack] = mails_to("sam@example.net")
    assert ack.subject.startswith("[Automated reply]")
    assert "1 hour" in ack.body
    assert "/en/support/t/" in link_in(ack)


def test_agents_are_told_about_new_tickets(client, agent):
    ticket = open_ticket(client)
    [notice] = mails_to(agent.email)
    assert ticket.reference in notice.subject
    assert "prélevée deux fois" in notice.body


def test_member_ticket_is_tied_to_the_account(client):
    member = UserFactory(email="lea@example.org")
    client.force_login(member)
    html = client.get("/en/support/new/").content.decode()
    assert 'name="email"' not in html  # answered at the account address
    data = ticket_form_data()
    del data["email"]
    response = client.post("/en/support/new/", data)
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.requester == member
    assert ticket.requester_email == "lea@example.org"
    [ack] = mails_to("lea@example.org")
    assert "access=" not in ack.body  # members sign in instead
    assert client.get(ticket.get_absolute_url()).status_code == 200
    assert ticket.subject in client.get("/en/support/").content.decode()


def test_nobody_else_sees_a_ticket(client, agent):
    owner = UserFactory()
    client.force_login(owner)
    data = ticket_form_data()
    del data["email"]
    client.post("/fr/support/new/", data)
    ticket = Ticket.objects.get()
    url = ticket.get_absolute_url()

    other = type(client)()
    other.force_login(UserFactory())
    anonymous = type(client)()
    for someone in (other, anonymous):
        response = someone.get(url)
        assert response.status_code == 404
        assert ticket.subject not in response.content.decode()
        assert someone.post(url + "reply/", {"body": "hello there"}).status_code == 404
    assert TicketMessage.objects.count() == 1

    support = type(client)()
    support.force_login(agent)
    assert support.get(url).status_code == 200


def test_anonymous_ticket_is_private_to_the_browser_with_the_link(client):
    ticket = open_ticket(client)
    # The browser that opened it may follow it…
    assert client.get(ticket.get_absolute_url()).status_code == 200
    # …another one without the link may not, and a forged token fails.
    other = type(client)()
    assert other.get(ticket.get_absolute_url()).status_code == 404
    forged = other.get(ticket.get_absolute_url() + "?access=forged:token")
    assert forged.status_code == 404


def test_expired_link_is_a_404_and_a_fresh_link_can_be_requested(client):

    with freeze_time("2026-03-01 10:00:00"):
        ticket = open_ticket(client)
        link = path_of(link_in(mails_to("camille@example.net")[0]))
    mail.outbox.clear()
    with freeze_time("2026-03-20 10:00:00"):  # past TICKET_ACCESS_LINK_DAYS (14)
        stale = type(client)().get(link)
        assert stale.status_code == 404
        assert "/fr/support/link/" in stale.content.decode()

        fresh_browser = type(client)()
        known = fresh_browser.post(
            "/fr/support/link/", {"email": "camille@example.net"}
        )
        unknown = fresh_browser.post(
            "/fr/support/link/", {"email": "nobody@example.net"}
        )
        assert known.status_code == unknown.status_code == 200
        # No hint who wrote to support (CSRF tokens are masked per response).
        assert _without_csrf(known) == _without_csrf(unknown)
        [message] = mail.outbox
        assert message.to == ["camille@example.net"]
        fresh = fresh_browser.get(path_of(link_in(message)), follow=True)
        assert fresh.status_code == 200
        assert ticket.subject in fresh.content.decode()


def test_agent_reply_is_mailed_to_the_requester(client, agent):
    ticket = open_ticket(client)
    mail.outbox.clear()
    support = type(client)()
    support.force_login(agent)
    response = support.post(
        ticket.get_absolute_url() + "reply/",
        {"body": "Nous avons **remboursé** le second prélèvement.", "kind": "agent"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING
    assert ticket.first_response_at is not None
    assert ticket.assignee == agent
    [reply] = mails_to("camille@example.net")
    assert "remboursé" in reply.body
    assert ticket.reference in reply.subject
    assert "Réponse automatique" not in reply.subject  # a person wrote it
    # The requester reads it on the ticket page (rendered Markdown).
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert "<strong>remboursé</strong>" in html


def test_internal_note_is_hidden_from_the_requester(client, agent):
    ticket = open_ticket(client)
    mail.outbox.clear()
    support = type(client)()
    support.force_login(agent)
    support.post(
        ticket.get_absolute_url() + "reply/",
        {"body": "Client connu, vérifier le contrat 4471.", "kind": "note"},
    )
    assert mails_to("camille@example.net") == []
    assert "contrat 4471" in support.get(ticket.get_absolute_url()).content.decode()
    assert "contrat 4471" not in client.get(ticket.get_absolute_url()).content.decode()
    ticket.refresh_from_db()
    assert ticket.first_response_at is None  # a note is not an answer


def test_requester_messages_are_sanitized(client):
    ticket = open_ticket(
        client,
        description=(
            'Voici <script>alert(1)</script> et <a href="javascript:x()">ça</a>'
        ),
    )
    body = ticket.messages.get().body_html
    assert "<script" not in body and "javascript:" not in body
    assert (
        "<script>alert(1)" not in client.get(ticket.get_absolute_url()).content.decode()
    )


def test_requester_reply_reopens_and_alerts_the_agents(client, agent):
    ticket = open_ticket(client)
    support = type(client)()
    support.force_login(agent)
    support.post(
        ticket.get_absolute_url() + "reply/",
        {"body": "Pouvez-vous préciser ?", "kind": "agent"},
    )
    mail.outbox.clear()
    client.post(ticket.get_absolute_url() + "reply/", {"body": "Oui, le 3 mars."})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    [alert] = mails_to(agent.email)
    assert "le 3 mars" in alert.body


def test_agent_sets_status_priority_and_assignee(client, agent):
    ticket = open_ticket(client)
    colleague = user_with_role(roles.SUPPORT_AGENTS)
    support = type(client)()
    support.force_login(agent)
    response = support.post(
        ticket.get_absolute_url() + "manage/",
        {
            "manage-status": "open",
            "manage-priority": "4",
            "manage-assignee": str(colleague.pk),
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee) == ("open", 4, colleague)
    # Requesters cannot use the agents' form.
    refused = client.post(
        ticket.get_absolute_url() + "manage/",
        {"manage-status": "closed", "manage-priority": "1"},
    )
    assert refused.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_satisfaction_in_one_click_once_solved(client, agent):
    ticket = open_ticket(client)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'name="rating"' not in page
    support = type(client)()
    support.force_login(agent)
    support.post(
        ticket.get_absolute_url() + "reply/",
        {"body": "C'est corrigé.", "kind": "agent", "status": "solved"},
    )
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'name="rating"' in page
    client.post(ticket.get_absolute_url() + "rate/", {"rating": "good"})
    ticket.refresh_from_db()
    assert ticket.rating == "good"
    assert "Satisfait" in support.get(ticket.get_absolute_url()).content.decode()


def test_closed_ticket_keeps_requester_text_and_refuses_reply(client, agent):
    ticket = open_ticket(client)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)
    response = client.post(
        ticket.get_absolute_url() + "reply/", {"body": "Encore un souci"}
    )
    assert response.status_code == 400
    assert TicketMessage.objects.filter(ticket=ticket).count() == 1


def test_valid_context_is_shown_to_requester_and_agents(client, agent):
    token = ticket_context_token(
        {
            "kind": "mention",
            "text": "@EntraideTelecom toujours pas de connexion !",
            "url": "https://x.com/camille/status/123",
            "author": "@camille",
        }
    )
    html = client.get(f"/fr/support/new/?context={token}").content.decode()
    assert "toujours pas de connexion" in html
    response = client.post(
        f"/fr/support/new/?context={token}", ticket_form_data(context=token)
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.context["url"] == "https://x.com/camille/status/123"
    assert (
        "toujours pas de connexion"
        in client.get(ticket.get_absolute_url()).content.decode()
    )
    support = type(client)()
    support.force_login(agent)
    assert (
        "toujours pas de connexion"
        in support.get(ticket.get_absolute_url()).content.decode()
    )


def test_tampered_context_is_ignored_without_error_page(client):
    token = ticket_context_token(
        {
            "kind": "article",
            "article_title": "Redémarrer la box",
            "article_url": "/fr/kb/box/",
        }
    )
    tampered = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    response = client.get(f"/fr/support/new/?context={tampered}")
    assert response.status_code == 200
    assert "Redémarrer la box" not in response.content.decode()
    response = client.post("/fr/support/new/", ticket_form_data(context=tampered))
    assert response.status_code == 302
    assert Ticket.objects.get().context == {}


def test_honeypot_creates_nothing(client):
    response = client.post(
        "/fr/support/new/", ticket_form_data(website="http://spam.example")
    )
    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert mail.outbox == []


def test_too_many_tickets_from_one_address_keeps_the_text(client, settings):
    settings.TICKET_CREATE_LIMIT_PER_EMAIL_HOUR = 2
    for _ in range(2):
        open_ticket(client)
    other_ip = {"REMOTE_ADDR": "203.0.113.9"}
    response = client.post(
        "/fr/support/new/",
        ticket_form_data(subject="Encore moi, troisième fois"),
        **other_ip,
    )
    assert response.status_code == 429
    assert "Encore moi, troisième fois" in response.content.decode()
    assert Ticket.objects.count() == 2


def test_too_many_tickets_from_one_ip(client, settings):
    settings.TICKET_CREATE_LIMIT_PER_IP_HOUR = 1
    open_ticket(client, email="a@example.net")
    response = client.post("/fr/support/new/", ticket_form_data(email="b@example.net"))
    assert response.status_code == 429
    assert Ticket.objects.count() == 1


def test_malformed_submission_is_a_form_error_keeping_the_text(client):
    response = client.post(
        "/en/support/new/",
        ticket_form_data(
            email="not-an-address", category="lottery", description="x" * 10_001
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "Facture de mars prélevée deux fois" in html  # typed subject kept
    assert Ticket.objects.count() == 0
