"""Reads of social_redirect: the community manager dashboard and its figures.

(What triage knows about indexed documents is read in services/catalog.py,
next to the matching that uses it.)
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from social_redirect.models import Mention, RedirectLink, ReplyTemplate
from social_redirect.services.mentions import urgency
from social_redirect.services.replies import DEFAULT_TEMPLATES

_LATEST_LINKS = Prefetch("links", queryset=RedirectLink.objects.order_by("-created_at"))


def _latest_link(mention: Mention) -> RedirectLink | None:
    links = mention.links.all()  # prefetched, newest first
    return links[0] if links else None


def mention_queue(*, limit: int = 50, now: datetime | None = None) -> list[Mention]:
    """Open mentions, most urgent first."""
    now = now or timezone.now()
    mentions = list(
        Mention.objects.filter(acted_at__isnull=True)
        .exclude(status__in=[Mention.Status.IGNORED, Mention.Status.RESOLVED])
        .order_by("-posted_at")
        .prefetch_related(_LATEST_LINKS)[:500]
    )
    for mention in mentions:
        mention.urgency = urgency(mention, now)
        mention.age_minutes = int((now - mention.posted_at).total_seconds() // 60)
        mention.overdue = mention.age_minutes >= settings.SOCIAL_ACK_TARGET_MINUTES
        mention.link = _latest_link(mention)
    mentions.sort(key=lambda m: -m.urgency)
    return mentions[:limit]


def recent_handled(*, limit: int = 20) -> list[Mention]:
    mentions = list(
        Mention.objects.filter(acted_at__isnull=False)
        .select_related("acted_by")
        .prefetch_related(_LATEST_LINKS)
        .order_by("-acted_at", "-posted_at")[:limit]
    )
    for mention in mentions:
        mention.link = _latest_link(mention)
    return mentions


def reply_template_texts() -> dict[tuple[str, str], str]:
    """Every reply template, ``{(variant, lang): text}``, in one query; the
    built-in text where staff stored none."""
    texts = dict(DEFAULT_TEMPLATES)
    for variant, lang, text in ReplyTemplate.objects.values_list(
        "variant", "lang", "text"
    ):
        if text and (variant, lang) in texts:
            texts[(variant, lang)] = text
    return texts


def acknowledged_share(
    since: datetime, now: datetime | None = None
) -> tuple[float | None, int, int]:
    """``(share 0..1 or None, acknowledged in time, total)`` for mentions
    posted since ``since`` that are old enough to be judged or already done."""
    now = now or timezone.now()
    target = settings.SOCIAL_ACK_TARGET_MINUTES * 60
    mentions = Mention.objects.filter(posted_at__gte=since).exclude(
        status=Mention.Status.IGNORED
    )
    total = in_time = 0
    for posted_at, seconds in mentions.values_list("posted_at", "response_seconds"):
        if seconds is None and (now - posted_at).total_seconds() < target:
            continue  # still within its hour: not late yet
        total += 1
        in_time += seconds is not None and seconds <= target
    return (in_time / total if total else None), in_time, total


def acknowledgement_figures(*, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    week = today - timedelta(days=today.weekday())
    return {
        "today": acknowledged_share(today, now),
        "week": acknowledged_share(week, now),
    }
