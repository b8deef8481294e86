"""Steps every KB write shares: slugs, locales, translation links, publishing a
revision and recording the :class:`~kb.models.ArticleEdit` that explains it."""

import logging

from django.contrib.auth.models import AbstractUser
from django.utils import timezone
from wagtail.models import Locale, Page, Revision

from kb.blocks import MarkdownValue
from kb.models import ArticleEdit, ArticlePage, KnowledgeBaseIndexPage

logger = logging.getLogger(__name__)

# kb/urls.py serves these paths under /<lang>/kb/ before the page tree.
RESERVED_ROOT_SLUGS = {"review", "propose", "preview", "my-edits", "stats", "feed"}


def locale_for(lang: str) -> Locale:
    return Locale.objects.get_or_create(language_code=lang)[0]


def unique_slug(parent: Page, slug: str, exclude_pk: int | None = None) -> str:
    base = slug or "article"
    candidate, n = base, 2
    siblings = parent.get_children()
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    taken = set(siblings.values_list("slug", flat=True))
    if isinstance(parent.specific, KnowledgeBaseIndexPage):
        taken |= RESERVED_ROOT_SLUGS
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def link_translation(*, page: Page, translation_of: Page | None) -> None:
    """Make ``page`` share the translation_key of ``translation_of`` if free."""
    if translation_of is None or page.translation_key == translation_of.translation_key:
        return
    clash = (
        Page.objects.filter(
            translation_key=translation_of.translation_key, locale_id=page.locale_id
        )
        .exclude(pk=page.pk)
        .exists()
    )
    if clash:
        logger.warning(
            "kb: cannot link %s as a translation of %s: locale already taken",
            page.pk,
            translation_of.pk,
        )
        return
    Page.objects.filter(pk=page.pk).update(
        translation_key=translation_of.translation_key
    )
    page.translation_key = translation_of.translation_key


def check_locale(parent: Page, locale: Locale | str | None) -> Locale:
    if locale is None:
        return parent.locale
    if isinstance(locale, str):
        locale = locale_for(locale)
    if locale.pk != parent.locale_id:
        raise ValueError(
            f"parent {parent.pk} is in {parent.locale.language_code}, "
            f"not {locale.language_code}"
        )
    return locale


def existing_page(
    model: type[Page], parent: Page, locale: Locale, source_key: str, slug: str
) -> Page | None:
    """The page an upsert updates: same source key in this locale, else same slug."""
    page = None
    if source_key:
        page = model.objects.filter(source_key=source_key, locale=locale).first()
    if page is None:
        page = model.objects.child_of(parent).filter(slug=slug).first()
    return page


def revision_publish(revision: Revision, user: AbstractUser | None = None) -> None:
    """Publish a revision, keeping the article's current protection flag.

    Protection is set by staff outside the content history, so an old
    revision must not switch it back off.
    """
    page = revision.content_object
    if isinstance(page, ArticlePage) and "protected" in revision.content:
        current = ArticlePage.objects.filter(pk=page.pk).values_list(
            "protected", flat=True
        )[0]
        if revision.content.get("protected") != current:
            revision.content["protected"] = current
            revision.save(update_fields=["content"])
    # Our trust rules decided already; Wagtail admin permissions do not apply.
    revision.publish(user=user, skip_permission_checks=True)


def edit_record(
    page: ArticlePage,
    revision: Revision,
    *,
    user: AbstractUser | None,
    summary: str,
    kind: str,
    status: str,
    base_revision: Revision | None = None,
) -> ArticleEdit:
    return ArticleEdit.objects.create(
        page=page,
        revision=revision,
        base_revision=base_revision,
        author=user,
        summary=(summary or "")[:300],
        kind=kind,
        status=status,
        reviewed_at=timezone.now() if status != ArticleEdit.Status.PENDING else None,
    )


def member_fields_apply(
    page: ArticlePage,
    *,
    title: str,
    summary: str,
    body_markdown: str,
    symptoms: str | None,
) -> None:
    """Set the fields the public editor shows (not saved: the caller revises)."""
    page.title = title.strip()
    page.summary = summary.strip()
    page.body = [("markdown", MarkdownValue(body_markdown))]
    if symptoms is not None:
        page.symptoms = "\n".join(
            line.strip() for line in symptoms.splitlines() if line.strip()
        )
