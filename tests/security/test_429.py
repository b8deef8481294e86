"""Finding 2: allauth's own rate limits answer with our 429 page, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

PASSWORD = "Une phrase de passe solide 42"


def test_too_many_signups_get_our_429_page(client):
    statuses = []
    for n in range(25):
        response = client.post(
            "/en/accounts/signup/",
            {
                "email": f"p{n}@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        statuses.append(response.status_code)
    assert 500 not in statuses
    assert statuses[-1] == 429
    page = response.content.decode()
    assert "Too many requests" in page
    # A sign-up form is not shown again: the page must not claim it kept anything.
    assert "copy it before trying again" in page
    assert "Nothing you sent has been lost" not in page


def test_too_many_password_resets_get_our_429_page(client):
    statuses = [
        client.post(
            "/fr/accounts/password/reset/", {"email": "someone@example.org"}
        ).status_code
        for _ in range(12)
    ]
    assert 500 not in statuses
    assert statuses[-1] == 429


def test_our_own_429_says_when_to_retry(client, member):
    client.force_login(member)
    for _ in range(25):
        response = client.post(
            "/r/abcdefgh/feedback", {"helpful": "yes"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "You can try again in 60 seconds." in response.content.decode()
