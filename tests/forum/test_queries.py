"""Forum pages that list people cost as many queries for 15 rows as for 5.

Each page is measured twice with the same bound: a query per row (a poster's
profile, say) would push the larger page over it.
"""

import pytest
from machina.apps.forum_conversation.models import Topic

from accounts import roles
from forum.models import ModerationLog
from forum.services import (
    moderation_log_record,
    post_create,
    post_report_create,
    topic_create,
)
from tests.factories import UserFactory, user_with_role
from tests.forum.conftest import forum_path, topic_path

ROWS = 5


def _get_twice(client, path, bound, django_assert_max_num_queries):
    client.get(path)  # per-process caches (content types, permissions) warm up
    with django_assert_max_num_queries(bound):
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("rows", [ROWS, 3 * ROWS])
def test_moderation_page_queries_do_not_grow_with_rows(
    client, topic, moderator, rows, django_assert_max_num_queries
):
    for number in range(rows):
        pending = post_create(
            topic=topic, user=UserFactory(), content=f"En attente {number}"
        )
        assert not pending.approved
        reported = post_create(
            topic=topic, user=UserFactory(), content="Publié", preapproved=True
        )
        post_report_create(post=reported, reporter=UserFactory(), reason="spam")
        moderation_log_record(
            action=ModerationLog.Action.APPROVED,
            actor=user_with_role(roles.MODERATORS),
            post=reported,
        )
    client.force_login(moderator)
    html = _get_twice(
        client, "/fr/forum/moderation/", 12, django_assert_max_num_queries
    )
    assert html.count('class="card queue-item"') == 2 * rows


@pytest.mark.parametrize("rows", [ROWS, 3 * ROWS])
def test_forum_topic_list_queries_do_not_grow_with_rows(
    client, forums, member, rows, django_assert_max_num_queries
):
    for number in range(rows):
        for kind in ("Question", "Annonce"):
            topic = topic_create(
                forum=forums["fr"],
                user=UserFactory(),
                subject=f"{kind} {number}",
                content="Bonjour",
                preapproved=True,
            )
        Topic.objects.filter(pk=topic.pk).update(type=Topic.TOPIC_ANNOUNCE)
    client.force_login(member)
    # 21: the header reads the person's groups once (work links for agents
    # and community managers).
    html = _get_twice(
        client, forum_path(forums["fr"]), 21, django_assert_max_num_queries
    )
    assert html.count('class="topic-row') == 2 * rows


@pytest.mark.parametrize("rows", [4, 12])  # one page: machina shows 15 posts
def test_topic_page_queries_do_not_grow_with_rows(
    client, topic, member, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        post_create(
            topic=topic, user=UserFactory(), content="Réponse", preapproved=True
        )
    client.force_login(member)
    html = _get_twice(client, topic_path(topic), 24, django_assert_max_num_queries)
    assert html.count('class="post-author"') == 1 + rows
