"""Reads for private support tickets: who may see what, the agents' queue."""

import logging
import time
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts import roles
from config.sanitize import clean_html
from config.urls_safety import safe_local_url
from outbox import selectors as outbox_selectors
from outbox.models import OutboundMail
from search.services import search
from support.models import MailKind, Ticket, TicketMessage

logger = logging.getLogger(__name__)

# Ties a mail in the outbox to its ticket (and lets agents filter their mail).
TICKET_HEADER = "X-Entraide-Ticket"

SESSION_KEY = "ticket_access"
AGENT_GROUPS = (roles.SUPPORT_AGENTS, roles.STAFF)


def is_support_agent(user: AbstractBaseUser | AnonymousUser) -> bool:
    return roles.user_in(user, *AGENT_GROUPS)


def support_agents() -> QuerySet:
    """Active people who answer tickets (for assignment and notifications)."""
    user_model = get_user_model()
    return (
        user_model.objects.filter(is_active=True)
        .filter(Q(groups__name__in=AGENT_GROUPS) | Q(is_staff=True))
        .distinct()
        .order_by("email")
    )


def session_has_access(request: HttpRequest, ticket: Ticket) -> bool:
    """Anonymous requesters who opened a valid signed link keep access for the
    link's lifetime in this browser session."""
    grants = request.session.get(SESSION_KEY) or {}
    expires = grants.get(str(ticket.public_id))
    return bool(expires and expires > time.time())


def ticket_for_request(
    request: HttpRequest, public_id: uuid.UUID | str
) -> tuple[Ticket, bool]:
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


def ticket_messages(ticket: Ticket, *, is_agent: bool) -> list[TicketMessage]:
    qs = ticket.messages.select_related("author").prefetch_related("attachments")
    if not is_agent:
        qs = qs.exclude(kind=TicketMessage.Kind.NOTE)
    return list(qs)


def tickets_for_requester(user: AbstractBaseUser) -> QuerySet[Ticket]:
    return Ticket.objects.filter(requester=user).order_by("-updated_at")


def _with_due(qs: QuerySet[Ticket], now: datetime) -> QuerySet[Ticket]:
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


def ticket_queue(
    *,
    status: str = "",
    assignee: str | int = "",
    overdue: bool = False,
    agent: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> QuerySet[Ticket]:
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


def _mail_labels(mails: list[OutboundMail]) -> list[OutboundMail]:
    """Label each mail's kind, and tie it to its ticket (one query for all)."""
    labels = dict(MailKind.choices)
    references = {(m.headers or {}).get(TICKET_HEADER) for m in mails} - {None}
    tickets = {
        t.reference: t
        for t in Ticket.objects.filter(reference__in=references).only(
            "reference", "public_id"
        )
    }
    for mail in mails:
        mail.kind_label = labels.get(mail.kind, mail.kind)
        mail.ticket = tickets.get((mail.headers or {}).get(TICKET_HEADER))
    return mails


def ticket_mails(ticket: Ticket, *, limit: int = 20) -> list[OutboundMail]:
    """The e-mails sent (or still trying) about one ticket, newest first."""
    mails = OutboundMail.objects.filter(
        **{f"headers__{TICKET_HEADER}": ticket.reference}
    )
    return _mail_labels(list(mails.order_by("-created_at")[:limit]))


def mail_problems(*, limit: int = 20) -> tuple[int, list[OutboundMail]]:
    """Ticket e-mails that could not be delivered yet, for the agents' queue
    (every kind of mail is in the Django admin)."""
    count, mails = outbox_selectors.mail_problems(limit=limit, kinds=MailKind.values)
    return count, _mail_labels(mails)


def ticket_suggestions(
    query: str, lang: str, limit: int = 5, exclude: Iterable[str] = ()
) -> list[dict]:
    """Articles and solved topics that may answer ``query`` before a ticket is
    opened, except the pages in ``exclude`` (the article the person just said
    did not help). Empty when the search service is failing: suggesting is a
    nicety, opening a ticket must always work."""
    exclude = {url for url in exclude if url}
    query = " ".join((query or "").split())[:200]
    if len(query) < 3:
        return []
    try:
        # A savepoint: a database error inside search must not break the
        # caller's transaction (PostgreSQL aborts it otherwise).
        with transaction.atomic():
            response = search(
                query, lang=lang, kinds=["article", "topic"], limit=limit * 2
            )
            hits = list(response.results)
    except Exception:  # a failing search must not stop a ticket; degrade
        logger.warning("Ticket deflection search failed", exc_info=True)
        return []
    suggestions = []
    for hit in hits:
        kind = getattr(hit, "kind", "")
        if kind == "topic" and not getattr(hit, "solved", False):
            continue
        url = getattr(hit, "url", "") or ""
        if safe_local_url(url) is None or url in exclude:
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


def _safe_link(url: object) -> str:
    url = str(url or "").strip()
    if url.startswith(("https://", "http://")) or safe_local_url(url):
        return url
    return ""


def ticket_context_tried(context: object) -> str:
    """The page the context says the person already tried ("" when none)."""
    if not isinstance(context, dict):
        return ""
    return _safe_link(context.get("article_url"))


def ticket_context_display(context: object) -> dict | None:
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
