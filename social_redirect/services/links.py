"""Short redirect links `/r/<code>`: creation, resolution, click funnel.

A link's target is an internal path our code built from stored objects
(an article, a solved topic, the ticket form). Nothing from the request or
from the mention ever becomes a redirect target, and every stored path is
checked again before use, so `/r/` can never send anyone off the site.
"""

import logging
import re
import secrets
import string
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import urlencode, urlsplit

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation

from config.buffered import BufferedWriter
from config.urls_safety import safe_local_url
from social_redirect.models import Mention, RedirectLink
from support.tokens import ticket_context_token

logger = logging.getLogger(__name__)

ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 8  # 62**8 ≈ 2e14: unguessable by enumeration
CODE_RE = re.compile(r"^[0-9A-Za-z]{7,16}$")
CACHE_TTL = 300

BOT_AGENTS = re.compile(
    r"twitterbot|facebookexternalhit|facebot|slackbot|linkedinbot|discordbot|"
    r"telegrambot|whatsapp|skypeuripreview|embedly|pinterest|redditbot|"
    r"applebot|googlebot|bingbot|mastodon|bluesky|iframely|vkshare|"
    r"quora link preview|outbrain|tumblr|bot\b|crawler|spider|preview",
    re.IGNORECASE,
)


def is_bot(user_agent: str | None) -> bool:
    # A click with no user agent at all is a script, not a person.
    return not user_agent or bool(BOT_AGENTS.search(user_agent))


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def ticket_form_path(
    lang: str, *, context: dict[str, Any] | None = None, subject: str = ""
) -> str:
    with translation.override(lang):
        base = reverse("support:ticket_create")
    params = {}
    if context:
        params["context"] = ticket_context_token(context)
    if subject:
        params["subject"] = subject[:150]
    return base + ("?" + urlencode(params) if params else "")


def _mention_ticket_path(
    mention: Mention, code: str, subject: str, *, article_url: str = ""
) -> str:
    """The ticket form carrying ``mention`` as signed context for link ``code``
    (``article_url``: the article the visitor found unhelpful, not suggested)."""
    context = {
        "kind": "mention",
        "text": mention.text[:1000],
        "url": mention.url,
        "author": mention.author_handle,
        "mention_id": mention.pk,
        "link_code": code,
    }
    if article_url:
        context["article_url"] = article_url
    return ticket_form_path(mention.lang, context=context, subject=subject)


class LinkTarget(NamedTuple):
    """Where a new link of ``mention`` leads (see ``links_create``)."""

    mention: Mention
    kind: str
    target_path: str = ""
    title: str = ""


def _fresh_codes(count: int) -> list[str]:
    """``count`` distinct codes no stored link uses (one query per try)."""
    codes: set[str] = set()
    for _ in range(5):
        drawn = {new_code() for _ in range(count - len(codes))} - codes
        taken = set(
            RedirectLink.objects.filter(code__in=drawn).values_list("code", flat=True)
        )
        codes |= drawn - taken
        if len(codes) == count:
            break
    # 62**8 codes: a clash five times running is left to the unique constraint.
    while len(codes) < count:
        codes.add(new_code())
    return list(codes)


def links_create(
    *, targets: list[LinkTarget], expires_at: datetime | None = None
) -> list[RedirectLink]:
    """Bind a fresh code to each target's mention and internal path, in one
    insert (a burst of mentions gets its links per chunk, not one by one).

    Kind "ticket" builds the ticket form path itself (with the mention as
    signed context); other kinds need ``target_path`` from a stored object.
    """
    if not targets:
        return []
    links = []
    for target, code in zip(targets, _fresh_codes(len(targets)), strict=True):
        target_path = target.target_path
        if target.kind == RedirectLink.Kind.TICKET:
            target_path = _mention_ticket_path(
                target.mention, code, problem_words(target.mention.text)
            )
        path = safe_local_url(target_path)
        if path is None:
            raise ValueError(f"Not an internal path: {target_path!r}")
        links.append(
            RedirectLink(
                code=code,
                mention=target.mention,
                kind=target.kind,
                target_path=path,
                target_title=target.title[:300],
                expires_at=expires_at,
            )
        )
    return RedirectLink.objects.bulk_create(links)


