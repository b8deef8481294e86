from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ForumLanguage(models.Model):
    """The language a machina forum (and every forum under it) is written in."""

    forum = models.OneToOneField(
        "forum.Forum", on_delete=models.CASCADE, related_name="entraide_language"
    )
    lang = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # The forum `community_forum:ask` opens a new question in, per language.
    is_default = models.BooleanField(
        _("default forum for new questions"), default=False
    )

    class Meta:
        verbose_name = _("forum language")
        verbose_name_plural = _("forum languages")

    def __str__(self):
        return f"{self.forum} ({self.lang})"


class TopicSolution(models.Model):
    """The reply that solved a topic, chosen by its author or a moderator."""

    topic = models.OneToOneField(
        "forum_conversation.Topic",
        on_delete=models.CASCADE,
        related_name="entraide_solution",
    )
    post = models.ForeignKey(
        "forum_conversation.Post",
        on_delete=models.CASCADE,
        related_name="entraide_solutions",
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("topic solution")
        verbose_name_plural = _("topic solutions")

    def __str__(self):
        return str(self.topic)


class TopicPromotion(models.Model):
    """A solved topic turned into a knowledge base article (a draft until published)."""

    topic = models.OneToOneField(
        "forum_conversation.Topic",
        on_delete=models.CASCADE,
        related_name="entraide_promotion",
    )
    # A plain id: the KB page lives in Wagtail and may be deleted independently.
    article_page_id = models.PositiveIntegerField()
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("promotion to the knowledge base")
        verbose_name_plural = _("promotions to the knowledge base")

    def __str__(self):
        return f"{self.topic} → {self.article_page_id}"


class PostReport(models.Model):
    """A member's report of a post; it waits in the moderation queue until handled."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abusive or offensive")
        PERSONAL = "personal", _("Personal data exposed")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", pgettext_lazy("report reason", "Other")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("report status", "Open")
        DISMISSED = "dismissed", pgettext_lazy("report status", "Dismissed")
        REMOVED = "removed", _("Post removed")

    post = models.ForeignKey(
        "forum_conversation.Post",
        on_delete=models.SET_NULL,
        null=True,
        related_name="entraide_reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    comment = models.TextField(_("details"), blank=True, max_length=1000)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("post report")
        verbose_name_plural = _("post reports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_reason_display()} #{self.post_id}"


class ModerationLog(models.Model):
    """Audit trail of moderation: who did what to which post, with a copy of it."""

    class Action(models.TextChoices):
        APPROVED = "approved", pgettext_lazy("moderation action", "Approved")
        DISAPPROVED = "disapproved", pgettext_lazy("moderation action", "Disapproved")
        REMOVED_SPAM = "removed_spam", _("Removed as spam")
        DELETED_POST = "deleted_post", _("Post deleted")
        DELETED_TOPIC = "deleted_topic", _("Topic deleted")
        REPORT_DISMISSED = "report_dismissed", _("Report dismissed")
        PROMOTED = "promoted", _("Promoted to the knowledge base")

    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    topic_id = models.PositiveIntegerField(null=True, blank=True)
    post_id = models.PositiveIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    # Raw text as it was: the post itself may be gone.
    content = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_action_display()} #{self.post_id or self.topic_id}"
