"""Upgrading a database built before the support and outbox apps keeps every
ticket, message and mail (the tables are taken over, not copied)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from outbox.models import OutboundMail
from outbox.services import mail_retry
from support.models import Ticket
from support.selectors import ticket_mails

BEFORE = [
    ("social_redirect", "0001_initial"),
    ("community_forum", "0003_forum_extras"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_upgrade_keeps_tickets_messages_and_mails():
    old = _migrate(BEFORE)
    OldTicket = old.get_model("social_redirect", "Ticket")
    OldMessage = old.get_model("social_redirect", "TicketMessage")
    OldMail = old.get_model("social_redirect", "OutboundMail")
    now = timezone.now()
    ticket = OldTicket.objects.create(
        reference="T-UPGRADE",
        requester_email="camille@example.net",
        language="fr",
        subject="Facture prélevée deux fois",
        first_response_due=now,
        resolution_due=now,
    )
    OldMessage.objects.create(ticket=ticket, kind="requester", body_html="<p>Aide</p>")
    OldMail.objects.create(
        ticket=ticket,
        kind="ack",
        to="camille@example.net",
        subject="[T-UPGRADE] Reçu",
        body="Bonjour",
        status="failed",
        attempts=6,
        last_error="smtp down",
    )
    OldMail.objects.create(kind="link", to="other@example.net", subject="S", body="B")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    upgraded = Ticket.objects.get(reference="T-UPGRADE")
    assert upgraded.subject == "Facture prélevée deux fois"
    assert [m.body_html for m in upgraded.messages.all()] == ["<p>Aide</p>"]
    assert OutboundMail.objects.count() == 2
    [ack] = ticket_mails(upgraded)
    assert (ack.kind, ack.to, ack.status, ack.last_error) == (
        "ack",
        "camille@example.net",
        "failed",
        "smtp down",
    )
    assert ack.recipients == ["camille@example.net"]
    # The retry can still send them.
    assert mail_retry(include_failed=True) == (2, 0)
