"""Knowledge base pages (Wagtail, one tree per locale) and the community records
around them: edits awaiting review, credits and helpfulness votes."""

import re

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, Revision
from wagtail.search import index

from config.microcache import proxy_cache_allow
from config.sanitize import plain_text
from kb.blocks import ArticleBodyBlock
from kb.markdown import stream_to_markdown

# An article gets a table of contents from this many headings on.
TOC_MIN_HEADINGS = 3


def _selectors():
    # Cycle: kb.selectors imports these models.
    from kb import selectors  # noqa: PLC0415

    return selectors


def _views():
    # Cycle: kb.views imports kb.selectors and kb.services, which import these
    # models; the page routes below hand over to those views.
    from kb import views  # noqa: PLC0415

    return views


class KnowledgeBaseIndexPage(RoutablePageMixin, Page):
    """Root of the knowledge base of one locale, served at ``/<lang>/kb/``."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["kb.CategoryPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("knowledge base root")

    def categories(self):
        return CategoryPage.objects.child_of(self).live().public().order_by("path")

    def get_context(self, request, *args, **kwargs):
        selectors = _selectors()
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = selectors.categories_with_articles(self)
        context["popular_articles"] = selectors.popular_articles(
            lang=self.locale.language_code, limit=6
        )
        context["can_review"] = selectors.can_review(request.user)
        context["can_see_stats"] = selectors.can_see_stats(request.user)
        return context

    def serve(self, request, *args, **kwargs):
        # Same for every anonymous visitor: nginx may share it (config/microcache).
        return proxy_cache_allow(request, super().serve(request, *args, **kwargs))

    @path("feed/", name="feed")
    def feed_route(self, request):
        return _views().article_feed(request, self)


class CategoryPage(Page):
    """A group of articles (Connexion, Facturation…); categories may nest."""

    description = models.TextField(_("description"), blank=True)
    source_key = models.CharField(
        _("source key"), max_length=255, blank=True, db_index=True
    )

    content_panels = Page.content_panels + [FieldPanel("description")]
    promote_panels = Page.promote_panels + [FieldPanel("source_key")]
    parent_page_types = ["kb.KnowledgeBaseIndexPage", "kb.CategoryPage"]
    subpage_types = ["kb.CategoryPage", "kb.ArticlePage"]
    search_fields = Page.search_fields + [index.SearchField("description")]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subcategories"] = (
            CategoryPage.objects.child_of(self).live().public().order_by("path")
        )
        context["articles"] = (
            ArticlePage.objects.child_of(self).live().public().order_by("title")
        )
        return context

    def serve(self, request, *args, **kwargs):
        # Same for every anonymous visitor: nginx may share it (config/microcache).
        return proxy_cache_allow(request, super().serve(request, *args, **kwargs))

    def breadcrumb_pages(self):
        return breadcrumb_pages(self)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "kb.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(RoutablePageMixin, Page):
    """One answer, written once and improved by everyone.

    A French article and its English translation are two pages sharing one
    ``translation_key`` (Wagtail i18n).
    """

    summary = models.TextField(
        _("summary"),
        max_length=500,
        blank=True,
        help_text=_("One or two sentences: shown in search results and replies on X."),
    )
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    symptoms = models.TextField(
        _("symptoms"),
        blank=True,
        help_text=_(
            "Phrases customers actually write, one per line "
            "(“ma box clignote”, “no internet since this morning”)."
        ),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    source_key = models.CharField(
        _("source key"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("Set by imports: the path of the source file without language."),
    )
    protected = models.BooleanField(
        _("protected"),
        default=False,
        help_text=_("Only trusted members and staff may edit a protected article."),
    )
    attribution = models.CharField(
        _("source / credit"),
        max_length=255,
        blank=True,
        help_text=_(
            "Where the text comes from and its licence, shown under the article "
            "(e.g. “alwaysdata documentation contributors (CC BY-SA 4.0)”)."
        ),
    )
    # Hash of what the importer last wrote: an unchanged source file is skipped
    # on re-import, which keeps community edits made since.
    import_hash = models.CharField(max_length=64, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("tags"), FieldPanel("symptoms"), FieldPanel("last_reviewed")],
            heading=_("Finding the article"),
        ),
    ]
    settings_panels = Page.settings_panels + [
        FieldPanel("protected"),
        FieldPanel("source_key"),
        FieldPanel("attribution"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("symptoms"),
        index.SearchField("body"),
        index.FilterField("source_key"),
    ]
    parent_page_types = ["kb.CategoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    # --- content helpers --------------------------------------------------

    @property
    def lang(self):
        return self.locale.language_code

    @cached_property
    def category(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    def symptom_list(self):
        return [line.strip() for line in self.symptoms.splitlines() if line.strip()]

    def tag_names(self):
        return sorted(tag.name for tag in self.tags.all())

    def body_markdown(self):
        """The whole body as Markdown, as the public editor shows it.

        Markdown blocks give their source back; structured blocks written in
        the Wagtail admin become equivalent Markdown (rich text stays HTML,
        which Markdown accepts and the sanitizer filters on save).
        """
        return stream_to_markdown(self.body)

    def body_html(self):
        return self.body.render_as_block()

    def body_with_toc(self):
        """(html with ids on h2/h3, toc entries) — entries only for long articles."""
        return add_heading_ids(str(self.body_html()))

    def body_text(self):
        text = plain_text(str(self.body_html()))
        return re.sub(r"\n\s*\n+", "\n\n", text).strip()

    def breadcrumb_pages(self):
        return breadcrumb_pages(self)

    def search_document(self):
        """The document the search app indexes (``search.indexing``)."""
        category = self.category
        return {
            "kind": "article",
            "id": f"article:{self.pk}",
            "lang": self.lang,
            "title": self.title,
            "summary": self.summary,
            "symptoms": "\n".join(self.symptom_list()),
            "body": self.body_text(),
            "tags": self.tag_names(),
            "category": category.title if category else "",
            "url": self.get_url(),
            "source": self.source_key or None,
            "helpfulness": _selectors().article_helpfulness(self),
            "updated_at": self.last_published_at or self.latest_revision_created_at,
        }

    # --- routes (thin: the work is in kb.views / kb.services) -------------

    @path("", name="index")
    def index_route(self, request, *args, **kwargs):
        return _views().article_detail(request, self)

    @path("edit/", name="edit")
    def edit_route(self, request):
        return _views().article_edit(request, self)

    @path("history/", name="history")
    def history_route(self, request):
        return _views().article_history(request, self)

    @path("diff/", name="diff")
    def diff_route(self, request):
        return _views().article_diff(request, self)

    @path("rollback/<int:revision_id>/", name="rollback")
    def rollback_route(self, request, revision_id):
        return _views().article_rollback(request, self, revision_id)

    @path("undo/<int:edit_id>/", name="undo")
    def undo_route(self, request, edit_id):
        return _views().article_undo(request, self, edit_id)

    @path("feedback/", name="feedback")
    def feedback_route(self, request):
        return _views().article_feedback(request, self)

    @path("protect/", name="protect")
    def protect_route(self, request):
        return _views().article_protect(request, self)


def breadcrumb_pages(page):
    """Ancestors from the KB root down to (excluding) ``page``."""
    return [
        p.specific for p in page.get_ancestors().filter(depth__gt=2).order_by("depth")
    ]


_HEADING_RE = re.compile(r"<(h[23])>(.*?)</\1>", re.S | re.I)


def add_heading_ids(html):
    """Give h2/h3 anchors and list them; the sanitizer strips member ids."""
    entries = []
    used = set()

    def replace(match):
        tag, inner = match.group(1).lower(), match.group(2)
        text = plain_text(inner).strip()
        base = slugify(text)[:60] or "section"
        anchor, n = base, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        entries.append({"level": int(tag[1]), "text": text, "anchor": anchor})
        return f'<{tag} id="{escape(anchor)}">{inner}</{tag}>'

    # The input is the rendered (sanitized) body; only ids were added.
    html = mark_safe(_HEADING_RE.sub(replace, html))
    return html, (entries if len(entries) >= TOC_MIN_HEADINGS else [])


class ArticleEdit(models.Model):
    """What the community did to an article: one row per saved revision.

    Wagtail's Revision holds the content; this holds the why (summary), the
    review state and the reviewer's reason, which the author sees.
    """

    class Kind(models.TextChoices):
        EDIT = "edit", _("Edit")
        NEW = "new", _("New article")
        ROLLBACK = "rollback", _("Rollback")
        UNDO = "undo", _("Undo")
        IMPORT = "import", _("Import")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    page = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="edits"
    )
    revision = models.OneToOneField(
        Revision,
        on_delete=models.CASCADE,
        related_name="kb_edit",
        null=True,
        blank=True,
    )
    base_revision = models.ForeignKey(
        Revision,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kb_edits",
    )
    summary = models.CharField(_("edit summary"), max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EDIT)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kb_reviews",
    )
    review_reason = models.TextField(_("reason"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("article edit")
        verbose_name_plural = _("article edits")

    def __str__(self):
        return f"{self.page_id} · {self.get_kind_display()} · {self.summary}"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING


class ArticleCredit(models.Model):
    """People credited on an article beyond its editors (e.g. forum authors)."""

    page = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="credits"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="kb_credit_unique")
        ]

    def __str__(self):
        return f"{self.page_id} · {self.user_id}"


class ArticleFeedback(models.Model):
    """“Did this article help you?”: one vote per user, or per session."""

    page = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="feedback"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    session_key = models.CharField(max_length=64, blank=True)
    helpful = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "user"],
                condition=models.Q(user__isnull=False),
                name="kb_feedback_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["page", "session_key"],
                condition=models.Q(user__isnull=True),
                name="kb_feedback_one_per_session",
            ),
        ]

    def __str__(self):
        return f"{self.page_id} · {'yes' if self.helpful else 'no'}"
