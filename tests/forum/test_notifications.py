from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from machina.apps.forum_conversation.models import Post

from outbox.models import OutboundMail
from tests.factories import UserFactory
from tests.forum.conftest import post_create_path


class SmtpDownBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp down")


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
    client,
    topic,
    trusted,
    seasoned_member,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = f"{__name__}.SmtpDownBackend"
    client.force_login(seasoned_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            post_create_path(topic), {"subject": "Re", "content": "Réponse gardée"}
        )
    assert response.status_code == 302
    assert Post.objects.filter(content="Réponse gardée", approved=True).exists()
    failure = OutboundMail.objects.get(kind="forum_reply")
    assert failure.to == trusted.email
    assert failure.status == OutboundMail.Status.PENDING  # retried later
    assert "smtp down" in failure.last_error
