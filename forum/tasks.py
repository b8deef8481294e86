"""Background work of the forum: reply notifications."""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task
from machina.apps.forum_conversation.models import Post

from forum.selectors import post_url, topic_language
from outbox.services import mail_queue

logger = logging.getLogger(__name__)


@task()
def topic_reply_notify(post_id):
    """E-mail the subscribers of a topic about a new approved reply.

    Each mail goes through the outbox (recorded, then sent with retries): the
    reply is already saved, and one bad address must not stop the others.
    """
    post = (
        Post.objects.filter(pk=post_id, approved=True)
        .select_related("topic", "topic__forum", "poster")
        .first()
    )
    if post is None:
        return 0
    topic = post.topic
    lang = topic_language(topic)
    url = settings.SITE_URL + post_url(post, lang)
    author = post.poster.profile.public_name if post.poster_id else post.username
    queued = 0
    recipients = topic.subscribers.filter(is_active=True).exclude(pk=post.poster_id)
    for user in recipients.select_related("profile"):
        if not user.email:
            continue
        profile = getattr(user, "profile", None)
        mail_lang = getattr(profile, "preferred_language", None) or lang
        with translation.override(mail_lang):
            context = {"topic": topic, "author": author, "url": url}
            subject = render_to_string(
                "community_forum/email/reply_subject.txt", context
            ).strip()
            body = render_to_string("community_forum/email/reply_body.txt", context)
        mail_queue(
            to=[user.email],
            subject=subject,
            body=body,
            kind="forum_reply",
            language=mail_lang,
        )
        queued += 1
    return queued
