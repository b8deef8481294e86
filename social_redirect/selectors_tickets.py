"""Reads for private support tickets: who may see what, the agents' queue."""

import logging
import time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.http import Http404
from django.utils import timezone

from config import roles
from config.sanitize import clean_html
from config.urls_safety import safe_local_url
from social_redirect.models import OutboundMail, Ticket, TicketMessage

logger = logging.getLogger(__name__)

SESSION_KEY = "ticket_access"
AGENT_GROUPS = (roles.SUPPORT_AGENTS, roles.STAFF)


def is_support_agent(user):
    return roles.user_in(user, *AGENT_GROUPS)


def support_agents():
    """Active people who answer tickets (for assignment and notifications)."""
    user_model = get_user_model()
    return (
        user_model.objects.filter(is_active=True)
        .filter(Q(groups__name__in=AGENT_GROUPS) | Q(is_staff=True))
        .distinct()
        .order_by("email")
    )


def session_has_access(request, ticket):
    """Anonymous requesters who opened a valid signed link keep access for the
    link's lifetime in this browser session."""
    grants = request.session.get(SESSION_KEY) or {}
    expires = grants.get(str(ticket.public_id))
    return bool(expires and expires > time.time())


def ticket_for_request(request, public_id):
    """``(ticket, is_agent)`` or Http404 for anybody else: never a 403, which
    would confirm the ticket exists."""
    ticket = (
        Ticket.objects.select_related("requester", "assignee")
        .filter(public_id=public_id)
        .first()
    )
    if ticket is None:
        raise Http404
    user = request.user
    if is_support_agent(user):
        return ticket, True
    if ticket.requester_id is not None:
        if user.is_authenticated and user.pk == ticket.requester_id:
            return ticket, False
        raise Http404
    if session_has_access(request, ticket):
        return ticket, False
    raise Http404


def ticket_messages(ticket, *, is_agent):
    qs = ticket.messages.select_related("author").prefetch_related("attachments")
    if not is_agent:
        qs = qs.exclude(kind=TicketMessage.Kind.NOTE)
    return list(qs)


def tickets_for_requester(user):
    return Ticket.objects.filter(requester=user).order_by("-updated_at")


def _with_due(qs, now):
    # The running target: first response until the team answers, then resolution.
    return qs.annotate(
        due=Case(
            When(first_response_at__isnull=True, then=F("first_response_due")),
            default=F("resolution_due"),
        ),
    ).annotate(
        overdue=Case(
            When(
                Q(status__in=[Ticket.Status.NEW, Ticket.Status.OPEN])
                & (
                    Q(first_response_at__isnull=True, first_response_due__lt=now)
                    | Q(first_response_at__isnull=False, resolution_due__lt=now)
                ),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
        active=Case(
            When(status__in=[Ticket.Status.NEW, Ticket.Status.OPEN], then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def ticket_queue(*, status="", assignee="", overdue=False, agent=None, now=None):
    """The agents' queue, most urgent first: overdue, then by priority, then by
    the nearest due time. ``status``: a Ticket.Status value, "" (new and
    open, the default), "pending" (everything not closed) or "all". ``assignee``: "me",
    "none", a user pk, or "" (anybody)."""
    now = now or timezone.now()
    qs = _with_due(Ticket.objects.select_related("assignee", "requester"), now)
    if status in ("", "active"):
        qs = qs.filter(status__in=[Ticket.Status.NEW, Ticket.Status.OPEN])
    elif status == "pending":
        qs = qs.exclude(status=Ticket.Status.CLOSED)
    elif status in Ticket.Status.values:
        qs = qs.filter(status=status)
    if assignee == "me" and agent is not None:
        qs = qs.filter(assignee=agent)
    elif assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif str(assignee).isdigit():
        qs = qs.filter(assignee_id=int(assignee))
    if overdue:
        qs = qs.filter(overdue=True)
    return qs.order_by("-active", "-overdue", "-priority", "due", "created_at")


def mail_problems(limit=20):
    """E-mails that could not be delivered yet, for the staff's attention."""
    qs = OutboundMail.objects.select_related("ticket").filter(
        Q(status=OutboundMail.Status.FAILED)
        | Q(status=OutboundMail.Status.PENDING, attempts__gt=0)
    )
    return qs.count(), list(qs.order_by("-created_at")[:limit])


def ticket_suggestions(query, lang, limit=5):
    """Articles and solved topics that may answer ``query`` before a ticket is
    opened. Empty when the search service is missing or failing: suggesting is
    a nicety, opening a ticket must always work."""
    query = " ".join((query or "").split())[:200]
    if len(query) < 3:
        return []
    try:
        from search.services import search

        # A savepoint: a database error inside search must not break the
        # caller's transaction (PostgreSQL aborts it otherwise).
        with transaction.atomic():
            response = search(
                query, lang=lang, kinds=["article", "topic"], limit=limit * 2
            )
            hits = list(response.results)
    except Exception:  # search is another app; degrade silently
        logger.warning("Ticket deflection search failed", exc_info=True)
        return []
    suggestions = []
    for hit in hits:
        kind = getattr(hit, "kind", "")
        if kind == "topic" and not getattr(hit, "solved", False):
            continue
        url = getattr(hit, "url", "") or ""
        if safe_local_url(url) is None:
            continue
        suggestions.append(
            {
                "kind": kind,
                "title": getattr(hit, "title", "") or url,
                "url": url,
                "snippet": clean_html(getattr(hit, "snippet", "") or ""),
                "summary": getattr(hit, "summary", "") or "",
                "solved": bool(getattr(hit, "solved", False)),
            }
        )
        if len(suggestions) >= limit:
            break
    return suggestions


def _safe_link(url):
    url = str(url or "").strip()
    if url.startswith(("https://", "http://")) or safe_local_url(url):
        return url
    return ""


def ticket_context_display(context):
    """What a signed context says, reduced to known keys and safe links."""
    if not isinstance(context, dict):
        return None
    kind = context.get("kind")
    if kind == "article":
        return {
            "kind": "article",
            "title": str(context.get("article_title") or "")[:300],
            "url": _safe_link(context.get("article_url")),
        }
    if kind == "mention":
        return {
            "kind": "mention",
            "text": str(context.get("text") or "")[:1000],
            "url": _safe_link(context.get("url")),
            "author": str(context.get("author") or "")[:100],
        }
    return None
