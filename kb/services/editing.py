"""Community editing and review: a member's edit or proposal becomes a revision
that is published at once (trusted editors) or waits in the review queue;
reviewers approve or reject it and the author is told by e-mail. Staff protect
articles. Other apps propose drafts with ``article_draft_create``.
"""

import logging
from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.selectors import user_language
from kb import selectors
from kb.blocks import MarkdownValue
from kb.cache import kb_cache_invalidate
from kb.models import ArticleCredit, ArticleEdit, ArticlePage, CategoryPage
from kb.services.common import (
    edit_record,
    member_fields_apply,
    revision_publish,
    unique_slug,
)
from kb.services.structure import community_category
from outbox.services import mail_queue

logger = logging.getLogger(__name__)


class EditConflict(Exception):
    """The article changed after the editor opened it (no lost update)."""

    def __init__(self, page: ArticlePage, current_markdown: str) -> None:
        super().__init__("article changed since the edit began")
        self.page = page
        self.current_markdown = current_markdown
        self.current_revision_id = page.live_revision_id


class MergeConflict(ValidationError):
    """A stale pending edit and the live article changed the same passage."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "The article was changed after this edit was written, and both "
                "changed the same passage: nothing was published. Compare them "
                "below, edit the article to bring in what is still needed, then "
                "reject this change with a short note."
            )
        )


class NothingChanged(Exception):
    """The submitted text is the same as the current one."""


def _reset_draft_pointer(page: ArticlePage) -> None:
    """After a rejection, the Wagtail draft is the newest non-rejected revision.

    Otherwise the admin would offer the rejected text as the current draft.
    """
    rejected = ArticleEdit.objects.filter(
        page=page, status=ArticleEdit.Status.REJECTED
    ).values_list("revision_id", flat=True)
    latest = (
        page.revisions.exclude(pk__in=list(rejected))
        .order_by("-created_at", "-pk")
        .first()
    )
    pending = ArticleEdit.objects.filter(
        page=page, status=ArticleEdit.Status.PENDING
    ).exists()
    ArticlePage.objects.filter(pk=page.pk).update(
        latest_revision=latest,
        has_unpublished_changes=bool(
            pending or (latest and latest.pk != page.live_revision_id)
        ),
    )


def article_edit_submit(
    *,
    page: ArticlePage,
    user: AbstractUser,
    title: str,
    summary: str,
    body_markdown: str,
    edit_summary: str,
    base_revision_id: int | None,
    symptoms: str | None = None,
) -> ArticleEdit:
    """A member's edit from the public page → a revision attributed to them.

    Published at once for trusted editors (see ``kb.selectors.is_trusted_editor``),
    otherwise pending review. Raises PermissionDenied (protected article or
    not allowed), EditConflict (the article changed after ``base_revision_id``)
    or NothingChanged. Returns the ArticleEdit.
    """
    if not selectors.can_edit(user, page):
        raise PermissionDenied(_("You cannot edit this article."))
    if not (edit_summary or "").strip():
        raise ValidationError(_("Please describe your change."))
    trusted = selectors.is_trusted_editor(user)
    with transaction.atomic():
        current = ArticlePage.objects.select_for_update().get(pk=page.pk)
        if (current.live_revision_id or None) != (base_revision_id or None):
            raise EditConflict(current, current.body_markdown())
        before = (
            current.title,
            current.summary,
            current.body_markdown(),
            current.symptoms,
        )
        member_fields_apply(
            current,
            title=title,
            summary=summary,
            body_markdown=body_markdown,
            symptoms=symptoms,
        )
        after = (
            current.title,
            current.summary,
            current.body_markdown(),
            current.symptoms,
        )
        if before == after:
            raise NothingChanged()
        revision = current.save_revision(user=user, log_action=True)
        edit = edit_record(
            current,
            revision,
            user=user,
            summary=edit_summary.strip(),
            kind=ArticleEdit.Kind.EDIT,
            status=ArticleEdit.Status.ACCEPTED
            if trusted
            else ArticleEdit.Status.PENDING,
            base_revision=current.live_revision,
        )
        if trusted:
            revision_publish(revision, user)
    return edit


def _new_article(
    *,
    category: CategoryPage,
    title: str,
    summary: str,
    body_markdown: str,
    symptoms: str,
    user: AbstractUser | None,
    edit_summary: str,
) -> tuple[ArticlePage, ArticleEdit]:
    page = ArticlePage(
        title=title.strip(),
        slug=unique_slug(category, slugify(title)[:80] or "article"),
        summary=summary.strip(),
        body=[("markdown", MarkdownValue(body_markdown))],
        symptoms=symptoms or "",
        locale=category.locale,
        live=False,
    )
    category.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    edit = edit_record(
        page,
        revision,
        user=user,
        summary=edit_summary,
        kind=ArticleEdit.Kind.NEW,
        status=ArticleEdit.Status.PENDING,
    )
    return page, edit


@transaction.atomic
def article_propose(
    *,
    category: CategoryPage,
    user: AbstractUser,
    title: str,
    summary: str,
    body_markdown: str,
    symptoms: str = "",
    edit_summary: str = "",
) -> ArticleEdit:
    """A member proposes a new article: an unpublished page waiting for review."""
    if not selectors.can_contribute(user):
        raise PermissionDenied(
            _("Only members with a verified e-mail can propose articles.")
        )
    _page, edit = _new_article(
        category=category.specific,
        title=title,
        summary=summary,
        body_markdown=body_markdown,
        symptoms=symptoms,
        user=user,
        edit_summary=edit_summary or _("New article proposed"),
    )
    return edit


@transaction.atomic
def article_draft_create(
    *,
    title: str,
    summary: str,
    body_markdown: str,
    lang: str,
    authors: Iterable[AbstractUser | None],
    proposer: AbstractUser | None,
    source_url: str | None = None,
    category: CategoryPage | None = None,
    edit_summary: str = "",
) -> ArticlePage:
    """Create an unpublished article that enters the KB review queue.

    Used by other apps (e.g. turning a solved forum topic into an article).
    ``authors`` (users) are credited on the article; ``proposer`` is the
    author of the pending edit; ``category`` (in ``lang``) defaults to the
    community category. Returns the ArticlePage.
    """
    if not edit_summary:
        edit_summary = (
            _("Article proposed from %(url)s") % {"url": source_url}
            if source_url
            else _("New article proposed")
        )
    if category is None or category.specific.locale.language_code != lang:
        category = community_category(lang=lang)
    page, _edit = _new_article(
        category=category.specific,
        title=title,
        summary=summary or "",
        body_markdown=body_markdown or "",
        symptoms="",
        user=proposer,
        edit_summary=edit_summary[:300],
    )
    for author in authors or []:
        if author is not None and getattr(author, "pk", None):
            ArticleCredit.objects.get_or_create(page=page, user=author)
    return page


def _notify_author(edit, accepted):
    """E-mail the author the outcome, in the language they read."""
    author = edit.author
    if not author or not author.email:
        return
    lang = user_language(author)
    values = {
        "summary": edit.summary,
        "title": edit.page.title,
        "reason": edit.review_reason,
    }
    with translation.override(lang):
        if accepted:
            subject = _("Your change was published")
            message = _(
                "Thank you! Your change “%(summary)s” to “%(title)s” is now published."
            )
        else:
            subject = _("Your change was not published")
            message = _(
                "Your change “%(summary)s” to “%(title)s” was not published. "
                "Reason: %(reason)s"
            )
        message = message % values
    # Recorded, then sent by the task backend: a mail outage cannot undo a review.
    mail_queue(
        to=[author.email],
        subject=subject,
        body=message,
        kind="kb_review",
        language=lang,
    )


def article_edit_revise(
    *,
    edit: ArticleEdit,
    reviewer: AbstractUser,
    title: str,
    summary: str,
    body_markdown: str,
    symptoms: str | None = None,
) -> ArticleEdit:
    """A reviewer corrects a pending edit (or proposed article) before deciding.

    The corrected text becomes a new revision that replaces the proposed one
    in the same pending edit; approving it then publishes the corrected text.
    """
    if not selectors.can_review(reviewer):
        raise PermissionDenied(_("Only trusted members and staff review edits."))
    with transaction.atomic():
        edit = ArticleEdit.objects.select_for_update().get(pk=edit.pk)
        if not edit.is_pending:
            raise ValidationError(_("This change has already been reviewed."))
        page = edit.revision.as_object()
        before = (page.title, page.summary, page.body_markdown(), page.symptoms)
        member_fields_apply(
            page,
            title=title,
            summary=summary,
            body_markdown=body_markdown,
            symptoms=symptoms,
        )
        if before == (page.title, page.summary, page.body_markdown(), page.symptoms):
            return edit
        edit.revision = page.save_revision(user=reviewer, log_action=True)
        edit.save(update_fields=["revision"])
    return edit


def article_edit_approve(*, edit: ArticleEdit, reviewer: AbstractUser) -> ArticleEdit:
    """Publish a pending edit (or a proposed article).

    When the article was published again since the edit began, the edit is
    merged into the live version (see ``kb.selectors.edit_merged_fields``) and
    the merge is published, so no published change is lost; on a conflict,
    MergeConflict (a ValidationError) and nothing changes. Nobody approves
    their own change (PermissionDenied).
    """
    if not selectors.can_review(reviewer):
        raise PermissionDenied(_("Only trusted members and staff review edits."))
    with transaction.atomic():
        edit = ArticleEdit.objects.select_for_update().get(pk=edit.pk)
        if edit.author_id is not None and edit.author_id == reviewer.pk:
            raise PermissionDenied(
                _(
                    "You cannot approve your own change: another trusted member "
                    "or a staff member must review it."
                )
            )
        if not edit.is_pending:
            raise ValidationError(_("This change has already been reviewed."))
        live = ArticlePage.objects.select_for_update().get(pk=edit.page_id)
        if selectors.edit_is_stale(edit, live):
            _merged_publish(edit, live, reviewer)
        else:
            revision_publish(edit.revision, reviewer)
        edit.status = ArticleEdit.Status.ACCEPTED
        edit.reviewer = reviewer
        edit.reviewed_at = timezone.now()
        edit.save(
            update_fields=[
                "status",
                "reviewer",
                "reviewed_at",
                "revision",
                "base_revision",
            ]
        )
    _notify_author(edit, accepted=True)
    return edit


def _merged_publish(edit: ArticleEdit, live: ArticlePage, reviewer) -> None:
    """Publish ``edit`` merged into ``live``; the edit then points at the merge.

    The author's own revision stays in the history as they wrote it; the edit
    record moves to the merged revision (based on the live one), so undoing
    it later takes back exactly this change.
    """
    merged = selectors.edit_merged_fields(edit, live)
    if merged is None:
        raise MergeConflict()
    base_revision = live.live_revision
    member_fields_apply(
        live,
        title=merged["title"],
        summary=merged["summary"],
        body_markdown=merged["body"],
        symptoms=merged["symptoms"],
    )
    revision = live.save_revision(user=edit.author, log_action=True)
    revision_publish(revision, reviewer)
    edit.revision = revision
    edit.base_revision = base_revision


def article_edit_reject(
    *, edit: ArticleEdit, reviewer: AbstractUser, reason: str
) -> ArticleEdit:
    """Refuse a pending edit; the author sees ``reason`` on their edits page."""
    if not selectors.can_review(reviewer):
        raise PermissionDenied(_("Only trusted members and staff review edits."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please tell the author why."))
    with transaction.atomic():
        edit = ArticleEdit.objects.select_for_update().get(pk=edit.pk)
        if not edit.is_pending:
            raise ValidationError(_("This change has already been reviewed."))
        edit.status = ArticleEdit.Status.REJECTED
        edit.reviewer = reviewer
        edit.review_reason = reason
        edit.reviewed_at = timezone.now()
        edit.save(update_fields=["status", "reviewer", "review_reason", "reviewed_at"])
        _reset_draft_pointer(ArticlePage.objects.get(pk=edit.page_id))
    _notify_author(edit, accepted=False)
    return edit


def article_protect_set(
    *, page: ArticlePage, protected: bool, user: AbstractUser
) -> ArticlePage:
    """Staff switch: only trusted members and staff may edit a protected article."""
    if not selectors.can_protect(user):
        raise PermissionDenied(_("Only staff can protect articles."))
    ArticlePage.objects.filter(pk=page.pk).update(protected=bool(protected))
    page.protected = bool(protected)
    kb_cache_invalidate()
    return page
