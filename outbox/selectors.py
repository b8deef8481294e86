"""Reads of the outbox: what is due for a retry, what staff should look at."""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from outbox.models import OutboundMail

# A mail never tried yet is left this long to the task queue before the retry
# command sends it, so it is not sent twice.
QUEUE_GRACE = timedelta(minutes=5)


def mail_due(
    *, now: datetime | None = None, include_failed: bool = False
) -> QuerySet[OutboundMail]:
    now = now or timezone.now()
    statuses = [OutboundMail.Status.PENDING]
    if include_failed:
        statuses.append(OutboundMail.Status.FAILED)
    qs = OutboundMail.objects.filter(status__in=statuses)
    if not include_failed:
        qs = qs.filter(
            Q(attempts__gt=0, next_attempt_at__lte=now)
            | Q(attempts=0, created_at__lte=now - QUEUE_GRACE)
        )
    return qs.order_by("created_at")


def mail_problems_filter() -> Q:
    """Mails not delivered yet although the site tried (or gave up)."""
    return Q(status=OutboundMail.Status.FAILED) | Q(
        status=OutboundMail.Status.PENDING, attempts__gt=0
    )


def mail_problems(
    *, limit: int = 20, kinds: list[str] | None = None
) -> tuple[int, list[OutboundMail]]:
    """``(count, latest)`` of the e-mails that could not be delivered yet,
    of the given ``kinds`` (default: all)."""
    qs = OutboundMail.objects.filter(mail_problems_filter())
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    return qs.count(), list(qs.order_by("-created_at")[:limit])
