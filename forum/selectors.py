"""Reads of the forum: languages, public topics, search documents, queue counts."""

import re
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from django.utils import translation
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.handler import PermissionHandler
from wagtail.models import Page

from accounts.selectors import with_profiles
from config.sanitize import plain_text
from forum.models import (
    ForumLanguage,
    ModerationLog,
    PostReport,
    TopicPromotion,
    TopicSolution,
)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def forum_languages() -> dict[int, str | None]:
    """``{forum_id: lang}`` for every forum: its own tag or its nearest ancestor's.

    ``None`` means the forum is not tied to a language (shown in both).
    """
    own = dict(ForumLanguage.objects.values_list("forum_id", "lang"))
    result = {}
    # mptt ordering yields parents before their children.
    for forum_id, parent_id in Forum.objects.order_by("tree_id", "lft").values_list(
        "pk", "parent_id"
    ):
        result[forum_id] = own.get(forum_id) or result.get(parent_id)
    return result


def forum_language(forum: Forum) -> str | None:
    return forum_languages().get(forum.pk)


def topic_language(topic: Topic, languages: dict[int, str | None] | None = None) -> str:
    languages = languages if languages is not None else forum_languages()
    return languages.get(topic.forum_id) or settings.LANGUAGE_CODE


def forum_ids_for_language(lang: str) -> list[int]:
    """Forums shown to readers of ``lang``: theirs and the untagged ones."""
    return [
        pk for pk, forum_lang in forum_languages().items() if forum_lang in (lang, None)
    ]


def default_forum_for(lang: str) -> Forum | None:
    """The forum a new question in ``lang`` goes to (`community_forum:ask`)."""
    tagged = ForumLanguage.objects.filter(
        lang=lang, is_default=True, forum__type=Forum.FORUM_POST
    ).first()
    if tagged:
        return tagged.forum
    languages = forum_languages()
    for forum in Forum.objects.filter(type=Forum.FORUM_POST).order_by("tree_id", "lft"):
        if languages.get(forum.pk) == lang:
            return forum
    return None


def topic_url(topic: Topic, lang: str | None = None) -> str:
    """Relative, language-prefixed URL of a topic."""
    kwargs = {
        "forum_slug": topic.forum.slug,
        "forum_pk": topic.forum_id,
        "slug": topic.slug,
        "pk": topic.pk,
    }
    if lang:
        with translation.override(lang):
            return reverse("forum_conversation:topic", kwargs=kwargs)
    return reverse("forum_conversation:topic", kwargs=kwargs)


def post_url(post: Post, lang: str | None = None) -> str:
    return f"{topic_url(post.topic, lang)}?post={post.pk}#{post.pk}"


def with_solved(queryset: QuerySet[Topic]) -> QuerySet[Topic]:
    """Annotate topics with ``is_solved``."""
    return queryset.annotate(
        is_solved=Exists(TopicSolution.objects.filter(topic=OuterRef("pk")))
    )


def public_topics() -> QuerySet[Topic]:
    """Topics anyone may read: approved, in a forum anonymous visitors can read."""
    readable = PermissionHandler().forum_list_filter(
        Forum.objects.all(), AnonymousUser()
    )
    return (
        Topic.objects.filter(approved=True, forum__in=readable)
        .exclude(first_post__isnull=True)
        .select_related("forum", "first_post")
    )


def topic_solution(topic: Topic) -> TopicSolution | None:
    solution = TopicSolution.objects.filter(topic=topic).select_related("post").first()
    if solution and solution.post.approved:
        return solution
    return None


def topic_search_document(topic: Topic) -> dict[str, Any] | None:
    """The search document of a topic, or None when the topic is not public."""
    if not public_topics().filter(pk=topic.pk).exists():
        return None
    posts = list(topic.posts.filter(approved=True).order_by("created"))
    return _topic_document(topic, posts, topic_solution(topic), forum_languages())


def public_topic_documents() -> tuple[int, Iterator[dict[str, Any]]]:
    """(count, iterator of search documents) of every public topic.

    For a full reindex: posts, solutions and languages are read in a fixed
    number of queries per chunk of topics, not per topic.
    """
    topics = public_topics().select_related("entraide_solution__post")
    approved = Post.objects.filter(approved=True).order_by("created")
    languages = forum_languages()

    def generate() -> Iterator[dict[str, Any]]:
        rows = topics.prefetch_related(
            Prefetch("posts", queryset=approved, to_attr="approved_posts")
        ).iterator(chunk_size=200)
        for topic in rows:
            solution = getattr(topic, "entraide_solution", None)
            if solution is not None and not solution.post.approved:
                solution = None
            doc = _topic_document(topic, topic.approved_posts, solution, languages)
            if doc:
                yield doc

    return topics.count(), generate()


def _topic_document(
    topic: Topic,
    posts: list[Post],
    solution: TopicSolution | None,
    languages: dict[int, str | None],
) -> dict[str, Any] | None:
    if not posts:
        return None
    lang = topic_language(topic, languages)
    question = posts[0]
    replies = [
        plain_text(p.content.rendered)
        for p in posts[1:]
        if not (solution and p.pk == solution.post_id)
    ]
    return {
        "kind": "topic",
        "id": f"topic:{topic.pk}",
        "lang": lang,
        "title": topic.subject,
        "question": plain_text(question.content.rendered),
        "solution": plain_text(solution.post.content.rendered) if solution else "",
        "replies": "\n\n".join(replies),
        "solved": solution is not None,
        "category": topic.forum.name,
        "url": topic_url(topic, lang),
        "source": None,
        "updated_at": topic.last_post_on or topic.updated,
    }


