"""Going back: restore an old revision as a new published one (rollback), or
undo one accepted edit while keeping later edits that do not overlap it."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision

from kb import selectors
from kb.diff import three_way_merge
from kb.models import ArticleEdit, ArticlePage
from kb.services.common import edit_record, member_fields_apply, revision_publish


def article_rollback(
    *,
    page: ArticlePage,
    revision: Revision,
    user: AbstractUser,
    summary: str = "",
) -> ArticleEdit:
    """Restore an old revision as a new, published revision."""
    if not selectors.can_rollback(user):
        raise PermissionDenied(_("Only trusted members and staff can roll back."))
    if revision.object_id != str(page.pk):
        raise ValidationError(_("This revision belongs to another article."))
    with transaction.atomic():
        current = ArticlePage.objects.select_for_update().get(pk=page.pk)
        restored = revision.as_object()
        # Restore the words, not the address or the import identity.
        restored.protected = current.protected
        restored.slug = current.slug
        restored.source_key = current.source_key
        new_revision = restored.save_revision(user=user, log_action=True, clean=False)
        revision_publish(new_revision, user)
        return edit_record(
            current,
            new_revision,
            user=user,
            summary=summary
            or _("Rollback to the version of %(date)s")
            % {
                "date": timezone.localtime(revision.created_at).strftime(
                    "%Y-%m-%d %H:%M"
                )
            },
            kind=ArticleEdit.Kind.ROLLBACK,
            status=ArticleEdit.Status.ACCEPTED,
            base_revision=current.live_revision,
        )


def article_undo(*, edit: ArticleEdit, user: AbstractUser) -> ArticleEdit:
    """Undo one accepted edit, keeping later edits when they do not overlap.

    Raises ValidationError when later edits changed the same lines (then a
    rollback from the history is the way).
    """
    if not selectors.can_rollback(user):
        raise PermissionDenied(_("Only trusted members and staff can undo edits."))
    if edit.status != ArticleEdit.Status.ACCEPTED or edit.revision is None:
        raise ValidationError(_("Only published edits can be undone."))
    previous = selectors.edit_previous_revision(edit)
    if previous is None:
        raise ValidationError(
            _("This is the first version: there is nothing to go back to.")
        )
    with transaction.atomic():
        current = ArticlePage.objects.select_for_update().get(pk=edit.page_id)
        if current.live_revision_id == edit.revision_id:
            undone = article_rollback(
                page=current,
                revision=previous,
                user=user,
                summary=_("Undo: %(summary)s") % {"summary": edit.summary},
            )
            ArticleEdit.objects.filter(pk=undone.pk).update(kind=ArticleEdit.Kind.UNDO)
            undone.kind = ArticleEdit.Kind.UNDO
            return undone
        edited = edit.revision.as_object()
        before = previous.as_object()
        merged = three_way_merge(
            edited.body_markdown(), current.body_markdown(), before.body_markdown()
        )
        if merged is None:
            raise ValidationError(
                _("Later edits changed the same passage; use the history to roll back.")
            )
        fields = {}
        for field in ("title", "summary", "symptoms"):
            if getattr(current, field) == getattr(edited, field):
                fields[field] = getattr(before, field)
            else:
                fields[field] = getattr(current, field)
        member_fields_apply(
            current,
            title=fields["title"],
            summary=fields["summary"],
            body_markdown=merged,
            symptoms=fields["symptoms"],
        )
        revision = current.save_revision(user=user, log_action=True)
        revision_publish(revision, user)
        return edit_record(
            current,
            revision,
            user=user,
            summary=_("Undo: %(summary)s") % {"summary": edit.summary},
            kind=ArticleEdit.Kind.UNDO,
            status=ArticleEdit.Status.ACCEPTED,
            base_revision=current.live_revision,
        )
