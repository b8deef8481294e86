"""Every write to the knowledge base goes through here.

Used by the public editor (kb.views), the importer (kb.importer), demo content
(kb.demo) and other apps (``article_draft_create``). Each content change is a
Wagtail revision plus an :class:`~kb.models.ArticleEdit` row that says who,
why, and whether it is live or waiting for review.

Quick reference for imports::

    from kb import services

    root = services.kb_root("fr")                       # /fr/kb/
    cat, _ = services.category_upsert(parent=root, title="Domaines", slug="domains")
    cat_en, _ = services.category_upsert(
        parent=services.kb_root("en"), title="Domains", slug="domains",
        translation_of=cat,
    )
    page, status = services.article_upsert(
        parent=cat, title="Ajouter un enregistrement CAA", slug="add-caa-record",
        summary="…", body_markdown="# …", tags=["dns"], symptoms="…",
        source_key="domains/add-caa-record",
    )   # status is "created", "updated" or "unchanged"
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Revision, Site

from accounts.selectors import user_language
from config.sanitize import clean_html
from kb.blocks import ArticleBodyBlock, MarkdownValue
from kb.markdown import has_changes, stream_to_markdown, three_way_merge
from kb.models import (
    ArticleCredit,
    ArticleEdit,
    ArticleFeedback,
    ArticlePage,
    CategoryPage,
    KnowledgeBaseIndexPage,
)

logger = logging.getLogger(__name__)

KB_SLUG = "kb"
KB_TITLES = {"fr": "Base de connaissances", "en": "Knowledge base"}
COMMUNITY_CATEGORY = {
    "fr": ("Articles de la communauté", "Propositions des membres, en cours de tri."),
    "en": ("Community articles", "Articles proposed by members, being sorted."),
}
RESERVED_ROOT_SLUGS = {"review", "propose", "preview", "my-edits", "stats", "feed"}
# Cached public article pages are keyed on this counter; any publish bumps it.
CACHE_GENERATION_KEY = "kb:generation"


class EditConflict(Exception):
    """The article changed after the editor opened it (no lost update)."""

    def __init__(self, page, current_markdown):
        super().__init__("article changed since the edit began")
        self.page = page
        self.current_markdown = current_markdown
        self.current_revision_id = page.live_revision_id


class NothingChanged(Exception):
    """The submitted text is the same as the current one."""


# --- structure --------------------------------------------------------------


def locale_for(lang):
    return Locale.objects.get_or_create(language_code=lang)[0]


def _languages():
    return [code for code, _name in settings.LANGUAGES]


def _site_root():
    """The page the default Wagtail Site serves (created when missing).

    None when the page tree itself is missing: ``flush`` (pytest-django's
    transactional tests) empties it and emits ``post_migrate`` without
    re-running Wagtail's migration that creates the root page.
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        root = Page.get_first_root_node()
        if root is None:
            return None
        home = root.get_children().first()
        if home is None:
            home = root.add_child(
                instance=Page(title="Entraide", slug="home", locale=locale_for("fr"))
            )
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    return site.root_page


def kb_structure_ensure():
    """Locales, the site root in every language and one KB root per language.

    Idempotent; runs after ``migrate`` so ``/<lang>/kb/`` works on a fresh
    database. Returns ``{lang: KnowledgeBaseIndexPage}``, empty when there is
    no Wagtail page tree to build on (a flushed database).
    """
    home = _site_root()
    if home is None:
        return {}
    langs = _languages()
    for lang in langs:
        locale_for(lang)
    roots = {}
    fr_index = None
    for lang in langs:
        locale = locale_for(lang)
        home_l = home.get_translation_or_none(locale)
        if home_l is None:
            home_l = home.copy_for_translation(locale)
        if not home_l.live:
            home_l.save_revision().publish()
        index = (
            KnowledgeBaseIndexPage.objects.child_of(home_l)
            .filter(locale=locale)
            .first()
        )
        if index is None:
            index = KnowledgeBaseIndexPage(
                title=KB_TITLES.get(lang, "Knowledge base"),
                slug=KB_SLUG,
                locale=locale,
                live=False,
            )
            if fr_index is not None:
                index.translation_key = fr_index.translation_key
            home_l.add_child(instance=index)
            index.save_revision().publish()
        fr_index = fr_index or index
        roots[lang] = index
    return roots


