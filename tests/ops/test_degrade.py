"""Outside services down: the site degrades instead of failing."""

import json

from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from config.env import database_from_url

REDIS_DOWN = {
    **settings.CACHES,
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        # Nothing listens on the discard port.
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
    },
}


@override_settings(
    CACHES=REDIS_DOWN, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
)
def test_pages_render_while_redis_is_down(client, db):
    assert cache.get("anything") is None  # no exception
    assert client.get("/fr/").status_code == 200
    health = client.get("/healthz")
    # The outage is reported where operators look, not to visitors.
    assert health.status_code == 503
    assert json.loads(health.content)["checks"]["cache"]["ok"] is False


def test_database_connections_are_checked_after_a_restart(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x")
    config = database_from_url("DATABASE_URL", "unused")
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True
