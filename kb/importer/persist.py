"""Write a parsed content tree into the knowledge base through ``kb.services``.

Sections become (nested) categories, articles become ArticlePages, translations
share a translation_key. Re-runs are idempotent: what we would write is hashed
and the hash is kept in ``ArticlePage.import_hash``, so a file whose rendered
content did not change is left alone, including any community edit made since.
"""

import hashlib
import json
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler

from kb.models import ArticlePage, CategoryPage, KnowledgeBaseIndexPage
from kb.services.structure import category_upsert, kb_root
from kb.services.upsert import article_upsert

from .content import truncate
from .tree import ROOT_CATEGORY_TITLES, rewrite_version_links

# Bump when the rendering changes so every article is written again once.
IMPORT_FORMAT = 2
# Hugo ``notice`` kinds → our callout kinds; anything else is a plain note.
CALLOUT_KIND = {"warning": "warning", "info": "info", "tip": "tip", "note": "notice"}


@dataclass
class FileResult:
    rel: str
    status: str  # created | updated | unchanged | failed
    reason: str = ""


@dataclass
class ImportReport:
    results: list = field(default_factory=list)
    skipped: int = 0
    unresolved_links: list = field(default_factory=list)  # (rel, target)

    def add(self, rel, status, reason=""):
        self.results.append(FileResult(rel, status, reason))

    def count(self, status):
        return sum(1 for r in self.results if r.status == status)

    @property
    def failures(self):
        return [r for r in self.results if r.status == "failed"]

    @property
    def imported(self):
        return sum(1 for r in self.results if r.status != "failed")


def language_order(langs):
    configured = [code for code, _name in settings.LANGUAGES]
    return sorted(
        langs,
        key=lambda lang: (configured.index(lang) if lang in configured else 99, lang),
    )


