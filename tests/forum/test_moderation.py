from machina.apps.forum_conversation.models import Post, Topic

from forum.models import ModerationLog
from forum.services import post_create
from tests.factories import UserFactory
from tests.forum.conftest import (
    forum_path,
    post_create_path,
    topic_create_path,
    topic_path,
)


def test_new_member_first_topic_waits_until_approved(client, forums, moderator):
    newcomer = UserFactory()
    client.force_login(newcomer)
    response = client.post(
        topic_create_path(forums["fr"]),
        {"subject": "Ma première question", "content": "Comment activer la 5G ?"},
        follow=True,
    )
    # One clear message, not "published successfully" next to "will be validated".
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and "apparaîtra sur le forum" in messages[0]
    assert "publié avec succès" not in response.content.decode()
    topic = Topic.objects.get(subject="Ma première question")
    assert not topic.approved
    client.logout()
    assert (
        "Ma première question"
        not in client.get(forum_path(forums["fr"])).content.decode()
    )
    assert client.get(topic_path(topic)).status_code == 404

    client.force_login(moderator)
    queue = client.get("/fr/forum/moderation/").content.decode()
    assert "Comment activer la 5G ?" in queue
    assert "1 message en attente" in queue
    post = topic.first_post
    response = client.post(f"/fr/forum/moderation/queue/{post.pk}/approve/")
    assert response.status_code == 302
    client.logout()
    page = client.get(topic_path(topic))
    assert page.status_code == 200
    assert "Comment activer la 5G ?" in page.content.decode()
    assert ModerationLog.objects.filter(
        action=ModerationLog.Action.APPROVED, post_id=post.pk, actor=moderator
    ).exists()


def test_new_member_reply_is_hidden_until_approved(client, topic, settings):
    newcomer = UserFactory()
    client.force_login(newcomer)
    client.post(
        post_create_path(topic), {"subject": "Re", "content": "Même souci ici."}
    )
    reply = Post.objects.get(content="Même souci ici.")
    assert not reply.approved
    client.logout()
    assert "Même souci ici." not in client.get(topic_path(topic)).content.decode()


def test_link_from_a_new_member_is_queued(client, topic, seasoned_member):
    client.force_login(seasoned_member)
    client.post(
        post_create_path(topic),
        {"subject": "Re", "content": "Regardez https://promo.example.com/offre"},
    )
    client.post(post_create_path(topic), {"subject": "Re", "content": "Sans lien."})
    assert not Post.objects.get(content__contains="promo.example.com").approved
    assert Post.objects.get(content="Sans lien.").approved


def test_trusted_member_links_are_published(client, topic, trusted):
    client.force_login(trusted)
    client.post(
        post_create_path(topic),
        {"subject": "Re", "content": "Le guide : https://entraide.example/guide"},
    )
    assert Post.objects.get(content__contains="/guide").approved


def test_moderator_locks_a_topic_and_members_can_no_longer_reply(
    client, topic, moderator, seasoned_member
):
    client.force_login(moderator)
    response = client.post(f"/fr/forum/moderation/topic/{topic.slug}-{topic.pk}/lock/")
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.is_locked
    client.force_login(seasoned_member)
    response = client.post(post_create_path(topic), {"subject": "Re", "content": "Moi"})
    assert response.status_code == 403
    assert "Verrouillé" in client.get(topic_path(topic)).content.decode()


def test_moderator_moves_a_topic(client, topic, forums, moderator):
    client.force_login(moderator)
    response = client.post(
        f"/fr/forum/moderation/topic/{topic.slug}-{topic.pk}/move/",
        {"forum": forums["fr_mobile"].pk},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.forum == forums["fr_mobile"]
    page = client.get(forum_path(forums["fr_mobile"])).content.decode()
    assert topic.subject in page


def test_member_cannot_moderate(client, topic, seasoned_member):
    client.force_login(seasoned_member)
    response = client.post(f"/fr/forum/moderation/topic/{topic.slug}-{topic.pk}/lock/")
    assert response.status_code == 403
    assert client.get("/fr/forum/moderation/").status_code == 403


def test_topic_deletion_keeps_an_audit_copy(client, topic, moderator):
    client.force_login(moderator)
    response = client.post(
        f"/fr/forum/moderation/topic/{topic.slug}-{topic.pk}/delete/"
    )
    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()
    entry = ModerationLog.objects.get(action=ModerationLog.Action.DELETED_TOPIC)
    assert entry.actor == moderator
    assert entry.content == "Elle redémarre chaque nuit vers 3 h."


def test_new_member_editing_a_link_into_a_post_sends_it_back_to_the_queue(
    client, topic, seasoned_member
):

    post = post_create(topic=topic, user=seasoned_member, content="Bonne idée.")
    assert post.approved
    client.force_login(seasoned_member)
    forum = topic.forum
    response = client.post(
        f"/fr/forum/forum/{forum.slug}-{forum.pk}/topic/{topic.slug}-{topic.pk}/"
        f"{post.pk}/post/update/",
        {
            "subject": "Re",
            "content": "Bonne idée. Voir www.promo-box.biz",
            "update_reason": "",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert not post.approved
    assert "promo-box" not in client.get(topic_path(topic)).content.decode()


def test_moderator_pins_a_topic(client, topic, moderator):
    client.force_login(moderator)
    response = client.post(
        f"/fr/forum/moderation/topic/{topic.slug}-{topic.pk}/change/sticky/"
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.is_sticky
    page = client.get(forum_path(topic.forum)).content.decode()
    assert "Épinglé" in page