def link_create(
    *,
    mention: Mention,
    kind: str,
    target_path: str = "",
    title: str = "",
    expires_at: datetime | None = None,
) -> RedirectLink:
    """Bind a fresh code to ``mention`` and an internal target (``links_create``)."""
    target = LinkTarget(mention, kind, target_path, title)
    return links_create(targets=[target], expires_at=expires_at)[0]


def link_resolve(code: object) -> tuple[int, str] | None:
    """``(link_id, path)`` for a live code, or None. Cached: the hot path."""
    if not isinstance(code, str) or not CODE_RE.match(code):
        return None
    key = f"social:link:{code}"
    hit = cache.get(key)
    if hit is None:
        link = (
            RedirectLink.objects.filter(code=code)
            .only("pk", "target_path", "expires_at")
            .first()
        )
        if link is None:
            hit = ()
        else:
            expires = link.expires_at.timestamp() if link.expires_at else None
            hit = (link.pk, link.target_path, expires)
        cache.set(key, hit, CACHE_TTL)
    if not hit:
        return None
    link_id, path, expires = hit
    if expires is not None and expires <= timezone.now().timestamp():
        return None
    path = safe_local_url(path)
    return (link_id, path) if path else None


def landing_path(path: str, code: str) -> str:
    """The target with ``?via=<code>`` so the landing page can show its banner."""
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}via={code}"


# --- Click recording off the request path --------------------------------


def link_click_count(link_ids: list[int], now: datetime | None = None) -> None:
    """Write clicks: ``link_ids`` is a list with one id per click."""
    now = now or timezone.now()
    counts = {}
    for link_id in link_ids:
        counts[link_id] = counts.get(link_id, 0) + 1
    with transaction.atomic():
        for link_id, n in counts.items():
            updated = RedirectLink.objects.filter(pk=link_id).update(
                clicks=F("clicks") + n,
                first_clicked_at=Coalesce(F("first_clicked_at"), now),
            )
            if updated:
                Mention.objects.filter(
                    pk__in=RedirectLink.objects.filter(pk=link_id).values("mention_id"),
                    status__in=[Mention.Status.NEW, Mention.Status.ACKNOWLEDGED],
                ).update(status=Mention.Status.REDIRECTED)


# The redirect never waits for a disk sync: clicks are written with an
# asynchronous commit, or batched on SQLite (config/buffered.py).
_clicks = BufferedWriter("link-clicks", link_click_count)


def link_click_record(link_id: int) -> None:
    """Count a human click (see ``BUFFERED_WRITE_SECONDS``)."""
    _clicks.add(link_id)


def link_clicks_flush() -> None:
    """Write every queued click now."""
    _clicks.flush()


# --- Funnel ----------------------------------------------------------------


def link_for_code(code: object) -> RedirectLink | None:
    if not isinstance(code, str) or not CODE_RE.match(code):
        return None
    return RedirectLink.objects.select_related("mention").filter(code=code).first()


def link_mark_read(*, link: RedirectLink) -> None:
    if link.read_at is None:
        RedirectLink.objects.filter(pk=link.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def link_feedback(*, link: RedirectLink, helpful: bool) -> None:
    """A visitor's vote on the landing page. Anyone who sees the public link
    can vote, so it is funnel data on the link, shown on the dashboard card;
    only a community manager changes the mention's state."""
    RedirectLink.objects.filter(pk=link.pk).update(helpful=bool(helpful))


def link_ticket_opened(*, code: str) -> None:
    """Called when a ticket is created from a link's context (``link_code``)."""
    RedirectLink.objects.filter(code=code, ticket_opened_at__isnull=True).update(
        ticket_opened_at=timezone.now()
    )


def link_ticket_path(link: RedirectLink) -> str:
    """The prefilled ticket form for the visitor who says "No"."""
    # The article they just said did not help is not suggested again.
    return _mention_ticket_path(
        link.mention,
        link.code,
        problem_words(link.mention.text),
        article_url=urlsplit(link.target_path).path,
    )


def problem_words(text: str, limit: int = 120) -> str:
    """A ticket subject from the person's own words (no handles, no links)."""
    words = " ".join(re.sub(r"(?<![\w@])@\w+|https?://\S+", "", text).split())
    if len(words) > limit:
        words = words[: limit - 1].rsplit(" ", 1)[0] + "…"
    return words
