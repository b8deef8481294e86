"""Rate limits count the real client, whatever X-Forwarded-For it sends."""

import pytest
from allauth.core.internal.httpkit import get_client_ip as allauth_client_ip
from django.conf import settings
from django.test import RequestFactory

from config import ratelimit as ratelimit_module
from config.ratelimit import client_ip
from kb.models import ArticleFeedback
from tests.kb.factories import build_kb_tree

VOTE_LIMIT = 30  # kb-vote: 30 per IP per 10 minutes (kb/views.py)
CLIENT = "203.0.113.7"
PROXY = "10.1.2.3"


@pytest.fixture
def kb(db):
    return build_kb_tree()


def _proxied(settings, count):
    settings.TRUSTED_PROXY_COUNT = count
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count


def _votes(client, url, headers):
    # Sent from the article page: the vote's same-origin check passes.
    same = {"HTTP_SEC_FETCH_SITE": "same-origin"}
    return [
        client.post(url, {"helpful": "yes"}, **same, **h).status_code for h in headers
    ]


def test_rotating_forwarded_for_cannot_dodge_a_limit_without_proxy(
    kb, client, settings
):
    _proxied(settings, 0)
    url = kb.article_fr.url + "feedback/"
    # The attacker talks to Django directly and makes up a new header each time.
    headers = [
        {"REMOTE_ADDR": CLIENT, "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        for n in range(50)
    ]
    statuses = _votes(client, url, headers)
    assert statuses.count(429) == 50 - VOTE_LIMIT
    assert statuses[VOTE_LIMIT:] == [429] * (50 - VOTE_LIMIT)


def test_rotating_forwarded_for_prefix_cannot_dodge_a_limit_behind_one_proxy(
    kb, client, settings
):
    _proxied(settings, 1)
    url = kb.article_fr.url + "feedback/"
    # nginx appends the address it saw; the attacker rotates what comes before.
    headers = [
        {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}, {CLIENT}"}
        for n in range(50)
    ]
    statuses = _votes(client, url, headers)
    assert statuses[:VOTE_LIMIT] == [302] * VOTE_LIMIT
    assert statuses[VOTE_LIMIT:] == [429] * (50 - VOTE_LIMIT)
    # Another visitor behind the same proxy still has their own allowance.
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "192.0.2.9"}
    assert _votes(client, url, [other]) == [302]
    assert ArticleFeedback.objects.filter(page=kb.article_fr).count() == 1


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, CLIENT, "6.6.6.6", CLIENT),
        (0, CLIENT, "", CLIENT),
        (1, PROXY, f"6.6.6.6, {CLIENT}", CLIENT),
        (1, PROXY, CLIENT, CLIENT),
        (2, PROXY, f"6.6.6.6, {CLIENT}, 10.9.9.9", CLIENT),
        # A request that reached Django around the proxy: trust only the peer.
        (1, CLIENT, "", CLIENT),
    ],
)
def test_client_ip_is_the_nth_entry_from_the_right_as_allauth_sees_it(
    settings, count, remote, forwarded, expected
):
    _proxied(settings, count)
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **extra)
    assert client_ip(request) == expected
    # allauth's login and signup limits key on the same address.
    assert allauth_client_ip(request) == expected


def test_allauth_follows_the_one_setting():

    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT == 0


def test_a_cache_that_is_down_lets_requests_through(monkeypatch):
    # django-redis with IGNORE_EXCEPTIONS answers None while Redis is down.
    monkeypatch.setattr(ratelimit_module.cache, "incr", lambda key: None)
    assert ratelimit_module.ratelimit_hit("test", "1.2.3.4", 1, 60) is False
