"""Create or update an article from outside the public editor: the importer
(``kb.importer``), the demo content, staff scripts and tests.

Re-running with the same content writes nothing (status "unchanged"), so
imports are idempotent.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.blocks import StreamValue
from wagtail.models import Locale, Revision

from config.sanitize import clean_html
from kb.blocks import ArticleBodyBlock, MarkdownValue
from kb.models import ArticleEdit, ArticlePage, CategoryPage
from kb.services.common import (
    check_locale,
    edit_record,
    existing_page,
    link_translation,
    revision_publish,
    unique_slug,
)


def _stream_from_input(
    body_markdown: str | None = None, body: Sequence | None = None
) -> list:
    """A StreamField value from Markdown or from stream data.

    ``body`` items are ``(block_type, value)`` tuples or ``{"type", "value"}``
    dicts, e.g. ``("markdown", "text")``, ``("callout", {"kind": "warning",
    "text": "Markdown"})``, ``("code", {"language": "bash", "code": "…"})``,
    ``("steps", ["first", "second"])``. Values go through the blocks'
    ``to_python`` so Markdown is sanitized when the page is saved.
    """
    if body is None:
        return [("markdown", MarkdownValue(body_markdown or ""))]
    stream_block = ArticleBodyBlock()
    items = []
    for item in body:
        if isinstance(item, dict):
            block_type, value = item["type"], item["value"]
        else:
            block_type, value = item
        child = stream_block.child_blocks[block_type]
        if block_type == "rich_text":
            # Rich text from the admin is filtered by Draftail; text from
            # elsewhere goes through the shared allow-list instead.
            value = clean_html(getattr(value, "source", value))
        items.append((block_type, child.to_python(value)))
    return items


def _without_ids(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _stream_signature(stream_value: StreamValue) -> list:
    """Content of a stream without block ids, to detect real changes."""
    return [
        (child.block_type, _without_ids(child.block.get_prep_value(child.value)))
        for child in stream_value
    ]


def _signature(page: ArticlePage) -> dict:
    return {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "body": _stream_signature(page.body),
        "tags": sorted(t.name for t in page.tags.all()),
        "symptoms": page.symptoms,
        "last_reviewed": page.last_reviewed,
        "source_key": page.source_key,
        "attribution": page.attribution,
    }


@transaction.atomic
def article_upsert(
    *,
    parent: CategoryPage,
    title: str,
    slug: str | None = None,
    summary: str = "",
    body_markdown: str | None = None,
    body: Sequence | None = None,
    tags: Iterable[str] = (),
    symptoms: str | Iterable[str] = "",
    source_key: str = "",
    last_reviewed: datetime.date | None = None,
    locale: Locale | str | None = None,
    translation_of: ArticlePage | None = None,
    user: AbstractUser | None = None,
    summary_of_change: str = "",
    publish: bool = True,
    attribution: str | None = None,
    import_hash: str | None = None,
) -> tuple[ArticlePage, str]:
    """Create or update an article under the category ``parent``, as a new
    published revision (or a draft with ``publish=False``).

    - Found by ``source_key`` in the parent's locale when given, else by
      ``slug`` under ``parent``; a found article under another parent is moved.
    - Content is ``body_markdown`` (one Markdown block, sanitized on save) or
      ``body`` stream data (see ``_stream_from_input``).
    - ``symptoms``: str, one phrase per line, or a list of phrases.
    - ``translation_of``: the same article in another locale; both then share
      a translation_key (Wagtail i18n).
    - ``user``: credited author of the revision (None for imports);
      ``summary_of_change`` is shown in the history.
    - ``attribution``: the "Source / credit" line; ``import_hash``: the
      importer's hash of its input. None leaves the current value.

    Returns ``(page, status)``, status "created", "updated" or "unchanged"
    (nothing differs: no revision is written, so re-imports are idempotent).
    """
    parent = parent.specific
    locale = check_locale(parent, locale)
    slug = slugify(slug or title)[:255] or "article"
    if not isinstance(symptoms, str):
        symptoms = "\n".join(s.strip() for s in symptoms if s and s.strip())
    tags = sorted({t.strip()[:100] for t in (tags or []) if t and t.strip()})
    stream = _stream_from_input(body_markdown=body_markdown, body=body)
    kind = ArticleEdit.Kind.IMPORT if user is None else ArticleEdit.Kind.EDIT

    page = existing_page(ArticlePage, parent, locale, source_key, slug)

    if page is None:
        page = ArticlePage(
            title=title,
            slug=unique_slug(parent, slug),
            summary=summary,
            body=stream,
            symptoms=symptoms,
            source_key=source_key,
            last_reviewed=last_reviewed,
            attribution=(attribution or "")[:255],
            import_hash=import_hash or "",
            locale=locale,
            live=False,
        )
        if translation_of is not None:
            page.translation_key = translation_of.translation_key
        page.tags.set(tags)
        parent.add_child(instance=page)
        _revision_save(
            page,
            user=user,
            publish=publish,
            summary=summary_of_change or _("Article created"),
            kind=kind if user is None else ArticleEdit.Kind.NEW,
        )
        return page, "created"

    page = page.specific
    link_translation(page=page, translation_of=translation_of)
    if page.get_parent().pk != parent.pk:
        page.move(parent, pos="last-child")
        page = ArticlePage.objects.get(pk=page.pk)
    before = _signature(page)
    page.title = title
    if page.slug != slug:
        page.slug = unique_slug(parent, slug, exclude_pk=page.pk)
    page.summary = summary
    page.body = stream
    page.symptoms = symptoms
    page.source_key = source_key or page.source_key
    page.last_reviewed = last_reviewed
    if attribution is not None:
        page.attribution = attribution[:255]
    page.tags.set(tags)
    if _signature(page) == before and (page.live or not publish):
        if import_hash is not None and page.import_hash != import_hash:
            # Same content from a new hash (e.g. a new import format): remember
            # it so the next run skips the file without rendering it.
            ArticlePage.objects.filter(pk=page.pk).update(import_hash=import_hash)
            page.import_hash = import_hash
        return page, "unchanged"
    if import_hash is not None:
        page.import_hash = import_hash
    _revision_save(
        page,
        user=user,
        publish=publish,
        summary=summary_of_change or _("Article updated"),
        kind=kind,
        base_revision=page.live_revision,
    )
    return page, "updated"


def _revision_save(
    page: ArticlePage,
    *,
    user: AbstractUser | None,
    publish: bool,
    summary: str,
    kind: str,
    base_revision: Revision | None = None,
) -> None:
    """Save the page as a new revision, publish it or leave it for review, and
    record the edit."""
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision_publish(revision, user)
    edit_record(
        page,
        revision,
        user=user,
        summary=summary,
        kind=kind,
        status=ArticleEdit.Status.ACCEPTED if publish else ArticleEdit.Status.PENDING,
        base_revision=base_revision,
    )
