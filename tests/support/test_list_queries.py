"""Ticket lists cost the same number of queries for 3 or 9 tickets."""

import pytest
from django.test import Client

from accounts import roles
from outbox.services import mail_queue
from support.models import MailKind, Ticket, TicketMessage
from support.selectors import TICKET_HEADER
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def _tickets(n, *, requester, assignee, start):
    for i in range(start, start + n):
        ticket = Ticket.objects.create(
            requester=requester,
            requester_email=requester.email,
            assignee=assignee if i % 2 else None,
            language="fr",
            subject=f"Facture {i}",
            category="billing",
            status=Ticket.Status.OPEN if i % 2 else Ticket.Status.NEW,
        )
        TicketMessage.objects.create(ticket=ticket, kind="requester", body_html="x")
        mail_queue(
            to=[requester.email],
            subject=f"[{ticket.reference}]",
            body="B",
            kind=MailKind.ACKNOWLEDGEMENT,
            headers={TICKET_HEADER: ticket.reference},
        )


@pytest.mark.parametrize("page", ["/fr/support/queue/", "/fr/support/"])
def test_ticket_lists_do_not_grow_with_tickets(page, django_assert_max_num_queries):
    agent = user_with_role(roles.SUPPORT_AGENTS, email="agent@entraide.example")
    requester = UserFactory(email="camille@example.net")
    viewer = Client()
    viewer.force_login(agent if "queue" in page else requester)
    _tickets(3, requester=requester, assignee=agent, start=0)
    with django_assert_max_num_queries(30) as few:
        response = viewer.get(page)
    assert response.status_code == 200
    _tickets(6, requester=requester, assignee=agent, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = viewer.get(page)
    html = response.content.decode()
    assert all(f"Facture {i}<" in html for i in range(9))