@contextmanager
def deferred_admin_search_index(models):
    """Index written pages once, in bulk, instead of on each of their saves.

    Wagtail indexes a page for its admin search on every save, and creating a
    published page saves it three times: the main cost of a large import.
    """
    touched = defaultdict(set)

    def remember(sender, instance, raw=False, **kwargs):
        if not raw:
            touched[sender].add(instance.pk)

    deferred = [
        model
        for model in models
        if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    for model in deferred:
        post_save.connect(remember, sender=model, weak=False)
    try:
        yield
    finally:
        for model in deferred:
            post_save.disconnect(remember, sender=model)
            post_save.connect(post_save_signal_handler, sender=model)
    for model, pks in touched.items():
        objects = list(model.objects.filter(pk__in=pks))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(model, objects)


def _depth(key):
    return 0 if not key else key.count("/") + 1


class TreeImporter:
    """Plan URLs, then write categories and articles; one instance per run."""

    def __init__(
        self,
        tree,
        *,
        attribution="",
        dry_run=False,
        progress=None,
        source_key_prefix="",
        user=None,
    ):
        self.tree = tree
        self.attribution = (attribution or "").strip()
        # Stored source keys are the tree's keys under this prefix ("demo/"),
        # so two trees never claim each other's pages.
        self.prefix = source_key_prefix
        # Credited author of the article revisions (None: an anonymous import).
        self.user = user
        self.dry_run = dry_run
        self.progress = progress
        self.report = ImportReport(skipped=tree.skipped)
        self.section_langs = self._section_languages()
        self.category_pages = {}  # (key, lang) -> CategoryPage
        self.urls = {}  # (key, lang) -> public URL
        self.roots = {}
        self.bar = None

    # --- planning ---------------------------------------------------------

    def _section_languages(self):
        """Languages each category must exist in: its own and its descendants'."""
        needed = {key: set(node.versions) for key, node in self.tree.sections.items()}
        for node in self.tree.articles.values():
            for key in self._ancestors(node.parent_key):
                needed.setdefault(key, set()).update(node.versions)
        for key, node in self.tree.sections.items():
            for ancestor in self._ancestors(node.parent_key or ""):
                if key:
                    needed.setdefault(ancestor, set()).update(node.versions)
        return needed

    def _ancestors(self, key):
        """The section itself and every ancestor below the root section."""
        chain = self.tree.section_chain(key)
        return chain or [""]

    def _kb_root(self, lang):
        if lang not in self.roots:
            if self.dry_run:
                self.roots[lang] = KnowledgeBaseIndexPage.objects.filter(
                    locale__language_code=lang
                ).first()
            else:
                self.roots[lang] = kb_root(lang)
        return self.roots[lang]

    def _root_url(self, lang):
        root = self._kb_root(lang)
        return (root.get_url() if root else None) or f"/{lang}/kb/"

    def _section_title(self, node, lang):
        if not node.key and lang not in node.versions:
            return ROOT_CATEGORY_TITLES.get(lang, ROOT_CATEGORY_TITLES["en"])
        return truncate(node.title(lang), 255)

    def _section_slug(self, node, lang):
        version = node.versions.get(lang)
        if node.key:
            if version:
                return version.slug
            return (
                next(iter(node.versions.values())).slug
                if node.versions
                else (node.key.rsplit("/", 1)[-1])
            )
        return slugify(self._section_title(node, lang))[:255] or "general"

    # --- running ----------------------------------------------------------

    def _tick(self):
        if self.bar is not None:
            self.bar.update()

    def run(self):
        for failure in self.tree.failures:
            self.report.add(failure.rel, "failed", failure.reason)
        tree_files = self.tree.file_count()
        with (
            deferred_admin_search_index([CategoryPage, ArticlePage]),
            transaction.atomic(),
        ):
            self.bar = self.progress(total=tree_files) if self.progress else None
            try:
                self._import_sections()
                self._import_articles()
            finally:
                if self.bar is not None:
                    self.bar.close()
            if self.dry_run:
                transaction.set_rollback(True)
        return self.report

    def _existing_categories(self):
        existing = {}
        pages = CategoryPage.objects.filter(
            source_key__in=[self.prefix + k for k in self.tree.sections if k]
        ).select_related("locale")
        for page in pages:
            key = page.source_key.removeprefix(self.prefix)
            existing[(key, page.locale.language_code)] = page
        return existing

    def _root_category(self, lang, slug):
        root = self._kb_root(lang)
        if root is None:
            return None
        return CategoryPage.objects.child_of(root).filter(slug=slug).first()

    def _import_sections(self):
        existing = self._existing_categories()
        # Siblings are created in Hugo's menu order (weight), which is the
        # order the KB lists categories in.
        nodes = sorted(
            self.tree.sections.values(),
            key=lambda n: (
                _depth(n.key),
                n.parent_key or "",
                n.weight is None,
                n.weight or 0,
                n.key,
            ),
        )
        for node in nodes:
            first_page = None
            for lang in language_order(self.section_langs.get(node.key, set())):
                version = node.versions.get(lang)
                rel = version.source.rel if version else None
                if rel:
                    self._tick()
                try:
                    page, status = self._upsert_section(
                        node, lang, existing, first_page
                    )
                except Exception as exc:  # reported per file; the run goes on
                    if rel:
                        self.report.add(rel, "failed", f"category not saved: {exc}")
                    continue
                if page is not None:
                    self.category_pages[(node.key, lang)] = page
                    first_page = first_page or page
                    self.urls[(node.key, lang)] = page.get_url() or self._planned_url(
                        node, lang
                    )
                else:
                    self.urls[(node.key, lang)] = self._planned_url(node, lang)
                if rel:
                    self.report.add(rel, status)

    def _planned_url(self, node, lang):
        parent_key = node.parent_key if node.key else None
        base = (
            self._root_url(lang)
            if not parent_key
            else self.urls.get((parent_key, lang), self._root_url(lang))
        )
        return f"{base}{self._section_slug(node, lang)}/"

    def _section_parent(self, node, lang):
        if not node.key or "/" not in node.key:
            return self._kb_root(lang)
        return self.category_pages.get((node.parent_key, lang))

    def _upsert_section(self, node, lang, existing, first_page):
        title = self._section_title(node, lang)
        slug = self._section_slug(node, lang)
        version = node.versions.get(lang)
        description = ""
        if version:
            description = version.summary
        found = (
            existing.get((node.key, lang))
            if node.key
            else self._root_category(lang, slug)
        )
        if self.dry_run:
            if found is None:
                return None, "created"
            same = found.title == title and found.description == description
            return found, "unchanged" if same else "updated"
        parent = self._section_parent(node, lang)
        if parent is None:
            raise ValueError(f"no parent category in {lang}")
        return category_upsert(
            parent=parent,
            title=title,
            slug=slug,
            description=description,
            source_key=self.prefix + node.key if node.key else "",
            translation_of=first_page,
        )

    # --- articles ----------------------------------------------------------

    def _existing_articles(self):
        pages = {}
        keys = [self.prefix + key for key in self.tree.articles]
        rows = ArticlePage.objects.filter(source_key__in=keys).values_list(
            "pk",
            "source_key",
            "locale__language_code",
            "slug",
            "symptoms",
            "last_reviewed",
            "import_hash",
        )
        for pk, key, lang, slug, symptoms, last_reviewed, digest in rows:
            pages[(key.removeprefix(self.prefix), lang)] = {
                "pk": pk,
                "slug": slug,
                "symptoms": symptoms,
                "last_reviewed": last_reviewed,
                "hash": digest,
            }
        return pages

    def _import_articles(self):
        existing = self._existing_articles()
        nodes = sorted(self.tree.articles.values(), key=lambda n: n.key)
        # Every article URL is known before anything is written, so links
        # between articles imported in the same run resolve.
        for node in nodes:
            for lang, version in node.versions.items():
                base = self.urls.get((node.parent_key, lang))
                found = existing.get((node.key, lang))
                slug = found["slug"] if found else version.slug
                if base:
                    self.urls[(node.key, lang)] = f"{base}{slug}/"
        work = [
            (node, lang) for node in nodes for lang in language_order(node.versions)
        ]
        first_pages = {}
        for node, lang in work:
            self._tick()
            version = node.versions[lang]
            try:
                page, status = self._upsert_article(
                    node,
                    version,
                    existing.get((node.key, lang)),
                    first_pages.get(node.key),
                )
            except Exception as exc:  # reported per file; the run goes on
                self.report.add(version.source.rel, "failed", str(exc) or repr(exc))
                continue
            if page is not None and node.key not in first_pages:
                first_pages[node.key] = page
            self.report.add(version.source.rel, status)

    def _body(self, version):
        segments, unresolved = rewrite_version_links(
            self.tree, version, lambda key, lang: self.urls.get((key, lang))
        )
        self.report.unresolved_links.extend(
            (version.source.rel, target) for target in unresolved
        )
        blocks = []
        for segment in segments:
            if segment["type"] == "markdown":
                blocks.append(("markdown", segment["text"]))
            elif segment["type"] == "callout":
                text = segment["text"]
                if segment.get("title"):
                    text = f"**{segment['title']}**\n\n{text}"
                blocks.append(
                    (
                        "callout",
                        {
                            "kind": CALLOUT_KIND.get(segment["kind"], "notice"),
                            "text": text,
                        },
                    )
                )
            elif segment["type"] == "code":
                blocks.append(
                    (
                        "code",
                        {"language": segment["language"][:30], "code": segment["code"]},
                    )
                )
        return blocks

    def _upsert_article(self, node, version, found, first_page):
        source = version.source
        title = truncate(version.title, 255)
        blocks = self._body(version)
        tags = source.tags
        summary = version.summary
        symptoms = source.symptoms
        hashed = [
            IMPORT_FORMAT,
            node.parent_key,
            title,
            version.slug,
            summary,
            tags,
            blocks,
            self.attribution,
        ]
        if symptoms is not None:
            hashed.append(symptoms)
        digest = hashlib.sha256(
            json.dumps(
                hashed,
                ensure_ascii=False,
                sort_keys=True,
            ).encode()
        ).hexdigest()
        if found and found["hash"] == digest:
            return None, "unchanged"
        if self.dry_run:
            return None, "updated" if found else "created"
        parent = self.category_pages.get((node.parent_key, version.lang))
        if parent is None:
            raise ValueError(f"category {node.parent_key or '/'} was not saved")
        translation_of = first_page
        if translation_of is None and found is None:
            translation_of = self._existing_translation(node.key, version.lang)
        page, status = article_upsert(
            parent=parent,
            title=title,
            slug=version.slug,
            summary=summary,
            body=blocks,
            tags=tags,
            symptoms=symptoms
            if symptoms is not None
            else (found["symptoms"] if found else ""),
            last_reviewed=found["last_reviewed"] if found else None,
            source_key=self.prefix + node.key,
            locale=version.lang,
            translation_of=translation_of,
            user=self.user,
            # Shown in the article's history, in the article's language.
            summary_of_change=_imported_from(source.rel, version.lang),
            attribution=self.attribution[:255],
            import_hash=digest,
        )
        return page, status

    def _existing_translation(self, key, lang):
        """The article in another language, imported by an earlier run."""
        return (
            ArticlePage.objects.filter(source_key=self.prefix + key)
            .exclude(locale__language_code=lang)
            .order_by("pk")
            .first()
        )


def _imported_from(path, lang):
    with translation.override(lang):
        return _("Imported from %(path)s") % {"path": path}