def kb_root(lang):
    """The KB root page of ``lang`` ("fr"/"en"), created when missing."""
    index = KnowledgeBaseIndexPage.objects.filter(locale__language_code=lang).first()
    if index is None:
        roots = kb_structure_ensure()
        if lang not in roots:
            raise LookupError(
                f"no knowledge base root for {lang!r}: the Wagtail page tree is "
                "missing (run `manage.py migrate`) or the language is not configured"
            )
        index = roots[lang]
    return index


def kb_cache_invalidate():
    """Drop every cached public KB page (called on publish/unpublish)."""
    try:
        cache.incr(CACHE_GENERATION_KEY)
    except ValueError:
        cache.set(CACHE_GENERATION_KEY, 1, None)


# --- shared helpers -----------------------------------------------------------


def _unique_slug(parent, slug, exclude_pk=None):
    base = slug or "article"
    candidate, n = base, 2
    siblings = parent.get_children()
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    taken = set(siblings.values_list("slug", flat=True))
    if isinstance(parent.specific, KnowledgeBaseIndexPage):
        # kb/urls.py serves these paths before the page tree.
        taken |= RESERVED_ROOT_SLUGS
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _link_translation(page, translation_of):
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


def _check_locale(parent, locale):
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


def _publish(revision, user=None):
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


def _stream_from_input(body_markdown=None, body=None):
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


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _stream_signature(stream_value):
    """Content of a stream without block ids, to detect real changes."""
    return [
        (child.block_type, _without_ids(child.block.get_prep_value(child.value)))
        for child in stream_value
    ]


def _signature(page):
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


def _record(page, revision, *, user, summary, kind, status, base_revision=None):
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


# --- staff / import writes ------------------------------------------------------


@transaction.atomic
def _existing_page(model, parent, locale, source_key, slug):
    """The page an upsert updates: same source key in this locale, else same slug."""
    page = None
    if source_key:
        page = model.objects.filter(source_key=source_key, locale=locale).first()
    if page is None:
        page = model.objects.child_of(parent).filter(slug=slug).first()
    return page


def category_upsert(
    *,
    parent,
    title,
    slug=None,
    description="",
    source_key="",
    translation_of=None,
    locale=None,
    user=None,
):
    """Create or update a category under ``parent`` (KB root or category).

    Found by ``source_key`` in the parent's locale when given, else by slug
    under ``parent``. ``translation_of`` (a CategoryPage in another locale)
    links the two as translations. Returns ``(page, status)`` with status
    "created", "updated" or "unchanged". Published at once.
    """
    parent = parent.specific
    locale = _check_locale(parent, locale)
    slug = slugify(slug or title)[:255] or "category"
    page = _existing_page(CategoryPage, parent, locale, source_key, slug)
    if page is None:
        page = CategoryPage(
            title=title,
            slug=_unique_slug(parent, slug),
            description=description,
            source_key=source_key,
            locale=locale,
            live=False,
        )
        if translation_of is not None:
            page.translation_key = translation_of.translation_key
        parent.add_child(instance=page)
        _publish(page.save_revision(user=user), user)
        return page, "created"
    _link_translation(page, translation_of)
    changed = False
    for field, value in (
        ("title", title),
        ("description", description),
        ("source_key", source_key or page.source_key),
    ):
        if getattr(page, field) != value:
            setattr(page, field, value)
            changed = True
    if page.get_parent().pk != parent.pk:
        page.move(parent, pos="last-child")
        page.refresh_from_db()
    if not changed:
        return page, "unchanged"
    _publish(page.save_revision(user=user), user)
    return page, "updated"


