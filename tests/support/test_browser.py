"""The ticket form in a phone-sized browser: suggestions while typing (JS)."""

import mimetypes
import os
import shutil
import types
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DEFAULT_DB_ALIAS, connections
from playwright.sync_api import sync_playwright

from support.models import Ticket, TicketDeflection

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.skipif(not CHROMIUM, reason="Debian chromium is not installed"),
]


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    solved: bool = False
    summary: str = ""
    snippet: str = ""


@pytest.fixture
def fake_search(monkeypatch):
    def search(query, lang=None, kinds=None, filters=None, limit=10):
        hits = []
        if "clignote" in query:
            hits = [
                Hit(
                    "article",
                    "Box qui clignote en orange",
                    "/fr/",
                    summary="Redémarrez la box et vérifiez le câble fibre.",
                )
            ]
        return types.SimpleNamespace(
            results=hits, backend="fake", degraded=False, suggestion=None
        )

    monkeypatch.setattr("support.selectors.search", search)


def _serve_with_django(route, request, client):
    """Answer the browser from Django's test client: no live server thread, so
    the test keeps its ordinary rolled-back transaction."""

    url = urlsplit(request.url)
    if url.path.startswith(settings.STATIC_URL):
        found = finders.find(url.path[len(settings.STATIC_URL) :])
        if not found:
            return route.fulfill(status=404, body=b"")
        kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return route.fulfill(status=200, path=found, content_type=kind)
    path = url.path + (f"?{url.query}" if url.query else "")
    if request.method == "POST":
        response = client.generic(
            "POST",
            path,
            data=request.post_data_buffer or b"",
            content_type=request.headers.get("content-type", ""),
        )
    else:
        response = client.get(path, HTTP_ACCEPT=request.headers.get("accept", "*/*"))
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
    route.fulfill(status=response.status_code, headers=headers, body=body)


@pytest.fixture
def page(client):

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Inside sync_playwright (and in its route handlers) Django would open a
    # fresh connection outside the test transaction: keep using the test's
    # connection so everything written is rolled back afterwards.
    test_connection = connections[DEFAULT_DB_ALIAS]
    with sync_playwright() as playwright:
        setattr(connections._connections, DEFAULT_DB_ALIAS, test_connection)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="fr-FR"
        )

        def handler(route, request):
            setattr(connections._connections, DEFAULT_DB_ALIAS, test_connection)
            _serve_with_django(route, request, client)

        context.route("http://entraide.test/**", handler)
        page = context.new_page()
        page.console_errors = []
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        yield page
        context.close()
        browser.close()


def test_typing_suggests_an_answer_that_closes_the_form(page, fake_search):
    page.goto("http://entraide.test/fr/support/new/")
    page.get_by_label("Objet").fill("Ma box clignote")
    suggestion = page.get_by_role("link", name="Box qui clignote en orange")
    suggestion.wait_for()
    solved = page.get_by_role("button", name="Cela a résolu mon problème")
    assert not solved.is_visible()  # asked only once the answer was opened

    with page.context.expect_page() as new_tab:
        suggestion.click()
    new_tab.value.close()
    solved.click()

    page.get_by_role("heading", name="Ravis que ce soit résolu").wait_for()
    deflection = TicketDeflection.objects.get()
    assert (deflection.title, deflection.query) == (
        "Box qui clignote en orange",
        "Ma box clignote",
    )
    assert Ticket.objects.count() == 0
    assert page.console_errors == []
