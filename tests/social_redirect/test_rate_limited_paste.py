"""The social paste's rate limit shows the form again with the pasted post."""

import pytest

from accounts import roles
from social_redirect.models import Mention
from tests.config.ratelimit_helpers import assert_typed_text_kept
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_social_paste_429_keeps_the_text(client, monkeypatch):
    monkeypatch.setattr("social_redirect.views.PASTE_LIMIT", 0)
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    response = client.post(
        "/en/social/",
        {
            "url": "https://x.com/claire/status/987654321",
            "text": "my box is down again",
            "author_handle": "claire",
            "followers_count": "1200",
        },
    )
    assert_typed_text_kept(response, "my box is down again", "987654321")
    assert not Mention.objects.exists()
