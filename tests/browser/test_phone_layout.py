"""Every main page fits a 390 px phone: no sideways scroll, a compact header.

Runs on the demo content (articles, topics, mentions, accounts), with a ticket
opened for the agent's page.
"""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from support.models import Ticket
from support.services import ticket_create
from tests.kb.factories import page_tree_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEASURE = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  viewport: window.innerWidth,
  header: document.querySelector('.site-header').getBoundingClientRect().height,
})"""


def _sign_in(page, live_server, email):
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _assert_fits(page, where):
    figures = page.evaluate(MEASURE)
    assert figures["viewport"] == 390, where
    assert figures["scrollWidth"] <= 390, (where, figures)
    assert figures["header"] < 120, (where, figures)


def test_main_pages_fit_a_phone(live_server, page):
    page_tree_ensure()
    call_command("load_demo", stdout=StringIO())
    ticket = ticket_create(
        subject="Facture prélevée deux fois",
        description="Ma facture https://www.entraide.example/espace-client/"
        "factures/2026/novembre/FA-2026-11-000123456789 a été prélevée deux fois.",
        category=Ticket.Category.BILLING,
        language="fr",
        email="nadia.benali@example.org",
    )

    page.goto(live_server.url + "/fr/")
    _assert_fits(page, "home")
    # The search box keeps its placeholder whole.
    box = page.get_by_placeholder("Décrivez votre problème").first
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth")

    page.goto(live_server.url + "/fr/search/?q=box")
    _assert_fits(page, "search")
    # Results come first: the first one is on screen, the filters are folded.
    first = page.locator(".result").first
    assert first.bounding_box()["y"] + 40 < 844
    facets = page.locator("details.search-facets")
    assert facets.get_attribute("open") is None
    assert not page.get_by_role("link", name="Articles", exact=True).is_visible()
    facets.locator("summary").click()
    assert page.get_by_role("link", name="Articles", exact=True).is_visible()

    page.locator(".result:has(.badge:text-is('Article')) h3 a").first.click()
    page.wait_for_load_state()
    assert "/kb/" in page.url
    _assert_fits(page, "article")

    page.goto(live_server.url + "/fr/support/new/")
    _assert_fits(page, "ticket form")

    _sign_in(page, live_server, "cm@entraide.example")
    page.goto(live_server.url + "/fr/social/")
    assert page.locator(".social-mention").count() > 0
    _assert_fits(page, "social dashboard")
    page.get_by_text("Menu", exact=True).click()
    assert page.get_by_role("link", name="Mentions sur les réseaux").is_visible()

    _sign_in(page, live_server, "agent@entraide.example")
    page.goto(live_server.url + "/fr/support/queue/")
    _assert_fits(page, "ticket queue")
    page.goto(live_server.url + ticket.get_absolute_url())
    _assert_fits(page, "agent ticket page")

    assert page.console_errors == []
