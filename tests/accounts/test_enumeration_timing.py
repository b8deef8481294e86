"""The three places that must not reveal whether someone has an account (or
wrote to support) answer in about the same time either way.

Median of 20 tries each, known and unknown interleaved; the margin is generous
(ratio of medians within 0.5–2) because the machine is shared. Production
password hashing is used (the test settings' fast hasher would hide the gap),
and a mail server that takes a moment to accept a message, as a real one does
(mail leaves within the request with the default immediate task backend).
"""

import statistics
import time

import pytest
from django.conf import global_settings
from django.core.cache import cache
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client

from tests.factories import UserFactory
from tests.support.ticket_helpers import open_ticket

pytestmark = pytest.mark.django_db

TRIES = 20
PASSWORD = "Une phrase de passe solide 42"


class RemoteSmtpBackend(EmailBackend):
    """locmem, plus the round trip to a mail server on the network."""

    def send_messages(self, messages):
        time.sleep(0.04 * len(messages))
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    settings.EMAIL_BACKEND = f"{__name__}.RemoteSmtpBackend"
    # Forty requests from one address: allauth's own limits are not under test.
    settings.ACCOUNT_RATE_LIMITS = False


def _timed(post):
    cache.clear()  # our rate limits (ticket links: 3 an hour per address)
    client = Client()
    start = time.perf_counter()
    response = post(client)
    elapsed = time.perf_counter() - start
    assert response.status_code in (200, 302), response.status_code
    return elapsed


def _medians(known, unknown):
    known_times, unknown_times = [], []
    for n in range(TRIES):
        known_times.append(_timed(lambda c, n=n: known(c, n)))
        unknown_times.append(_timed(lambda c, n=n: unknown(c, n)))
    return statistics.median(known_times), statistics.median(unknown_times)


def _assert_alike(label, known, unknown):
    ratio = known / unknown
    assert 0.5 <= ratio <= 2.0, (
        f"{label}: {known * 1000:.1f} ms for a known address, "
        f"{unknown * 1000:.1f} ms for an unknown one"
    )


def test_signup_takes_as_long_for_an_existing_address(db):
    UserFactory(email="taken@example.org")

    def signup(client, email):
        return client.post(
            "/en/accounts/signup/",
            {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        )

    known, unknown = _medians(
        lambda c, n: signup(c, "taken@example.org"),
        lambda c, n: signup(c, f"new{n}@example.org"),
    )
    _assert_alike("sign-up", known, unknown)


def test_password_reset_takes_as_long_for_an_unknown_address(db):
    UserFactory(email="known@example.org")

    def reset(client, email):
        return client.post("/en/accounts/password/reset/", {"email": email})

    known, unknown = _medians(
        lambda c, n: reset(c, "known@example.org"),
        lambda c, n: reset(c, f"nobody{n}@example.org"),
    )
    _assert_alike("password reset", known, unknown)


def test_ticket_link_request_does_not_tell_who_wrote_to_support(client):
    open_ticket(client, email="camille@example.net")

    def ask(c, email):
        return c.post("/fr/support/link/", {"email": email})

    known, unknown = _medians(
        lambda c, n: ask(c, "camille@example.net"),
        lambda c, n: ask(c, f"stranger{n}@example.net"),
    )
    _assert_alike("ticket links", known, unknown)
