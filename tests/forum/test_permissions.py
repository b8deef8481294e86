from machina.apps.forum_conversation.models import Post, Topic

from accounts import roles
from forum.permissions import forum_permissions_sync
from forum.services import post_create, topic_create
from tests.factories import UserFactory, user_with_role
from tests.forum.conftest import (
    forum_path,
    post_create_path,
    topic_create_path,
    topic_path,
)


def test_anonymous_reads_index_forum_and_topic(client, topic, reply, forums):
    assert client.get("/fr/forum/").status_code == 200
    page = client.get(forum_path(forums["fr"]))
    assert topic.subject in page.content.decode()
    page = client.get(topic_path(topic))
    assert page.status_code == 200
    assert "Désactivez le redémarrage programmé." in page.content.decode()


def test_anonymous_cannot_write(client, topic, forums):
    response = client.post(
        topic_create_path(forums["fr"]), {"subject": "Spam", "content": "Spam"}
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = client.post(
        post_create_path(topic), {"subject": "Re", "content": "Spam"}
    )
    assert "/accounts/login/" in response["Location"]
    assert Topic.objects.count() == 1
    assert Post.objects.count() == 1
    # The page tells visitors how to take part instead of showing a dead button.
    page = client.get(topic_path(topic)).content.decode()
    assert "Poster une réponse" not in page
    assert "pour répondre" in page


def test_unverified_member_is_refused(client, topic, forums):
    newcomer = UserFactory(verified=False)
    client.force_login(newcomer)
    response = client.post(
        topic_create_path(forums["fr"]), {"subject": "Bonjour", "content": "Question"}
    )
    assert response.status_code == 403
    response = client.post(post_create_path(topic), {"subject": "Re", "content": "Moi"})
    assert response.status_code == 403
    assert Post.objects.count() == 1
    # Reading stays open to them.
    assert client.get(topic_path(topic)).status_code == 200


def test_member_opens_a_topic_and_another_replies(client, forums, seasoned_member):
    client.force_login(seasoned_member)
    response = client.post(
        topic_create_path(forums["fr"]),
        {"subject": "Wi-Fi lent le soir", "content": "Le débit chute après 20 h."},
    )
    assert response.status_code == 302
    topic = Topic.objects.get(subject="Wi-Fi lent le soir")
    assert topic.approved
    answerer = UserFactory()

    # The answerer already has two approved posts elsewhere.
    old = topic_create(
        forum=forums["fr"], user=answerer, subject="x", content="y", preapproved=True
    )
    post_create(topic=old, user=answerer, content="z", preapproved=True)
    client.force_login(answerer)
    response = client.post(
        post_create_path(topic),
        {"subject": "Re: Wi-Fi", "content": "Changez de canal Wi-Fi, prenez le 11."},
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(topic_path(topic)).content.decode()
    assert "Le débit chute après 20 h." in page
    assert "Changez de canal Wi-Fi, prenez le 11." in page
    # The asker follows their own question.
    assert topic.subscribers.filter(pk=seasoned_member.pk).exists()


def test_staff_manage_forums_in_the_admin(client, forums):

    forum_permissions_sync()  # idempotent: running it again changes nothing
    staff = user_with_role(roles.STAFF, is_staff=True)
    assert staff.has_perm("forum.change_forum")
    assert not UserFactory(is_staff=True).has_perm("forum.change_forum")
    client.force_login(staff)
    response = client.get(f"/django-admin/forum/forum/{forums['fr'].pk}/change/")
    assert response.status_code == 200
