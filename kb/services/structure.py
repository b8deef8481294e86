"""The shape of the knowledge base: the site root and one KB root per language,
categories (imported or not) and the community category for proposals."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site

from kb.models import CategoryPage, KnowledgeBaseIndexPage
from kb.services.common import (
    check_locale,
    existing_page,
    link_translation,
    locale_for,
    revision_publish,
    unique_slug,
)

KB_SLUG = "kb"
# The title Wagtail's own migration gives the first page; people saw it in the
# admin and in browser tabs.
WAGTAIL_PLACEHOLDER_TITLE = "Welcome to your new Wagtail site!"
KB_TITLES = {"fr": "Base de connaissances", "en": "Knowledge base"}
COMMUNITY_CATEGORY = {
    "fr": ("Articles de la communauté", "Propositions des membres, en cours de tri."),
    "en": ("Community articles", "Articles proposed by members, being sorted."),
}


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _site_root() -> Page | None:
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


@transaction.atomic
def kb_structure_ensure() -> dict[str, KnowledgeBaseIndexPage]:
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
        if home_l.title == WAGTAIL_PLACEHOLDER_TITLE:
            home_l.title = home_l.draft_title = settings.SITE_NAME
            home_l.save_revision().publish()
        elif not home_l.live:
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


def kb_root(lang: str) -> KnowledgeBaseIndexPage:
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


@transaction.atomic
def category_upsert(
    *,
    parent: Page,
    title: str,
    slug: str | None = None,
    description: str = "",
    source_key: str = "",
    translation_of: CategoryPage | None = None,
    locale: Locale | str | None = None,
    user: AbstractUser | None = None,
) -> tuple[CategoryPage, str]:
    """Create or update a category under ``parent`` (KB root or category).

    Found by ``source_key`` in the parent's locale when given, else by slug
    under ``parent``. ``translation_of`` (a CategoryPage in another locale)
    links the two as translations. Returns ``(page, status)`` with status
    "created", "updated" or "unchanged". Published at once; all or nothing.
    """
    parent = parent.specific
    locale = check_locale(parent, locale)
    slug = slugify(slug or title)[:255] or "category"
    page = existing_page(CategoryPage, parent, locale, source_key, slug)
    if page is None:
        page = CategoryPage(
            title=title,
            slug=unique_slug(parent, slug),
            description=description,
            source_key=source_key,
            locale=locale,
            live=False,
        )
        if translation_of is not None:
            page.translation_key = translation_of.translation_key
        parent.add_child(instance=page)
        revision_publish(page.save_revision(user=user), user)
        return page, "created"
    link_translation(page=page, translation_of=translation_of)
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
    revision_publish(page.save_revision(user=user), user)
    return page, "updated"


def community_category(*, lang: str) -> CategoryPage:
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
