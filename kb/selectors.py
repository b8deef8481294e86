"""Reads of the knowledge base: permissions, lists, statistics."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, FloatField, Q, QuerySet, Window
from django.db.models.functions import Cast, RowNumber, Substr
from wagtail.models import PageLogEntry, Revision

from accounts import roles
from accounts.selectors import user_public_name, with_profiles
from kb.diff import three_way_merge
from kb.models import (
    ArticleCredit,
    ArticleEdit,
    ArticleFeedback,
    ArticlePage,
    CategoryPage,
    KnowledgeBaseIndexPage,
)

User = AbstractBaseUser | AnonymousUser

# Articles listed under each category on the KB index.
INDEX_ARTICLES_PER_CATEGORY = 8

# Who reviews and repairs: the trusted community and the staff.
REVIEWER_GROUPS = (
    roles.TRUSTED_MEMBERS,
    roles.MODERATORS,
    roles.COMMUNITY_MANAGERS,
    roles.STAFF,
)


# --- permissions --------------------------------------------------------------


def can_contribute(user: User) -> bool:
    return roles.has_verified_email(user) and user.is_active


def accepted_edit_count(user: User) -> int:
    return ArticleEdit.objects.filter(
        author=user,
        status=ArticleEdit.Status.ACCEPTED,
        kind__in=[ArticleEdit.Kind.EDIT, ArticleEdit.Kind.NEW],
    ).count()


def can_review(user: User) -> bool:
    return roles.user_in(user, *REVIEWER_GROUPS)


def can_rollback(user: User) -> bool:
    return can_review(user)


def can_protect(user: User) -> bool:
    return roles.user_in(user, roles.STAFF, roles.COMMUNITY_MANAGERS)


def can_see_stats(user: User) -> bool:
    return roles.user_in(
        user, roles.STAFF, roles.COMMUNITY_MANAGERS, roles.SUPPORT_AGENTS
    )


def is_trusted_editor(user: User) -> bool:
    """Publishes without review: trusted groups, or enough accepted edits."""
    if not can_contribute(user):
        return False
    if can_review(user):
        return True
    return accepted_edit_count(user) >= settings.KB_TRUSTED_AFTER_ACCEPTED_EDITS


def can_edit(user: User, page: ArticlePage) -> bool:
    if not can_contribute(user):
        return False
    if page.protected:
        return can_review(user)
    return True


# --- public lists ---------------------------------------------------------------


def live_articles(lang: str | None = None) -> QuerySet[ArticlePage]:
    qs = ArticlePage.objects.live().public()
    if lang:
        qs = qs.filter(locale__language_code=lang)
    return qs


def popular_articles(lang: str, limit: int = 6) -> list[ArticlePage]:
    """Most found-helpful articles first; among equals, those that have been
    helping longest. Popularity is earned: a new article starts at zero and
    comes after the established ones until readers find it helpful (ordering
    ties by the latest publication put every fresh article first)."""
    return list(
        live_articles(lang)
        .annotate(helpful_votes=Count("feedback", filter=Q(feedback__helpful=True)))
        .order_by("-helpful_votes", "first_published_at", "pk")[:limit]
    )


def recently_changed(lang: str, limit: int = 30) -> list[ArticlePage]:
    return list(live_articles(lang).order_by("-last_published_at")[:limit])


def categories_with_articles(
    index: KnowledgeBaseIndexPage,
) -> list[CategoryPage]:
    """Top-level categories, each with ``article_list`` (its first articles by
    title, nested categories included) and ``article_count``.

    Three queries whatever the number of categories: articles are grouped by
    the tree path of the top-level category they sit under.
    """
    categories = list(
        CategoryPage.objects.child_of(index).live().public().order_by("path")
    )
    if not categories:
        return categories
    prefix = Substr("path", 1, (index.depth + 1) * CategoryPage.steplen)
    articles = (
        ArticlePage.objects.descendant_of(index)
        .live()
        .public()
        .annotate(category_path=prefix)
    )
    counts = dict(
        articles.order_by()
        .values("category_path")
        .annotate(n=Count("pk"))
        .values_list("category_path", "n")
    )
    firsts = (
        articles.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("category_path")],
                order_by=[F("title").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=INDEX_ARTICLES_PER_CATEGORY)
        .order_by("category_path", "title", "pk")
    )
    by_category = {}
    for article in firsts:
        by_category.setdefault(article.category_path, []).append(article)
    for category in categories:
        category.article_list = by_category.get(category.path, [])
        category.article_count = counts.get(category.path, 0)
    return categories


def article_helpfulness(page: ArticlePage) -> float | None:
    counts = ArticleFeedback.objects.filter(page=page).aggregate(
        yes=Count("pk", filter=Q(helpful=True)), total=Count("pk")
    )
    if not counts["total"]:
        return None
    return counts["yes"] / counts["total"]


def contributors(page: ArticlePage) -> list[str]:
    """Public names of everyone who wrote an accepted edit or is credited."""
    user_ids = set(
        ArticleEdit.objects.filter(page=page, status=ArticleEdit.Status.ACCEPTED)
        .exclude(author=None)
        .values_list("author_id", flat=True)
    )
    user_ids |= set(
        ArticleCredit.objects.filter(page=page).values_list("user_id", flat=True)
    )
    users = with_profiles(get_user_model().objects.filter(pk__in=user_ids))
    names = [user_public_name(user) for user in users]
    return sorted(set(names), key=str.lower)


def related_articles(page: ArticlePage, limit: int = 5) -> list[ArticlePage]:
    """Articles sharing tags first, then the rest of the category."""
    base = live_articles(page.lang).exclude(pk=page.pk)
    tag_ids = list(page.tags.values_list("pk", flat=True))
    related = []
    if tag_ids:
        related = list(
            base.filter(tagged_items__tag_id__in=tag_ids)
            .annotate(shared=Count("tagged_items"))
            .order_by("-shared", "title")[:limit]
        )
    if len(related) < limit:
        parent = page.get_parent()
        more = (
            base.child_of(parent)
            .exclude(pk__in=[p.pk for p in related])
            .order_by("title")[: limit - len(related)]
        )
        related += list(more)
    return related


def other_languages(page: ArticlePage) -> list[ArticlePage]:
    """Live translations of ``page`` (for the language link)."""
    return list(
        ArticlePage.objects.filter(translation_key=page.translation_key)
        .exclude(pk=page.pk)
        .live()
        .public()
        .select_related("locale")
    )


# --- review and history ------------------------------------------------------------


def pending_edits() -> QuerySet[ArticleEdit]:
    return (
        ArticleEdit.objects.filter(status=ArticleEdit.Status.PENDING)
        .select_related("page", "author__profile", "revision", "page__locale")
        .order_by("created_at")
    )


def edits_by(user: User) -> QuerySet[ArticleEdit]:
    return ArticleEdit.objects.filter(author=user).select_related("page", "reviewer")


def edit_previous_revision(edit: ArticleEdit) -> Revision | None:
    """The revision an edit started from (the one before it, for old rows)."""
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


# The fields the public editor changes, merged one by one on approval.
MERGED_FIELDS = ("title", "summary", "symptoms", "body")


def _member_fields(page: ArticlePage) -> dict[str, str]:
    return {
        "title": page.title,
        "summary": page.summary,
        "symptoms": page.symptoms or "",
        "body": page.body_markdown(),
    }


def edit_is_stale(edit: ArticleEdit, live: ArticlePage) -> bool:
    """True when the article was published again after ``edit`` was written."""
    return bool(
        edit.kind == ArticleEdit.Kind.EDIT
        and live.live
        and live.live_revision_id
        and edit.base_revision_id
        and edit.base_revision_id != live.live_revision_id
    )


def edit_merged_fields(edit: ArticleEdit, live: ArticlePage) -> dict[str, str] | None:
    """What publishing ``edit`` on top of ``live`` gives, or None on a conflict.

    A three-way merge per field (base = the revision the edit started from,
    ours = the live article, theirs = the edit): a field only one side changed
    takes that side; the Markdown text is merged line by line. None when both
    sides changed the same field (or the same lines of the text) differently.
    """
    proposed = _member_fields(edit.revision.as_object())
    base_revision = edit_previous_revision(edit)
    if base_revision is None:
        return proposed
    base = _member_fields(base_revision.as_object())
    ours = _member_fields(live)
    merged = {}
    for field in MERGED_FIELDS:
        b, o, t = base[field], ours[field], proposed[field]
        if t in (b, o):
            merged[field] = o
        elif o == b:
            merged[field] = t
        elif field == "body":
            text = three_way_merge(b, o, t)
            if text is None:
                return None
            merged[field] = text
        else:
            return None
    return merged


def visible_revisions(page: ArticlePage, user: User) -> QuerySet[Revision]:
    """Revisions shown in the history: those that were published, plus
    pending/rejected ones for reviewers and for their own authors (so an
    unreviewed edit, or an admin draft, never leaks through a diff)."""
    revisions = page.revisions.select_related("user__profile", "kb_edit").order_by(
        "-created_at", "-pk"
    )
    if can_review(user):
        return revisions
    published = PageLogEntry.objects.filter(
        page_id=page.pk, action="wagtail.publish", revision__isnull=False
    ).values("revision_id")
    shown = Q(pk__in=published) | Q(kb_edit__status=ArticleEdit.Status.ACCEPTED)
    if getattr(user, "is_authenticated", False):
        shown |= Q(user=user)
    return revisions.filter(shown)


def helpfulness_stats(
    lang: str | None = None, min_votes: int = 1
) -> QuerySet[ArticlePage]:
    """Articles with votes: yes/no counts and ratio, worst ratio first."""
    qs = live_articles(lang).annotate(
        yes=Count("feedback", filter=Q(feedback__helpful=True)),
        no=Count("feedback", filter=Q(feedback__helpful=False)),
        total=Count("feedback"),
    )
    qs = qs.filter(total__gte=min_votes).annotate(
        ratio=Cast(F("yes"), FloatField()) / Cast(F("total"), FloatField())
    )
    return qs.select_related("locale")
