"""Machina's other pages render inside the site layout, in both languages."""

import pytest

from forum.services import post_create
from tests.factories import UserFactory


def machina_pages(topic, reply, queued, user):
    forum = topic.forum
    base = f"forum/forum/{forum.slug}-{forum.pk}/topic/{topic.slug}-{topic.pk}"
    moderation = f"forum/moderation/topic/{topic.slug}-{topic.pk}"
    return [
        f"{base}/update/",
        f"{base}/{reply.pk}/post/update/",
        f"{base}/{reply.pk}/post/delete/",
        f"{moderation}/lock/",
        f"{moderation}/move/",
        f"{moderation}/delete/",
        f"{moderation}/change/sticky/",
        f"forum/moderation/queue/{queued.pk}/",
        f"forum/moderation/queue/{queued.pk}/approve/",
        f"forum/moderation/queue/{queued.pk}/disapprove/",
        f"forum/member/topic/{topic.pk}/subscribe/",
        "forum/member/subscriptions/",
        f"forum/member/profile/{user.pk}/posts/",
        f"forum/member/profile/{user.pk}/",
        "forum/tracking/unread-topics/",
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_machina_pages_use_the_site_layout(client, topic, reply, moderator, lang):

    queued = post_create(topic=topic, user=UserFactory(), content="En attente")
    assert not queued.approved
    client.force_login(moderator)
    for path in machina_pages(topic, reply, queued, moderator):
        response = client.get(f"/{lang}/{path}")
        assert response.status_code == 200, path
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html, path
        assert 'class="site-header"' in html, path
        assert "machina.board_theme" not in html, path
