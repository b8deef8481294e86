"""Pages of the private support tickets: form, conversation, agents' queue."""

import functools
import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.ratelimit import client_ip, ratelimit, ratelimit_hit
from config.timing import response_floor
from support import selectors, services
from support.forms import (
    AgentReplyForm,
    TicketAccessRequestForm,
    TicketCreateForm,
    TicketDeflectForm,
    TicketQueueFilterForm,
    TicketRateForm,
    TicketReplyForm,
    TicketUpdateForm,
)
from support.models import Ticket, TicketMessage
from support.tokens import ticket_context_read

TEMPLATES = "support/"
HOUR = 60 * 60


def _language():
    lang = translation.get_language() or settings.LANGUAGE_CODE
    return lang.split("-")[0]


def _post_data(request):
    """``(POST, FILES)`` or ``(None, None)`` when the body is over the limits.

    Large files are not refused here: each one is checked by the form, which
    then answers with a precise message and keeps the text. The whole upload
    size is capped by the front web server."""
    try:
        return request.POST, request.FILES
    except (RequestDataTooBig, TooManyFieldsSent):
        return None, None


def _not_found(request):
    """Same answer for a ticket that does not exist, is somebody else's, or whose
    link expired: nothing tells them apart."""
    return render(request, TEMPLATES + "not_found.html", status=404)


def _with_ticket(view):
    """Call ``view(request, ticket, is_agent, …)`` for a ticket this visitor may
    see; anybody else gets the same not-found page."""

    @functools.wraps(view)
    def wrapped(request, public_id, *args, **kwargs):
        try:
            ticket, is_agent = selectors.ticket_for_request(request, public_id)
        except Http404:
            return _not_found(request)
        return view(request, ticket, is_agent, *args, **kwargs)

    return wrapped


def _grant_session_access(request, ticket):
    grants = dict(request.session.get(selectors.SESSION_KEY) or {})
    now = time.time()
    grants = {k: v for k, v in grants.items() if v > now}
    grants[str(ticket.public_id)] = now + settings.TICKET_ACCESS_LINK_DAYS * 24 * HOUR
    request.session[selectors.SESSION_KEY] = grants


# --- Opening a ticket ---------------------------------------------------------


def ticket_create(request):
    token = request.GET.get("context", "")
    form_error = None
    status = 200
    if request.method == "POST":
        data, files = _post_data(request)
        if data is None:
            form = TicketCreateForm(user=request.user)
            form_error = _(
                "Your message was too large to be received. Please shorten it or "
                "attach smaller files."
            )
            status = 400
        else:
            token = data.get("context", "")
            form = TicketCreateForm(data, files, user=request.user)
            if form.is_bot():
                # Look like success so the robot learns nothing.
                return render(request, TEMPLATES + "received.html", {"ticket": None})
            if form.is_valid():
                limited = _create_limited(request, form)
                if limited:
                    form.add_error(None, limited)
                    status = 429
                else:
                    return _ticket_create_save(request, form, token)
            else:
                status = 400
    else:
        form = TicketCreateForm(
            user=request.user,
            initial={"subject": request.GET.get("subject", "")[:200], "context": token},
        )
    context = ticket_context_read(token)
    if context is None and token:
        # A tampered or expired token is dropped: the form works without it.
        token = ""
        form.initial["context"] = ""
    display = selectors.ticket_context_display(context)
    if request.method == "GET" and display and display["kind"] == "mention":
        # The form promised it: the public message is the start of the description.
        form.initial["description"] = display["text"]
    tried = selectors.ticket_context_tried(context)
    # Server-side suggestions for a prefilled subject work without JavaScript.
    subject = request.GET.get("subject", "") if request.method == "GET" else ""
    return render(
        request,
        TEMPLATES + "create.html",
        {
            "form": form,
            "form_error": form_error,
            "ticket_context": display,
            "context_token": token if context else "",
            "suggestions": selectors.ticket_suggestions(
                subject, _language(), exclude=[tried]
            ),
            "suggest_query": subject,
            "suggest_exclude": tried,
            "first_response": services.duration_text(
                settings.TICKET_FIRST_RESPONSE_MINUTES
            ),
        },
        status=status,
    )


def _create_limited(request, form):
    ip_over = ratelimit_hit(
        "ticket-create",
        "ip:" + client_ip(request),
        settings.TICKET_CREATE_LIMIT_PER_IP_HOUR,
        HOUR,
    )
    email = form.cleaned_data.get("email") or request.user.email
    email_over = ratelimit_hit(
        "ticket-create",
        "email:" + (email or "").lower(),
        settings.TICKET_CREATE_LIMIT_PER_EMAIL_HOUR,
        HOUR,
    )
    if ip_over or email_over:
        return _(
            "You have opened many tickets in the last hour. Your text is kept "
            "below: please wait a little and send it again, or add to one of "
            "your open tickets."
        )
    return None


