"""Shared helpers for the ticket tests (not a test module)."""

import re
from urllib.parse import urlsplit

from django.core import mail

from support.models import Ticket

LINK_RE = re.compile(r"https?://[^\s]+/support/t/[0-9a-f-]{36}/(?:\?access=[^\s]+)?")


def ticket_form_data(**overrides):
    data = {
        "email": "camille@example.net",
        "subject": "Facture de mars prélevée deux fois",
        "category": "billing",
        "description": (
            "Bonjour, ma facture de mars a été prélevée deux fois sur mon compte."
        ),
        "website": "",
    }
    data.update(overrides)
    return data


def open_ticket(client, lang="fr", **overrides):
    """Open a ticket through the form, as a person would; returns the ticket."""
    before = set(Ticket.objects.values_list("pk", flat=True))
    response = client.post(f"/{lang}/support/new/", ticket_form_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    new = Ticket.objects.exclude(pk__in=before).get()
    return new


def mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def link_in(message):
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(0)


def path_of(url):

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
