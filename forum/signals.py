import logging

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from machina.apps.forum_conversation.models import Post

from forum.moderation import edit_needs_approval, post_needs_approval
from forum.tasks import topic_reply_notify

logger = logging.getLogger(__name__)


@receiver(pre_save, sender=Post)
def queue_new_member_posts(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance._state.adding:
        # Demo and service code may vouch for a post explicitly.
        if (
            instance.approved
            and not getattr(instance, "_entraide_preapproved", False)
            and post_needs_approval(instance.poster, instance.content.raw)
        ):
            instance.approved = False
        instance._entraide_became_approved = instance.approved
    else:
        previous = (
            Post.objects.filter(pk=instance.pk).values("approved", "content").first()
        )
        was = previous["approved"] if previous else None
        if (
            instance.approved
            and previous
            and edit_needs_approval(instance, previous["content"])
        ):
            instance.approved = False
        instance._entraide_became_approved = bool(instance.approved and was is False)


@receiver(post_save, sender=Post)
def after_post_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    topic = instance.topic
    if created and instance.poster_id and topic.first_post_id in (None, instance.pk):
        # The asker follows their own question.
        topic.subscribers.add(instance.poster_id)
    is_reply = topic.first_post_id not in (None, instance.pk)
    silent = getattr(instance, "_entraide_silent", False)
    if (
        getattr(instance, "_entraide_became_approved", False)
        and is_reply
        and not silent
    ):
        post_id = instance.pk
        transaction.on_commit(lambda: _enqueue_reply_notification(post_id))


def _enqueue_reply_notification(post_id):
    try:
        topic_reply_notify.enqueue(post_id)
    except Exception as exc:  # a broken queue must not fail the request
        # Write the mails to the outbox now: they are sent or retried from there.
        logger.warning("could not enqueue reply notification %s: %s", post_id, exc)
        topic_reply_notify.call(post_id)
