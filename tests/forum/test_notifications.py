from django.core import mail
from machina.apps.forum_conversation.models import Post

from forum.models import MailFailure
from tests.forum.conftest import post_create_path


def test_subscribers_get_an_email_on_a_new_reply(
    client, topic, trusted, seasoned_member, django_capture_on_commit_callbacks
):
    # The topic author (trusted) follows the topic automatically.
    client.force_login(seasoned_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            post_create_path(topic), {"subject": "Re", "content": "Essayez le canal 6."}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [trusted.email]
    assert topic.subject in message.subject
    assert "/fr/forum/" in message.body


def test_queued_reply_notifies_only_once_approved(
    client, topic, trusted, moderator, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    newcomer = UserFactory()
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_create_path(topic), {"subject": "Re", "content": "Moi aussi"})
    assert mail.outbox == []
    post = Post.objects.get(content="Moi aussi")
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/fr/forum/moderation/queue/{post.pk}/approve/")
    assert [m.to for m in mail.outbox] == [[trusted.email]]


def test_mail_failure_is_recorded_and_the_reply_kept(
    client, topic, seasoned_member, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_send_mail(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("forum.tasks.send_mail", broken_send_mail)
    client.force_login(seasoned_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            post_create_path(topic), {"subject": "Re", "content": "Réponse gardée"}
        )
    assert response.status_code == 302
    assert Post.objects.filter(content="Réponse gardée", approved=True).exists()
    failure = MailFailure.objects.get()
    assert "smtp down" in failure.error
