import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_anonymous_pages_outside_the_forum_set_no_session(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_anonymous_forum_visitors_still_get_their_forum_key(client):
    response = client.get("/en/forum/")
    assert response.status_code == 200
    assert client.session.get("_anonymous_forum_key")
