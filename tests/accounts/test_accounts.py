import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from accounts import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Une phrase de passe solide 42"


def _signup(client, email, lang="en"):
    return client.post(
        f"/{lang}/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def _confirmation_link(message):
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body)
    assert match, message.body
    return match.group(0).split("://", 1)[1].split("/", 1)[1]


def test_signup_verify_login_logout(client):
    response = _signup(client, "new.customer@example.org")
    assert response.status_code == 302
    assert response.url.endswith("/accounts/confirm-email/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.customer@example.org"]

    confirm_path = "/" + _confirmation_link(mail.outbox[0])
    page = client.get(confirm_path)
    assert page.status_code == 200
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new.customer@example.org").verified
    user = get_user_model().objects.get(email="new.customer@example.org")
    # A verified address makes the account a community member.
    assert roles.user_in(user, roles.MEMBERS)

    client.post("/en/accounts/logout/")
    assert "_auth_user_id" not in client.session
    response = client.post(
        "/en/accounts/login/",
        {"login": "new.customer@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post("/en/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_second_signup_with_same_email_gets_the_neutral_answer(client):
    UserFactory(email="taken@example.org")
    first = _signup(client, "unknown@example.org")
    second = _signup(client, "taken@example.org")
    # Same redirect for a known and an unknown address: no account enumeration.
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert get_user_model().objects.filter(email="taken@example.org").count() == 1


def test_password_reset_does_not_reveal_unknown_addresses(client):
    UserFactory(email="known@example.org")
    known = client.post("/en/accounts/password/reset/", {"email": "known@example.org"})
    unknown = client.post(
        "/en/accounts/password/reset/", {"email": "nobody@example.org"}
    )
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url


def test_unverified_account_cannot_sign_in_to_write(client):
    _signup(client, "pending@example.org")
    client.post("/en/accounts/logout/")
    response = client.post(
        "/en/accounts/login/", {"login": "pending@example.org", "password": PASSWORD}
    )
    # Mandatory verification: no session until the address is confirmed.
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response.url.endswith("/accounts/confirm-email/")
    user = get_user_model().objects.get(email="pending@example.org")
    assert not roles.has_verified_email(user)
    assert not roles.user_in(user, roles.MEMBERS)


def test_login_is_throttled_after_repeated_failures(client):
    UserFactory(email="target@example.org")
    for _ in range(5):
        client.post(
            "/en/accounts/login/", {"login": "target@example.org", "password": "x"}
        )
    # Even the right password is refused while the address is throttled.
    response = client.post(
        "/en/accounts/login/",
        {"login": "target@example.org", "password": "correct horse 42"},
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_profile_page_saves_display_name_and_language(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/en/accounts/profile/", {"display_name": "Lou", "preferred_language": "fr"}
    )
    assert response.status_code == 302
    assert response.url == "/fr/accounts/profile/"
    assert response.cookies["django_language"].value == "fr"
    user.profile.refresh_from_db()
    assert user.profile.public_name == "Lou"
    page = client.get("/fr/accounts/profile/")
    assert "Lou" in page.content.decode()


def test_profile_requires_sign_in(client):
    response = client.get("/en/accounts/profile/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_public_name_never_shows_the_email_address():
    user = UserFactory(email="secret.person@example.org")
    assert "@" not in user.profile.public_name


def test_groups_exist_after_migrations():

    assert set(roles.ALL_GROUPS) <= set(Group.objects.values_list("name", flat=True))


def test_sign_in_with_x_appears_only_when_configured(client, settings):
    page = client.get("/en/accounts/login/").content.decode()
    assert "/accounts/twitter_oauth2/login/" not in page

    settings.SOCIALACCOUNT_PROVIDERS = {
        "twitter_oauth2": {
            "APPS": [{"client_id": "client-id", "secret": "client-secret", "key": ""}]
        }
    }
    page = client.get("/en/accounts/login/").content.decode()
    assert "/en/accounts/twitter_oauth2/login/" in page
