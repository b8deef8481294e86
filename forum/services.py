from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic
from machina.conf import settings as machina_settings

from accounts import roles
from accounts.selectors import user_public_name
from forum.models import (
    ForumLanguage,
    ModerationLog,
    PostReport,
    TopicPromotion,
    TopicSolution,
)
from forum.selectors import topic_authors, topic_language, topic_solution, topic_url
from kb.services.editing import article_draft_create

# --- Forum structure ------------------------------------------------------


@transaction.atomic
def forum_create(
    *, name, lang=None, parent=None, category=False, description="", is_default=False
):
    """Create (or find by name under ``parent``) a machina forum in ``lang``."""

    forum_type = Forum.FORUM_CAT if category else Forum.FORUM_POST
    forum = Forum.objects.filter(name=name, parent=parent).first()
    if forum is None:
        forum = Forum.objects.create(
            name=name, parent=parent, type=forum_type, description=description
        )
    if lang:
        ForumLanguage.objects.update_or_create(
            forum=forum, defaults={"lang": lang, "is_default": is_default}
        )
    return forum


@transaction.atomic
def topic_create(*, forum, user, subject, content, preapproved=False):
    """Open a topic with its first post (machina's models, our moderation rules)."""
    topic = Topic.objects.create(
        forum=forum,
        poster=user,
        subject=subject,
        type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED,
    )
    post = Post(topic=topic, poster=user, subject=subject, content=content)
    post._entraide_preapproved = preapproved
    post.save()
    return topic


@transaction.atomic
def post_create(*, topic, user, content, preapproved=False, notify=True):
    post = Post(
        topic=topic,
        poster=user,
        subject=f"{machina_settings.TOPIC_ANSWER_SUBJECT_PREFIX} {topic.subject}",
        content=content,
    )
    post._entraide_preapproved = preapproved
    post._entraide_silent = not notify
    post.save()
    return post


# --- Moderation -----------------------------------------------------------


def moderation_log_record(*, action, actor, post=None, topic=None, reason=""):
    topic = topic or (post.topic if post is not None else None)
    return ModerationLog.objects.create(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        author_id=(
            post.poster_id if post is not None else getattr(topic, "poster_id", None)
        ),
        topic_id=topic.pk if topic is not None else None,
        post_id=post.pk if post is not None else None,
        subject=(post.subject if post is not None else getattr(topic, "subject", ""))[
            :255
        ],
        content=post.content.raw if post is not None else "",
        reason=reason,
    )


@transaction.atomic
def post_approve(*, post, moderator):
    post.approved = True
    post.save()
    moderation_log_record(
        action=ModerationLog.Action.APPROVED, actor=moderator, post=post
    )
    return post


@transaction.atomic
def post_remove(*, post, moderator, action, reason=""):
    """Delete a post (or its whole topic when it is the first post), keeping a copy."""
    moderation_log_record(action=action, actor=moderator, post=post, reason=reason)
    PostReport.objects.filter(post=post, status=PostReport.Status.OPEN).update(
        status=PostReport.Status.REMOVED,
        handled_by=moderator,
        handled_at=timezone.now(),
    )
    if post.is_topic_head:
        # Reports of the other posts of the topic go with it: close them too.
        topic = post.topic
        for other in topic.posts.exclude(pk=post.pk):
            if other.entraide_reports.filter(status=PostReport.Status.OPEN).exists():
                moderation_log_record(
                    action=ModerationLog.Action.DELETED_TOPIC,
                    actor=moderator,
                    post=other,
                )
        PostReport.objects.filter(
            post__topic=topic, status=PostReport.Status.OPEN
        ).update(
            status=PostReport.Status.REMOVED,
            handled_by=moderator,
            handled_at=timezone.now(),
        )
        topic.delete()
    else:
        post.delete()


def post_remove_as_spam(*, post, moderator, reason=""):
    post_remove(
        post=post,
        moderator=moderator,
        action=ModerationLog.Action.REMOVED_SPAM,
        reason=reason,
    )


