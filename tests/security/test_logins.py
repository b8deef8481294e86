"""Finding 1: every password form shares allauth's failed-login limit and
refuses accounts whose e-mail address is not confirmed."""

import pytest

from accounts import roles
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

RIGHT = "correct horse 42"  # tests.factories.UserFactory's password

# (path, login field) of each form that takes a password.
FORMS = {
    "allauth": ("/en/accounts/login/", "login"),
    "private pages": ("/en/_util/login/", "username"),
    "wagtail admin": ("/cms/login/", "username"),
    "django admin": ("/django-admin/login/", "username"),
}


def _post(client, form, login, password, ip="10.0.0.1"):
    path, field = FORMS[form]
    return client.post(
        path,
        {field: login, "password": password},
        REMOTE_ADDR=ip,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def admin_user():
    # Staff and superuser, so every form (admin ones included) would let it in.
    return user_with_role(roles.STAFF, is_staff=True, is_superuser=True)


@pytest.mark.parametrize("form", list(FORMS))
def test_25_wrong_passwords_then_the_right_one_is_refused(client, admin_user, form):
    for attempt in range(25):
        response = _post(
            client, form, admin_user.email, "wrong", ip=f"10.1.0.{attempt}"
        )
        assert response.status_code in (200, 429)
        assert not _signed_in(client)
    # Right password, from yet another address: the account is locked.
    response = _post(client, form, admin_user.email, RIGHT, ip="10.9.9.9")
    assert not _signed_in(client)
    assert response.status_code in (200, 429)


@pytest.mark.parametrize("form", ["private pages", "wagtail admin", "django admin"])
def test_the_right_password_works_when_not_locked(client, admin_user, form):
    response = _post(client, form, admin_user.email, RIGHT)
    assert response.status_code == 302
    assert _signed_in(client)


@pytest.mark.parametrize("form", ["private pages", "wagtail admin", "django admin"])
def test_admin_forms_accept_the_username_too(client, admin_user, form):
    response = _post(client, form, admin_user.username, RIGHT)
    assert response.status_code == 302
    assert _signed_in(client)


@pytest.mark.parametrize("form", ["private pages", "wagtail admin", "django admin"])
def test_locked_on_allauth_means_locked_everywhere(client, admin_user, form):
    for attempt in range(5):
        _post(client, "allauth", admin_user.email, "wrong", ip=f"10.2.0.{attempt}")
    # By e-mail or by username, from an address that never failed.
    for login in (admin_user.email, admin_user.username):
        response = _post(client, form, login, RIGHT, ip="10.3.3.3")
        assert not _signed_in(client)
        assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.parametrize("form", ["private pages", "wagtail admin", "django admin"])
def test_failures_on_other_forms_lock_allauth_too(client, admin_user, form):
    for attempt in range(5):
        _post(client, form, admin_user.username, "wrong", ip=f"10.4.0.{attempt}")
    response = _post(client, "allauth", admin_user.email, RIGHT, ip="10.5.5.5")
    assert not _signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.parametrize("form", list(FORMS))
def test_unverified_account_cannot_sign_in(client, form):
    user = UserFactory(verified=False, is_staff=True, is_superuser=True)
    response = _post(client, form, user.email, RIGHT)
    assert not _signed_in(client)
    if form != "allauth":  # allauth sends to its "confirm your address" page
        assert response.status_code == 200
        assert "not confirmed yet" in response.content.decode()
