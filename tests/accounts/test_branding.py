"""Mails carry the site's name, and people are named the way they chose."""

import html
import re

import pytest
from django.contrib.sites.models import Site
from django.core import mail

from accounts.services import profile_update, site_update_from_settings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Une phrase de passe solide 42"


def _signup(client, email):
    return client.post(
        "/fr/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def _confirmation_path(message):
    match = re.search(
        r"https?://[^/\s]+(/\S*/accounts/confirm-email/\S+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def _shown(response):
    return html.unescape(response.content.decode())


def test_migrate_names_the_site_from_settings():
    # post_migrate ran when the test database was built.
    site = Site.objects.get_current()
    assert site.name == "Entraide"
    assert site.domain == "127.0.0.1:8000"


def test_site_row_follows_changed_settings(settings):
    settings.SITE_NAME = "Aide Box"
    settings.SITE_URL = "https://aide.example.net"
    site_update_from_settings()
    site = Site.objects.get_current()
    assert (site.name, site.domain) == ("Aide Box", "aide.example.net")


def test_signup_confirmation_mail_is_branded_with_the_site_name(client):
    Site.objects.filter(pk=1).update(name="example.com", domain="example.com")
    site_update_from_settings()
    _signup(client, "nadia.benali@example.org")
    [message] = mail.outbox
    assert message.subject.startswith("[Entraide] ")
    assert "Entraide" in message.body
    for part in (message.subject, message.body, *[a[0] for a in message.alternatives]):
        assert "example.com" not in part


def test_confirmation_signs_in_without_a_made_up_name(client):
    _signup(client, "nadia.benali@example.org")
    [message] = mail.outbox
    response = client.post(_confirmation_path(message), follow=True)
    page = _shown(response)
    assert "Connexion réussie" in page
    assert "Connexion avec nadia.benali" not in page
    # The header never shows the address.
    header = page.split('<header class="site-header"', 1)[1].split("</header>", 1)[0]
    assert "nadia.benali@example.org" not in header


def test_sign_in_message_and_header_use_the_display_name(client):
    user = UserFactory(email="nadia.benali@example.org")
    profile_update(user=user, display_name="Nadia B.", preferred_language="fr")
    response = client.post(
        "/fr/accounts/login/",
        {"login": "nadia.benali@example.org", "password": "correct horse 42"},
        follow=True,
    )
    page = _shown(response)
    assert "Connexion avec Nadia B. réussie." in page
    header = page.split('<header class="site-header"', 1)[1].split("</header>", 1)[0]
    assert "Nadia B." in header
    assert "nadia.benali@example.org" not in header
