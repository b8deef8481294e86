"""Finding 9 (lows): health check, development key, search limit, short-link
vote, same-site URL check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from config.urls_safety import safe_local_url
from search.models import QueryLog
from search.views import click_signature
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


# --- /healthz -------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_hides_error_text_from_the_public(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server at 10.0.0.5 as admin")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False}
    assert "10.0.0.5" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_503_with_elasticsearch_down(client):
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] != "ok"
    assert response.json()["checks"]["search"]["ok"] is False


@pytest.mark.django_db
def test_healthz_details_for_staff(client):
    client.force_login(UserFactory(is_staff=True))
    body = client.get("/healthz").json()
    assert body["checks"]["search"]["backend"] == "embedded"
    assert "documents" in body["checks"]["search"]


# --- SECRET_KEY -----------------------------------------------------------------


def _serve(tmp_path, **overrides):
    """Load the WSGI application as gunicorn and runserver do."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith("_URL") and key not in {"SECRET_KEY", "DEBUG"}
    }
    env.update({"VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"})
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_serving_without_secret_key_and_debug_off_is_refused(tmp_path):
    result = _serve(tmp_path, DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr


def test_serving_with_a_secret_key_or_in_debug_starts(tmp_path):
    assert _serve(tmp_path, DEBUG="0", SECRET_KEY="x" * 50).returncode == 0
    assert _serve(tmp_path, DEBUG="1").returncode == 0


# --- the one same-site URL check -------------------------------------------------

UNSAFE = [
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r\n/evil.com",
    "\t//evil.com",
    " /evil",
    "/\x00/evil.com",
    "/\x0b/evil.com",
    "/\u00a0/evil.com",
    "/\u2028/evil.com",
    "/\\evil.com",
    "/\\/evil.com",
    "\\\\evil.com",
    "//evil.com",
    "///evil.com",
    "https://evil.com/",
    "javascript:alert(1)",
    "evil.com",
    "",
    None,
    ["/fr/"],
]


@pytest.mark.parametrize("url", UNSAFE)
def test_safe_local_url_refuses_what_browsers_read_as_another_site(url):

    assert safe_local_url(url) is None


@pytest.mark.parametrize("url", ["/", "/fr/kb/", "/fr/search/?q=box&kind=article"])
def test_safe_local_url_keeps_plain_paths(url):

    assert safe_local_url(url) == url


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/\t/evil.com", "/\n/evil.com", "/\\evil.com"])
def test_solved_form_refuses_tab_newline_and_backslash_urls(client, url):
    response = client.post("/fr/support/new/solved/", {"url": url, "title": "x"})
    # The visitor is sent back to the form; nothing is recorded or linked.
    assert response.status_code == 302
    assert response["Location"].endswith("/support/new/")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/\t/evil.com", "/\\evil.com", "//evil.com"])
def test_search_click_refuses_tab_and_backslash_targets(client, url):

    log = QueryLog.objects.create(
        query="box", normalized="box", result_count=1, backend="embedded"
    )
    response = client.get(
        f"/fr/search/go/{log.pk}/", {"to": url, "sig": click_signature(log.pk)}
    )
    assert response["Location"] == "/fr/search/"


# --- search: signed click ids and a rate limit ------------------------------------


@pytest.mark.django_db
def test_a_click_on_someone_elses_search_log_is_not_recorded(client):

    log = QueryLog.objects.create(
        query="box", normalized="box", result_count=1, backend="embedded"
    )
    for params in ({}, {"sig": "forged"}):
        response = client.get(
            f"/fr/search/go/{log.pk}/", {"to": "/fr/kb/", "rank": "1", **params}
        )
        # The visitor still gets to the page…
        assert response.status_code == 302 and response["Location"] == "/fr/kb/"
    # …but the log stays as its owner left it.
    log.refresh_from_db()
    assert log.clicked_at is None and log.clicked_url == ""


@pytest.mark.django_db
def test_search_api_and_page_are_rate_limited(client, settings):
    settings.SEARCH_RATE_LIMIT_PER_MINUTE = 5
    api = [client.get("/api/search", {"q": "box"}).status_code for _ in range(6)]
    assert api == [200] * 5 + [429]
    refused = client.get("/api/search", {"q": "box"})
    assert refused.json()["retry_after"] == 60 and refused["Retry-After"] == "60"
    pages = [client.get("/en/search/", {"q": "box"}) for _ in range(6)]
    assert [p.status_code for p in pages] == [200] * 5 + [429]
    assert "Too many requests" in pages[-1].content.decode()


@pytest.mark.django_db
def test_search_limit_is_generous_by_default(client):
    statuses = {client.get("/api/search", {"q": "box"}).status_code for _ in range(60)}
    assert statuses == {200}
