import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import translation

from config import views

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "heading", "search_label"),
    [
        ("fr", "Comment pouvons-nous vous aider ?", "Décrivez votre problème"),
        ("en", "How can we help?", "Describe your problem"),
    ],
)
def test_home_page_in_both_languages(client, lang, heading, search_label):
    response = client.get(f"/{lang}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert heading in html
    assert search_label in html
    assert 'href="#main"' in html  # skip link


@pytest.mark.parametrize(
    ("accept", "target"), [("fr-FR,fr;q=0.9", "/fr/"), ("en-GB,en;q=0.8", "/en/")]
)
def test_root_picks_the_browser_language(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response.url == target


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Page introuvable"), ("en", "Page not found")]
)
def test_404_page_in_both_languages(client, lang, title):
    response = client.get(f"/{lang}/this-page-does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert title in html
    assert 'type="search"' in html  # a way forward, not a dead end


def test_language_switch_keeps_the_page(client):
    response = client.get(
        "/i18n/setlang/", {"language": "en", "next": "/en/accounts/login/"}
    )
    assert response.status_code == 302
    assert response.url == "/en/accounts/login/"


def test_healthz_reports_every_component(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {"database", "cache", "search"} <= set(body["checks"])
    assert all(check["ok"] for check in body["checks"].values())


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            # Port 1 on loopback: refused at once, like a Redis that is down.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
)
def test_healthz_503_when_the_cache_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False


def test_security_headers_on_pages(client):
    response = client.get("/en/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("handler", "status", "lang", "text"),
    [
        ("server_error", 500, "fr", "Une erreur est survenue"),
        ("server_error", 500, "en", "Something went wrong"),
        ("permission_denied", 403, "fr", "Accès refusé"),
        ("bad_request", 400, "en", "Bad request"),
    ],
)
def test_error_pages_are_styled_and_translated(rf, handler, status, lang, text):

    request = rf.get(f"/{lang}/")
    request.user = AnonymousUser()
    with translation.override(lang):
        response = getattr(views, handler)(request)
    html = response.content.decode()
    assert response.status_code == status
    assert text in html
    assert "site.css" in html