def _ticket_create_save(request, form, token):
    data = form.cleaned_data
    ticket = services.ticket_create(
        subject=data["subject"],
        description=data["description"],
        category=data["category"],
        language=_language(),
        user=request.user if request.user.is_authenticated else None,
        email=data.get("email", ""),
        context=ticket_context_read(token),
        files=data.get("attachments") or [],
    )
    if ticket.requester_id is None:
        _grant_session_access(request, ticket)
    messages.success(
        request,
        _(
            "Your ticket %(reference)s is open. A confirmation will be sent to "
            "%(email)s; we aim to answer within %(delay)s."
        )
        % {
            "reference": ticket.reference,
            "email": ticket.requester_email,
            "delay": services.duration_text(settings.TICKET_FIRST_RESPONSE_MINUTES),
        },
    )
    return redirect(ticket.get_absolute_url())


@require_GET
@ratelimit("ticket-suggest", 120, 60, methods=("GET",), per_user=False)
def ticket_suggest(request):
    """Suggestions while the subject is typed (the form's JavaScript)."""
    query = request.GET.get("q", "")
    exclude = request.GET.get("exclude", "")[:500]
    return JsonResponse(
        {
            "results": selectors.ticket_suggestions(
                query, _language(), exclude=[exclude]
            )
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_POST
@ratelimit("ticket-deflect", 30, HOUR, per_user=False)
def ticket_deflect(request):
    """ "This solved my problem": no ticket, and the deflection is counted."""
    form = TicketDeflectForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("We could not record that. You can still write to us.")
        )
        return redirect("support:ticket_create")
    data = form.cleaned_data
    context = ticket_context_read(data.get("context"))
    services.ticket_deflection_record(
        url=data["url"],
        title=data.get("title", ""),
        kind=data.get("kind", ""),
        query=data.get("subject", ""),
        language=_language(),
        user=request.user,
        context_kind=(context or {}).get("kind", ""),
    )
    return render(
        request,
        TEMPLATES + "deflected.html",
        {"url": data["url"], "title": data.get("title") or data["url"]},
    )


# --- Reading and answering ----------------------------------------------------


def _detail_context(request, ticket, is_agent, **forms):
    now = timezone.now()
    if is_agent:
        reply_form = forms.get("reply_form") or AgentReplyForm()
        update_form = forms.get("update_form") or TicketUpdateForm(
            prefix="manage",
            initial={
                "status": ticket.status,
                "priority": ticket.priority,
                "assignee": ticket.assignee_id,
            },
        )
    else:
        reply_form = forms.get("reply_form") or TicketReplyForm()
        update_form = None
    return {
        "ticket": ticket,
        "is_agent": is_agent,
        "ticket_messages": selectors.ticket_messages(ticket, is_agent=is_agent),
        "ticket_context": selectors.ticket_context_display(ticket.context),
        "target": ticket.target(now),
        "reply_form": reply_form,
        "update_form": update_form,
        "can_reply": is_agent or ticket.status != Ticket.Status.CLOSED,
        "can_rate": not is_agent and ticket.status == Ticket.Status.SOLVED,
        "mails": selectors.ticket_mails(ticket) if is_agent else [],
    }


def ticket_detail(request, public_id):
    access = request.GET.get("access")
    if access is not None:
        ticket = Ticket.objects.filter(public_id=public_id).first()
        if ticket is None or not services.ticket_access_token_valid(ticket, access):
            return _not_found(request)
        _grant_session_access(request, ticket)
        # Drop the token from the address bar (and from Referer headers).
        return redirect(ticket.get_absolute_url())
    try:
        ticket, is_agent = selectors.ticket_for_request(request, public_id)
    except Http404:
        return _not_found(request)
    return render(
        request, TEMPLATES + "detail.html", _detail_context(request, ticket, is_agent)
    )


@require_POST
@ratelimit("ticket-reply", 30, HOUR)
@_with_ticket
def ticket_reply(request, ticket, is_agent):
    data, files = _post_data(request)
    form_class = AgentReplyForm if is_agent else TicketReplyForm
    if data is None:
        form = form_class()
        form.add_error(
            None,
            _("Your message was too large to be received. Please send smaller files."),
        )
    else:
        form = form_class(data, files)
    if not is_agent and ticket.status == Ticket.Status.CLOSED:
        form.add_error(
            None,
            _("This ticket is closed. Please open a new ticket, your text is kept."),
        )
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data.get("kind") or TicketMessage.Kind.REQUESTER
        services.ticket_message_add(
            ticket=ticket,
            author=request.user,
            body=form.cleaned_data["body"],
            kind=kind,
            files=form.cleaned_data.get("attachments") or [],
            status=form.cleaned_data.get("status") or None,
        )
        if kind == TicketMessage.Kind.NOTE:
            messages.success(request, _("Internal note added."))
        elif is_agent:
            messages.success(request, _("Reply sent to the requester."))
        else:
            messages.success(request, _("Message sent. We will answer you by e-mail."))
        return redirect(ticket.get_absolute_url() + "#latest")
    return render(
        request,
        TEMPLATES + "detail.html",
        _detail_context(request, ticket, is_agent, reply_form=form),
        status=400,
    )


@require_POST
@_with_ticket
def ticket_update(request, ticket, is_agent):
    if not is_agent:
        return _not_found(request)
    form = TicketUpdateForm(request.POST, prefix="manage")
    if not form.is_valid():
        return render(
            request,
            TEMPLATES + "detail.html",
            _detail_context(request, ticket, is_agent, update_form=form),
            status=400,
        )
    services.ticket_update(
        ticket=ticket,
        status=form.cleaned_data["status"],
        priority=form.cleaned_data["priority"],
        assignee=form.cleaned_data["assignee"],
    )
    messages.success(request, _("Ticket updated."))
    return redirect(ticket.get_absolute_url())


@require_POST
@_with_ticket
def ticket_rate(request, ticket, is_agent):
    form = TicketRateForm(request.POST)
    if is_agent or not form.is_valid():
        return redirect(ticket.get_absolute_url())
    if services.ticket_rate(ticket=ticket, rating=form.cleaned_data["rating"]):
        messages.success(request, _("Thank you for your rating."))
    return redirect(ticket.get_absolute_url())


@require_GET
@_with_ticket
def ticket_attachment(request, ticket, is_agent, pk):
    attachment = ticket.attachments.select_related("message").filter(pk=pk).first()
    if attachment is None or (
        not is_agent and attachment.message and attachment.message.is_internal
    ):
        return _not_found(request)
    try:
        handle = attachment.file.open("rb")
    except OSError:
        return _not_found(request)
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Lists --------------------------------------------------------------------


@require_GET
def ticket_list(request):
    """The signed-in requester's own tickets."""
    if not request.user.is_authenticated:
        return redirect("support:ticket_access_request")
    return render(
        request,
        TEMPLATES + "list.html",
        {
            "tickets": selectors.tickets_for_requester(request.user),
            "is_agent": selectors.is_support_agent(request.user),
            "now": timezone.now(),
        },
    )


@require_GET
def ticket_queue(request):
    """The agents' queue, sorted by urgency."""
    if not selectors.is_support_agent(request.user):
        raise Http404
    form = TicketQueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    now = timezone.now()
    tickets = list(
        selectors.ticket_queue(
            status=filters.get("status", ""),
            assignee=filters.get("assignee", ""),
            overdue=filters.get("overdue", False),
            agent=request.user,
            now=now,
        )[:200]
    )
    for ticket in tickets:
        ticket.current_target = ticket.target(now)
    problem_count, problems = selectors.mail_problems()
    return render(
        request,
        TEMPLATES + "queue.html",
        {
            "form": form,
            "tickets": tickets,
            "mail_problem_count": problem_count,
            "mail_problems": problems,
            "now": now,
        },
    )


@response_floor
def ticket_access_request(request):
    """Ask for fresh links by e-mail. The answer is the same whether or not the
    address has tickets, and takes the same time (``response_floor``), so nobody
    learns who wrote to support."""
    if request.method == "POST":
        form = TicketAccessRequestForm(request.POST)
        if form.is_bot():
            return render(request, TEMPLATES + "access_sent.html")
        if form.is_valid():
            email = form.cleaned_data["email"]
            over = ratelimit_hit(
                "ticket-access", "ip:" + client_ip(request), 10, HOUR
            ) | ratelimit_hit("ticket-access", "email:" + email.lower(), 3, HOUR)
            if not over:
                services.ticket_access_links_send(email=email, language=_language())
            return render(request, TEMPLATES + "access_sent.html")
    else:
        form = TicketAccessRequestForm()
    return render(request, TEMPLATES + "access_request.html", {"form": form})