@transaction.atomic
def post_report_create(*, post, reporter, reason, comment=""):
    """Report a post; a member's second report of the same post updates the first."""
    report, _created = PostReport.objects.update_or_create(
        post=post,
        reporter=reporter,
        status=PostReport.Status.OPEN,
        defaults={"reason": reason, "comment": comment.strip()},
    )
    return report


@transaction.atomic
def post_report_dismiss(*, report, moderator):
    PostReport.objects.filter(post=report.post, status=PostReport.Status.OPEN).update(
        status=PostReport.Status.DISMISSED,
        handled_by=moderator,
        handled_at=timezone.now(),
    )
    moderation_log_record(
        action=ModerationLog.Action.REPORT_DISMISSED,
        actor=moderator,
        post=report.post,
        reason=report.get_reason_display(),
    )


# --- Solved topics and the knowledge base ---------------------------------


def can_moderate(user):
    return roles.user_in(user, roles.MODERATORS, roles.COMMUNITY_MANAGERS, roles.STAFF)


def can_mark_solution(user, topic):
    if not getattr(user, "is_authenticated", False):
        return False
    return (topic.poster_id == user.pk) or can_moderate(user)


class ForumActionError(Exception):
    """A forum action refused for a reason the user should read."""


@transaction.atomic
def topic_solution_mark(*, topic, post, user):

    if not can_mark_solution(user, topic):
        raise ForumActionError(
            _("Only the author of the topic or a moderator can choose its solution.")
        )
    if post.topic_id != topic.pk or not post.approved or post.pk == topic.first_post_id:
        raise ForumActionError(
            _("Only an approved reply of this topic can be the solution.")
        )
    solution, _created = TopicSolution.objects.update_or_create(
        topic=topic, defaults={"post": post, "marked_by": user}
    )
    return solution


@transaction.atomic
def topic_solution_unmark(*, topic, user):
    if not can_mark_solution(user, topic):
        raise ForumActionError(
            _("Only the author of the topic or a moderator can choose its solution.")
        )
    TopicSolution.objects.filter(topic=topic).delete()


@transaction.atomic
def topic_promote(
    *,
    topic: Topic,
    user,
    title: str,
    summary: str,
    body_markdown: str,
    category,
) -> TopicPromotion:
    """Turn a solved topic into a draft KB article that enters KB review.

    The promoter wrote (or corrected the prefilled, ``topic_promotion_draft``)
    title, summary and steps and chose the category; the article ends with a
    link to the topic naming its authors, who are credited on the article.
    """
    if not can_moderate(user):
        raise ForumActionError(_("Only moderators and staff can promote a topic."))
    if TopicPromotion.objects.filter(topic=topic).exists():
        raise ForumActionError(_("This topic has already been promoted."))
    solution = topic_solution(topic)
    if solution is None:
        raise ForumActionError(_("Only a solved topic can become an article."))
    lang = topic_language(topic)
    authors = topic_authors(topic, solution)
    source_url = topic_url(topic, lang)
    with _language(lang):
        source = _("Source: the forum topic [%(title)s](%(url)s), by %(names)s.") % {
            "title": _markdown_link_text(topic.subject),
            "url": source_url,
            "names": ", ".join(user_public_name(author) for author in authors),
        }
        edit_summary = _("Proposed from the forum topic “%(title)s”") % {
            "title": topic.subject
        }
    page = article_draft_create(
        title=title,
        summary=summary,
        body_markdown=body_markdown.strip() + "\n\n" + source,
        lang=lang,
        authors=authors,
        proposer=user,
        source_url=source_url,
        category=category,
        edit_summary=edit_summary,
    )
    promotion = TopicPromotion.objects.create(
        topic=topic, article_page_id=page.pk, promoted_by=user
    )
    moderation_log_record(action=ModerationLog.Action.PROMOTED, actor=user, topic=topic)
    return promotion


def _markdown_link_text(text):
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _language(lang):
    return translation.override(lang)
