"""A forum rate limit shows the form again with what was typed (429 + error)."""

from tests.config.ratelimit_helpers import assert_typed_text_kept
from tests.forum.conftest import post_create_path, topic_create_path


def test_forum_reply_429_keeps_the_text(client, topic, seasoned_member, settings):
    settings.FORUM_REPLIES_PER_10_MIN = 1
    client.force_login(seasoned_member)
    path = post_create_path(topic)
    assert client.post(path, {"subject": "Re", "content": "Un"}).status_code == 302
    response = client.post(path, {"subject": "Re", "content": "Ma réponse détaillée"})
    assert_typed_text_kept(response, "Ma réponse détaillée")
    assert "trop de réponses" in response.content.decode()


def test_forum_topic_429_keeps_the_text(client, forums, seasoned_member, settings):
    settings.FORUM_TOPICS_PER_10_MIN = 1
    client.force_login(seasoned_member)
    path = topic_create_path(forums["fr"])
    assert client.post(path, {"subject": "Un", "content": "Premier"}).status_code == 302
    response = client.post(
        path, {"subject": "Mon sujet gardé", "content": "Ma question détaillée"}
    )
    assert_typed_text_kept(response, "Mon sujet gardé", "Ma question détaillée")


def test_forum_report_429_keeps_the_text(client, reply, seasoned_member, monkeypatch):
    monkeypatch.setattr("forum.views.REPORT_LIMIT", 0)
    client.force_login(seasoned_member)
    response = client.post(
        f"/en/forum/post/{reply.pk}/report/",
        {"reason": "spam", "comment": "My detailed explanation"},
    )
    assert_typed_text_kept(response, "My detailed explanation")
