"""Short redirect links `/r/<code>`: creation, resolution, click funnel.

A link's target is an internal path our code built from stored objects
(an article, a solved topic, the ticket form). Nothing from the request or
from the mention ever becomes a redirect target, and every stored path is
checked again before use, so `/r/` can never send anyone off the site.
"""

import logging
import queue
import re
import secrets
import string
import threading
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, close_old_connections, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme

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


def is_bot(user_agent):
    # A click with no user agent at all is a script, not a person.
    return not user_agent or bool(BOT_AGENTS.search(user_agent))


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def safe_internal_path(path):
    """``path`` if it is a plain same-site path, else None."""
    if not isinstance(path, str) or not path.startswith("/"):
        return None
    if path.startswith(("//", "/\\")) or any(ord(c) < 32 or c == "\\" for c in path):
        return None
    if not url_has_allowed_host_and_scheme(path, allowed_hosts=set()):
        return None
    return path


def ticket_form_path(lang, *, context=None, subject=""):
    with translation.override(lang):
        try:
            base = reverse("support:ticket_create")
        except NoReverseMatch:
            base = f"/{lang}/support/new/"
    params = {}
    if context:
        params["context"] = ticket_context_token(context)
    if subject:
        params["subject"] = subject[:150]
    return base + ("?" + urlencode(params) if params else "")


def link_create(*, mention, kind, target_path="", title="", expires_at=None):
    """Bind a fresh code to ``mention`` and an internal target.

    ``kind`` "ticket" builds the ticket form path itself (with the mention as
    signed context); other kinds need ``target_path`` from a stored object.
    """
    for _ in range(5):
        code = new_code()
        if not RedirectLink.objects.filter(code=code).exists():
            break
    if kind == RedirectLink.Kind.TICKET:
        target_path = ticket_form_path(
            mention.lang,
            context={
                "kind": "mention",
                "text": mention.text[:1000],
                "url": mention.url,
                "author": mention.author_handle,
                "mention_id": mention.pk,
                "link_code": code,
            },
            subject=problem_words(mention.text),
        )
    path = safe_internal_path(target_path)
    if path is None:
        raise ValueError(f"Not an internal path: {target_path!r}")
    return RedirectLink.objects.create(
        code=code,
        mention=mention,
        kind=kind,
        target_path=path,
        target_title=title[:300],
        expires_at=expires_at,
    )


def link_resolve(code):
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
    path = safe_internal_path(path)
    return (link_id, path) if path else None


def landing_path(path, code):
    """The target with ``?via=<code>`` so the landing page can show its banner."""
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}via={code}"


# --- Click recording off the request path --------------------------------

_clicks = queue.Queue()
_worker_lock = threading.Lock()
_worker = None


def link_click_count(link_ids, now=None):
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


def _drain():
    while True:
        batch = [_clicks.get()]
        try:
            while len(batch) < 500:
                batch.append(_clicks.get(timeout=0.2))
        except queue.Empty:
            pass
        try:
            for attempt in range(5):
                try:
                    close_old_connections()
                    link_click_count(batch)
                    break
                except OperationalError:
                    # SQLite: another process holds the write lock; wait a bit.
                    if attempt == 4:
                        raise
                    time.sleep(0.2 * (attempt + 1))
        except Exception:  # a lost click must never take the worker down
            logger.exception("could not record %d clicks", len(batch))
        finally:
            for _ in batch:
                _clicks.task_done()


def link_click_record(link_id, *, sync=False):
    """Count a human click. Batched in a background thread so the redirect
    answers at once; ``sync=True`` writes immediately (tests, scripts)."""
    global _worker
    if sync or not getattr(settings, "SOCIAL_CLICKS_ASYNC", True):
        link_click_count([link_id])
        return
    if _worker is None or not _worker.is_alive():
        with _worker_lock:
            if _worker is None or not _worker.is_alive():
                _worker = threading.Thread(
                    target=_drain, name="link-clicks", daemon=True
                )
                _worker.start()
    _clicks.put(link_id)


def link_clicks_flush():
    """Wait until every queued click is written."""
    if _worker is not None:
        _clicks.join()


# --- Funnel ----------------------------------------------------------------


def link_for_code(code):
    if not isinstance(code, str) or not CODE_RE.match(code):
        return None
    return RedirectLink.objects.select_related("mention").filter(code=code).first()


def link_mark_read(link):
    if link.read_at is None:
        RedirectLink.objects.filter(pk=link.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def link_feedback(link, *, helpful):
    """A visitor's vote on the landing page. Anyone who sees the public link
    can vote, so it is funnel data on the link, shown on the dashboard card;
    only a community manager changes the mention's state (a "yes" that closed
    the mention hid it from both dashboard lists)."""
    RedirectLink.objects.filter(pk=link.pk).update(helpful=bool(helpful))


def link_ticket_opened(code):
    """Called when a ticket is created from a link's context (``link_code``)."""
    RedirectLink.objects.filter(code=code, ticket_opened_at__isnull=True).update(
        ticket_opened_at=timezone.now()
    )


def link_ticket_path(link):
    """The prefilled ticket form for the visitor who says "No"."""
    mention = link.mention
    return ticket_form_path(
        mention.lang,
        context={
            "kind": "mention",
            "text": mention.text[:1000],
            "url": mention.url,
            "author": mention.author_handle,
            "mention_id": mention.pk,
            "link_code": link.code,
            # The article they just said did not help: not suggested again.
            "article_url": urlsplit(link.target_path).path,
        },
        subject=problem_words(mention.text),
    )


def problem_words(text, limit=120):
    """A ticket subject from the person's own words (no handles, no links)."""
    words = " ".join(re.sub(r"(?<![\w@])@\w+|https?://\S+", "", text).split())
    if len(words) > limit:
        words = words[: limit - 1].rsplit(" ", 1)[0] + "…"
    return words
