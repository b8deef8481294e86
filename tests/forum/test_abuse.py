from machina.apps.forum_conversation.models import Post

from forum.models import ModerationLog, PostReport
from forum.services import post_report_create
from tests.forum.conftest import post_create_path, topic_create_path, topic_path


def test_report_lands_in_the_queue_and_removal_is_audited(
    client, topic, reply, seasoned_member, moderator
):
    client.force_login(seasoned_member)
    form = client.get(f"/fr/forum/post/{reply.pk}/report/")
    assert form.status_code == 200
    response = client.post(
        f"/fr/forum/post/{reply.pk}/report/",
        {"reason": "spam", "comment": "Publicité déguisée"},
    )
    assert response.status_code == 302
    report = PostReport.objects.get(post=reply)
    assert report.reporter == seasoned_member

    client.force_login(moderator)
    queue = client.get("/fr/forum/moderation/").content.decode()
    assert "1 signalement ouvert" in queue
    assert "Publicité déguisée" in queue
    response = client.post(
        f"/fr/forum/moderation/post/{reply.pk}/remove/", {"reason": "publicité"}
    )
    assert response.status_code == 302
    assert not Post.objects.filter(pk=reply.pk).exists()
    entry = ModerationLog.objects.get(action=ModerationLog.Action.REMOVED_SPAM)
    assert entry.content == "Désactivez le redémarrage programmé."
    assert entry.actor == moderator
    assert entry.reason == "publicité"
    report.refresh_from_db()
    assert report.status == PostReport.Status.REMOVED
    assert (
        "0 signalement ouvert" in client.get("/fr/forum/moderation/").content.decode()
    )


def test_dismissed_report_keeps_the_post(
    client, topic, reply, seasoned_member, moderator
):

    report = post_report_create(post=reply, reporter=seasoned_member, reason="abuse")
    client.force_login(moderator)
    client.post(f"/fr/forum/moderation/report/{report.pk}/dismiss/")
    report.refresh_from_db()
    assert report.status == PostReport.Status.DISMISSED
    assert Post.objects.filter(pk=reply.pk).exists()


def test_reply_rate_limit_answers_429_with_a_message(
    client, topic, seasoned_member, settings
):
    settings.FORUM_REPLIES_PER_10_MIN = 2
    client.force_login(seasoned_member)
    for n in range(2):
        response = client.post(
            post_create_path(topic), {"subject": "Re", "content": f"Réponse {n}"}
        )
        assert response.status_code == 302
    response = client.post(
        post_create_path(topic), {"subject": "Re", "content": "Encore"}
    )
    assert response.status_code == 429
    assert "trop de réponses" in response.content.decode()
    assert not Post.objects.filter(content="Encore").exists()


def test_topic_rate_limit_is_per_ip_too(
    client, forums, seasoned_member, trusted, settings
):
    settings.FORUM_TOPICS_PER_10_MIN = 1
    client.force_login(seasoned_member)
    assert (
        client.post(
            topic_create_path(forums["fr"]), {"subject": "Un", "content": "Premier"}
        ).status_code
        == 302
    )
    # Another account from the same address is refused as well.
    client.force_login(trusted)
    response = client.post(
        topic_create_path(forums["fr"]), {"subject": "Deux", "content": "Second"}
    )
    assert response.status_code == 429
    assert "trop de sujets" in response.content.decode()


def test_honeypot_refuses_bots(client, topic, seasoned_member):
    client.force_login(seasoned_member)
    response = client.post(
        post_create_path(topic),
        {"subject": "Re", "content": "Achetez", "website": "http://spam.example"},
    )
    assert response.status_code == 400
    assert not Post.objects.filter(content="Achetez").exists()
    assert "Achetez" not in client.get(topic_path(topic)).content.decode()