@transaction.atomic
def article_upsert(
    *,
    parent,
    title,
    slug=None,
    summary="",
    body_markdown=None,
    body=None,
    tags=(),
    symptoms="",
    source_key="",
    last_reviewed=None,
    locale=None,
    translation_of=None,
    user=None,
    summary_of_change="",
    publish=True,
    attribution=None,
    import_hash=None,
):
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
    locale = _check_locale(parent, locale)
    slug = slugify(slug or title)[:255] or "article"
    if not isinstance(symptoms, str):
        symptoms = "\n".join(s.strip() for s in symptoms if s and s.strip())
    tags = sorted({t.strip()[:100] for t in (tags or []) if t and t.strip()})
    stream = _stream_from_input(body_markdown=body_markdown, body=body)
    kind = ArticleEdit.Kind.IMPORT if user is None else ArticleEdit.Kind.EDIT

    page = _existing_page(ArticlePage, parent, locale, source_key, slug)

    if page is None:
        page = ArticlePage(
            title=title,
            slug=_unique_slug(parent, slug),
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
        revision = page.save_revision(user=user, log_action=True)
        if publish:
            _publish(revision, user)
        _record(
            page,
            revision,
            user=user,
            summary=summary_of_change or _("Article created"),
            kind=kind if user is None else ArticleEdit.Kind.NEW,
            status=ArticleEdit.Status.ACCEPTED
            if publish
            else ArticleEdit.Status.PENDING,
        )
        return page, "created"

    page = page.specific
    _link_translation(page, translation_of)
    if page.get_parent().pk != parent.pk:
        page.move(parent, pos="last-child")
        page = ArticlePage.objects.get(pk=page.pk)
    before = _signature(page)
    page.title = title
    if page.slug != slug:
        page.slug = _unique_slug(parent, slug, exclude_pk=page.pk)
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
    base = page.live_revision
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        _publish(revision, user)
    _record(
        page,
        revision,
        user=user,
        summary=summary_of_change or _("Article updated"),
        kind=kind,
        status=ArticleEdit.Status.ACCEPTED if publish else ArticleEdit.Status.PENDING,
        base_revision=base,
    )
    return page, "updated"


# --- community editing ------------------------------------------------------------


def _apply_member_fields(page, *, title, summary, body_markdown, symptoms):
    page.title = title.strip()
    page.summary = summary.strip()
    page.body = [("markdown", MarkdownValue(body_markdown))]
    if symptoms is not None:
        page.symptoms = "\n".join(
            line.strip() for line in symptoms.splitlines() if line.strip()
        )


def _reset_draft_pointer(page):
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
    page,
    user,
    title,
    summary,
    body_markdown,
    edit_summary,
    base_revision_id,
    symptoms=None,
):
    """A member's edit from the public page → a revision attributed to them.

    Published at once for trusted editors (see ``kb.selectors.is_trusted_editor``),
    otherwise pending review. Raises PermissionDenied (protected article or
    not allowed), EditConflict (the article changed after ``base_revision_id``)
    or NothingChanged. Returns the ArticleEdit.
    """
    from kb import selectors

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
        _apply_member_fields(
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
        edit = _record(
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
            _publish(revision, user)
    return edit


def _new_article(
    *, category, title, summary, body_markdown, symptoms, user, edit_summary
):
    page = ArticlePage(
        title=title.strip(),
        slug=_unique_slug(category, slugify(title)[:80] or "article"),
        summary=summary.strip(),
        body=[("markdown", MarkdownValue(body_markdown))],
        symptoms=symptoms or "",
        locale=category.locale,
        live=False,
    )
    category.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    edit = _record(
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
    *, category, user, title, summary, body_markdown, symptoms="", edit_summary=""
):
    """A member proposes a new article: an unpublished page waiting for review."""
    from kb import selectors

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


def community_category(lang):
    """The category where proposals without a category wait (created if missing)."""
    root = kb_root(lang)
    title, description = COMMUNITY_CATEGORY.get(lang, COMMUNITY_CATEGORY["en"])
    page = CategoryPage.objects.child_of(root).filter(slug="community").first()
    if page is None:
        other = (
            CategoryPage.objects.filter(slug="community")
            .exclude(locale=root.locale)
            .first()
        )
        page, _status = category_upsert(
            parent=root,
            title=title,
            slug="community",
            description=description,
            translation_of=other,
        )
    return page


@transaction.atomic
def article_draft_create(
    *, title, summary, body_markdown, lang, authors, proposer, source_url=None
):
    """Create an unpublished article that enters the KB review queue.

    Used by other apps (e.g. turning a solved forum topic into an article).
    ``authors`` (users) are credited on the article; ``proposer`` is the
    author of the pending edit. Returns the ArticlePage.
    """
    edit_summary = (
        _("Article proposed from %(url)s") % {"url": source_url}
        if source_url
        else _("New article proposed")
    )
    page, _edit = _new_article(
        category=community_category(lang),
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
    # Function-local to keep this edit inside the function while kb/services.py
    # is being split into a package (move it to the module's imports then).
    from outbox.services import mail_queue  # noqa: PLC0415

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


def article_edit_approve(*, edit, reviewer):
    """Publish a pending edit (or a proposed article)."""
    from kb import selectors

    if not selectors.can_review(reviewer):
        raise PermissionDenied(_("Only trusted members and staff review edits."))
    with transaction.atomic():
        edit = ArticleEdit.objects.select_for_update().get(pk=edit.pk)
        if not edit.is_pending:
            raise ValidationError(_("This change has already been reviewed."))
        _publish(edit.revision, reviewer)
        edit.status = ArticleEdit.Status.ACCEPTED
        edit.reviewer = reviewer
        edit.reviewed_at = timezone.now()
        edit.save(update_fields=["status", "reviewer", "reviewed_at"])
    _notify_author(edit, accepted=True)
    return edit


def article_edit_reject(*, edit, reviewer, reason):
    """Refuse a pending edit; the author sees ``reason`` on their edits page."""
    from kb import selectors

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


def article_rollback(*, page, revision, user, summary=""):
    """Restore an old revision as a new, published revision."""
    from kb import selectors

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
        _publish(new_revision, user)
        return _record(
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


def _previous_revision(edit):
    if edit.base_revision_id:
        return edit.base_revision
    return (
        Revision.objects.filter(
            base_content_type=edit.revision.base_content_type,
            object_id=edit.revision.object_id,
            created_at__lt=edit.revision.created_at,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def article_undo(*, edit, user):
    """Undo one accepted edit, keeping later edits when they do not overlap.

    Raises ValidationError when later edits changed the same lines (then a
    rollback from the history is the way).
    """
    from kb import selectors

    if not selectors.can_rollback(user):
        raise PermissionDenied(_("Only trusted members and staff can undo edits."))
    if edit.status != ArticleEdit.Status.ACCEPTED or edit.revision is None:
        raise ValidationError(_("Only published edits can be undone."))
    previous = _previous_revision(edit)
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
        _apply_member_fields(
            current,
            title=fields["title"],
            summary=fields["summary"],
            body_markdown=merged,
            symptoms=fields["symptoms"],
        )
        revision = current.save_revision(user=user, log_action=True)
        _publish(revision, user)
        return _record(
            current,
            revision,
            user=user,
            summary=_("Undo: %(summary)s") % {"summary": edit.summary},
            kind=ArticleEdit.Kind.UNDO,
            status=ArticleEdit.Status.ACCEPTED,
            base_revision=current.live_revision,
        )


def article_protect_set(*, page, protected, user):
    """Staff switch: only trusted members and staff may edit a protected article."""
    from kb import selectors

    if not selectors.can_protect(user):
        raise PermissionDenied(_("Only staff can protect articles."))
    ArticlePage.objects.filter(pk=page.pk).update(protected=bool(protected))
    page.protected = bool(protected)
    kb_cache_invalidate()
    return page


def article_feedback_record(*, page, helpful, user=None, session_key=""):
    """Count one “did this help?” vote; returns False if this user/session voted."""
    if user is not None and not user.is_authenticated:
        user = None
    if user is None and not session_key:
        return False
    lookup = {"user": user} if user else {"user": None, "session_key": session_key}
    if ArticleFeedback.objects.filter(page=page, **lookup).exists():
        return False
    try:
        with transaction.atomic():
            ArticleFeedback.objects.create(
                page=page,
                user=user,
                session_key="" if user else session_key,
                helpful=bool(helpful),
            )
    except IntegrityError:
        return False
    return True


def markdown_of(page):
    """Editor text of a page (live content)."""
    return stream_to_markdown(page.body)


__all__ = [
    "EditConflict",
    "NothingChanged",
    "article_draft_create",
    "article_edit_approve",
    "article_edit_reject",
    "article_edit_submit",
    "article_feedback_record",
    "article_propose",
    "article_protect_set",
    "article_rollback",
    "article_undo",
    "article_upsert",
    "category_upsert",
    "community_category",
    "has_changes",
    "kb_cache_invalidate",
    "kb_root",
    "kb_structure_ensure",
    "locale_for",
]
