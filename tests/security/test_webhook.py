"""Finding 4 and the replay low: the mentions webhook and X's Account Activity
webhook answer 2xx or 4xx to anything signed, never 500, and one bad record
never stops the others."""

import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime

import pytest

from social_redirect.models import Mention
from social_redirect.services.mentions import MAX_FOLLOWERS, MentionError, parse_time

SECRET = "webhook-secret-for-tests"
X_SECRET = "consumer-secret"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _secrets(settings):
    settings.MENTIONS_WEBHOOK_SECRET = SECRET
    settings.X_CONSUMER_SECRET = X_SECRET
    settings.SOCIAL_SEMANTIC_MATCHING = False


def _post(client, payload, *, timestamp=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    timestamp = str(timestamp or int(time.time()))
    signed = timestamp.encode() + b"." + body
    signature = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    return client.post(
        "/api/mentions/",
        body,
        content_type="application/json",
        headers={
            "x-entraide-timestamp": timestamp,
            "x-entraide-signature": "sha256=" + signature,
        },
    )


def _post_x(client, payload, *, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    digest = hmac.new(X_SECRET.encode(), body, hashlib.sha256).digest()
    return client.post(
        "/api/x/activity/",
        body,
        content_type="application/json",
        headers={
            "x-twitter-webhooks-signature": "sha256="
            + base64.b64encode(digest).decode()
        },
    )


def _record(n, **extra):
    return {
        "id": str(1000 + n),
        "text": f"Toujours pas de réseau, numéro {n} !",
        **extra,
    }


def _stored_ids():
    return set(Mention.objects.values_list("external_id", flat=True))


def test_every_common_timestamp_is_read_and_a_bad_one_stops_nothing(client):
    now = int(time.time()) - 3600
    records = [
        _record(1, created_at="2024-03-01T10:00:00"),  # naive ISO: UTC
        _record(2, created_at=now),  # epoch seconds
        _record(3, created_at=str(now)),  # epoch seconds as text
        _record(4, created_at="not a date at all"),
        _record(5, timestamp_ms=str(now * 1000)),  # X's webhook field
        _record(6, created_at="Tue Oct 31 22:10:47 +0000 2017"),
        _record(7, created_at="2024-13-45T99:00:00"),
        _record(8, created_at=10**30),
    ]
    response = _post(client, records)
    assert response.status_code == 202
    body = response.json()
    assert body["created"] == 5
    assert [e["index"] for e in body["errors"]] == [3, 6, 7]
    assert _stored_ids() == {"1001", "1002", "1003", "1005", "1006"}
    first = Mention.objects.get(external_id="1001")
    assert first.posted_at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert Mention.objects.get(external_id="1002").posted_at.timestamp() == now
    assert Mention.objects.get(external_id="1005").posted_at.timestamp() == now


@pytest.mark.parametrize(
    "value",
    [0, -1, 10**30, 1e308, float("inf"), "9" * 40, [], {}, True, "2017-02-30"],
)
def test_parse_time_refuses_junk_with_a_clear_error(value):

    with pytest.raises(MentionError):
        parse_time(value)


@pytest.mark.parametrize(
    "payload",
    [
        {"tweet_create_events": "not a list"},
        {"tweet_create_events": {"id_str": "1"}},
        {"tweet_create_events": ["a", "b"]},
        {"mentions": "nope"},
        ["just", "strings"],
        "a string",
        42,
        None,
    ],
)
def test_malformed_signed_payloads_are_a_400(client, payload):
    response = _post(client, payload)
    assert response.status_code == 400
    assert "error" in response.json() or response.json()["rejected"]
    assert not Mention.objects.exists()


def test_good_records_of_a_mixed_delivery_are_stored(client):
    payload = {
        "tweet_create_events": [
            "a string",
            _record(1, user="not an object"),
            _record(2, user={"screen_name": "lou", "followers_count": 10**30}),
            _record(3, user={"public_metrics": ["odd"]}, text={"nested": "text"}),
            _record(4, id={"odd": 1}, user=[1, 2]),
            None,
            _record(5, followers_count="10" * 20, lang=["fr"]),
        ]
    }
    response = _post(client, payload)
    assert response.status_code == 202
    body = response.json()
    assert body["created"] == 4
    assert [e["index"] for e in body["errors"]] == [0, 3, 5]
    assert Mention.objects.get(author_handle="lou").followers_count == MAX_FOLLOWERS
    assert Mention.objects.filter(followers_count=MAX_FOLLOWERS).count() == 2


@pytest.mark.parametrize("depth", [50, 5000, 200_000])
def test_deeply_nested_json_is_a_400(client, depth):
    raw = b"[" * depth + b"]" * depth
    assert _post(client, None, raw=raw).status_code == 400
    assert _post_x(client, None, raw=raw).status_code == 400
    nested = b'{"tweet_create_events": ' + raw + b"}"
    assert _post_x(client, None, raw=nested).status_code == 400


def test_huge_number_literal_is_a_400_not_a_crash(client):
    raw = b'{"id": "1", "text": "hello", "followers_count": ' + b"9" * 5000 + b"}"
    assert _post(client, None, raw=raw).status_code == 400


def test_x_delivery_with_malformed_events(client):
    payload = {
        "for_user_id": "1",
        "tweet_create_events": [
            "a string",
            {"id_str": "77", "text": "@EntraideTelecom panne", "user": "x"},
            {"id_str": "78", "text": "@EntraideTelecom re", "user": {"id_str": "1"}},
            {
                "id_str": "79",
                "text": "@EntraideTelecom encore",
                "user": {"id_str": "2", "screen_name": "sam"},
                "timestamp_ms": str(int(time.time()) * 1000),
            },
        ],
    }
    response = _post_x(client, payload)
    assert response.status_code == 202
    # Our own tweet (78) is skipped, the string reported, the others stored.
    assert _stored_ids() == {"77", "79"}
    assert response.json()["rejected"] == 1
    assert _post_x(client, {"tweet_create_events": 5}).status_code == 400


# --- replay protection --------------------------------------------------------


def test_stale_or_missing_timestamp_is_refused(client):
    stale = int(time.time()) - 6 * 60
    assert _post(client, _record(1), timestamp=stale).status_code == 403
    future = int(time.time()) + 6 * 60
    assert _post(client, _record(1), timestamp=future).status_code == 403
    body = json.dumps(_record(1)).encode()
    # Signed the old way (body only) or with no timestamp header: refused.
    old_style = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = client.post(
        "/api/mentions/",
        body,
        content_type="application/json",
        headers={"x-entraide-signature": "sha256=" + old_style},
    )
    assert response.status_code == 403
    assert not Mention.objects.exists()
    assert _post(client, _record(1), timestamp=int(time.time()) - 60).status_code == 202


def test_timestamp_is_covered_by_the_signature(client):
    body = json.dumps(_record(1)).encode()
    old = str(int(time.time()) - 3600)
    signature = hmac.new(SECRET.encode(), old.encode() + b"." + body, hashlib.sha256)
    # A captured delivery replayed with a fresh timestamp header.
    response = client.post(
        "/api/mentions/",
        body,
        content_type="application/json",
        headers={
            "x-entraide-timestamp": str(int(time.time())),
            "x-entraide-signature": "sha256=" + signature.hexdigest(),
        },
    )
    assert response.status_code == 403