def recent_topics(lang: str, limit: int = 5) -> list[dict[str, Any]]:
    """Latest public topics in ``lang`` for the home page."""
    languages = forum_languages()
    forum_ids = [pk for pk, forum_lang in languages.items() if forum_lang == lang]
    topics = with_solved(
        public_topics().filter(forum_id__in=forum_ids).order_by("-last_post_on", "-pk")
    )[:limit]
    return [
        {
            "title": topic.subject,
            "url": topic_url(topic, lang),
            "solved": topic.is_solved,
            "summary": plain_text(topic.first_post.content.rendered)[:200],
            "replies": max(topic.posts_count - 1, 0),
        }
        for topic in topics
    ]


def topic_kb_article(topic: Topic) -> tuple[str, str] | None:
    """``(title, url)`` of the published article a topic became, else None."""
    promotion = TopicPromotion.objects.filter(topic=topic).first()
    if promotion is None:
        return None
    page = Page.objects.live().filter(pk=promotion.article_page_id).first()
    if page is None:
        return None
    return page.title, page.url


def topic_promotion(topic: Topic) -> TopicPromotion | None:
    return TopicPromotion.objects.filter(topic=topic).first()


def moderation_counts() -> dict[str, int]:
    return {
        "pending": Post.objects.filter(approved=False).count(),
        "reported": PostReport.objects.filter(
            status=PostReport.Status.OPEN, post__isnull=False
        ).count(),
    }


def pending_posts() -> QuerySet[Post]:
    return with_profiles(
        Post.objects.filter(approved=False)
        .select_related("topic", "topic__forum")
        .order_by("created"),
        "poster",
    )


def open_reports() -> QuerySet[PostReport]:
    return with_profiles(
        PostReport.objects.filter(status=PostReport.Status.OPEN, post__isnull=False)
        .select_related("post", "post__topic", "post__topic__forum")
        .order_by("created_at"),
        "post__poster",
        "reporter",
    )


def moderation_log_recent(limit: int = 20) -> QuerySet[ModerationLog]:
    return with_profiles(ModerationLog.objects.all(), "actor", "author")[:limit]


# --- Promotion to the knowledge base -----------------------------------------

# Lines that greet or thank rather than describe the problem or the fix.
_CHATTER = re.compile(
    r"^\W*(bonjour|bonsoir|salut|hello|hi|hey|coucou|merci|thanks?|thank you|"
    r"cordialement|bonne (journée|soirée)|regards|best regards|cheers)\b[^\n]{0,40}$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _without_chatter(text):
    lines = [line.rstrip() for line in text.strip().splitlines()]
    while lines and (not lines[0].strip() or _CHATTER.match(lines[0].strip())):
        lines.pop(0)
    while lines and (not lines[-1].strip() or _CHATTER.match(lines[-1].strip())):
        lines.pop()
    return "\n".join(lines).strip()


def _summary_from(text, limit=200):
    """The question's first sentences, without greetings, on one line."""
    flat = " ".join(_without_chatter(text).split())
    summary = ""
    for sentence in _SENTENCE_END.split(flat):
        if summary and sentence.endswith("?") and len(sentence) < 30:
            continue  # "Une idée ?", "Any idea?": a plea, not the problem
        if summary and len(summary) + len(sentence) + 1 > limit:
            break
        summary = f"{summary} {sentence}".strip()
    if len(summary) > limit:
        summary = summary[: limit - 1].rsplit(" ", 1)[0] + "…"
    return summary


def topic_authors(topic, solution=None):
    """Who wrote the question and its accepted answer (credited on the article)."""
    solution = solution or topic_solution(topic)
    posts = [topic.first_post] + ([solution.post] if solution else [])
    authors = []
    for post in posts:
        if post is not None and post.poster is not None and post.poster not in authors:
            authors.append(post.poster)
    return authors


def topic_promotion_draft(topic):
    """A prefilled article from a solved topic, for the promoter to correct:
    the title, a summary from the question and the steps from the answer."""
    solution = topic_solution(topic)
    question = topic.first_post
    return {
        "title": topic.subject,
        "summary": _summary_from(plain_text(question.content.rendered)),
        "body": _without_chatter(solution.post.content.raw) if solution else "",
    }


def member_page_owner(pk, viewer):
    """The person a public member page (``/forum/member/profile/<pk>/``) is about.

    Only people who have an approved post have a public page: ids are
    sequential, so anything else would list every account, unverified or
    silent ones included. People always see their own page. None otherwise
    (the caller answers 404, the same for every kind of refusal).
    """
    if not str(pk).isdigit():
        return None
    users = get_user_model().objects.filter(is_active=True)
    if getattr(viewer, "pk", None) != int(pk):
        users = users.filter(
            Exists(Post.approved_objects.filter(poster=OuterRef("pk")))
        )
    return with_profiles(users).filter(pk=int(pk)).first()
