"""Status page, incident pages and forms, subscriptions, JSON API."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from accounts import roles
from config.ratelimit import ratelimit
from social_redirect.models import Mention
from status import selectors, services
from status.digest import digest as digest_context
from status.forms import IncidentForm, SubscribeForm
from status.models import Incident, SpikeAlert, State
from status.selectors import site_url


def can_manage(user):
    return roles.user_in(user, roles.COMMUNITY_MANAGERS, roles.STAFF)


def _managers_only(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_manage(request.user):
            raise PermissionDenied(
                _("Incidents are managed by staff and community managers.")
            )
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_safe
def status_page(request):
    now = timezone.now()
    incidents = selectors.open_incidents(now)
    components = selectors.components_with_state(incidents)
    past = selectors.past_incidents(now)
    return render(
        request,
        "status/status.html",
        {
            "components": components,
            "overall": State(selectors.overall_state(components)),
            "open_incidents": incidents,
            "planned": selectors.planned_maintenance(now),
            "past_incidents": past,
            "history": selectors.history_days(incidents + past, now),
            "form": SubscribeForm(),
            "can_manage": can_manage(request.user),
        },
    )


@require_safe
def incident_detail(request, pk):
    incident = selectors.incident_detail(pk)
    if incident is None:
        raise Http404(_("No such incident."))
    return render(
        request,
        "status/incident.html",
        {"incident": incident, "can_manage": can_manage(request.user)},
    )


def _initial_from_alert(request):
    alert = SpikeAlert.objects.filter(pk=request.GET.get("alert") or 0).first()
    initial = {
        "kind": Incident.Kind.INCIDENT,
        "status": Incident.Status.INVESTIGATING,
        "started_at": timezone.localtime().replace(second=0, microsecond=0),
    }
    if alert is None:
        return initial, None
    topic = alert.topic.split(":", 1)[-1].strip("/")
    if alert.component_id:
        with translation.override("fr"):
            initial["title_fr"] = f"Perturbation : {alert.component.name_fr}"
        initial["title_en"] = f"Disruption: {alert.component.name_en}"
        initial[f"state_{alert.component.slug}"] = State.PARTIAL_OUTAGE
    else:
        initial["title_fr"] = f"Hausse des signalements : {topic}"
        initial["title_en"] = f"More reports than usual: {topic}"
    samples = list(
        Mention.objects.filter(pk__in=alert.mention_ids[:5]).values_list(
            "text", flat=True
        )
    )
    initial["started_at"] = timezone.localtime(alert.window_end).replace(
        second=0, microsecond=0
    ) - timedelta(minutes=alert.window_minutes)
    initial["message_fr"] = (
        "Nous constatons une hausse des signalements et nous enquêtons.\n\n"
        + "\n".join(f"« {s[:200]} »" for s in samples)
    )
    initial["message_en"] = (
        "We see more reports than usual and are investigating.\n\n"
        + "\n".join(f"“{s[:200]}”" for s in samples)
    )
    return initial, alert


@never_cache
@_managers_only
@require_http_methods(["GET", "POST"])
def incident_create(request):
    initial, alert = _initial_from_alert(request)
    form = IncidentForm(request.POST or None, initial=initial, creating=True)
    if request.method == "POST" and form.is_valid():
        incident = services.incident_create(
            author=request.user, alert=alert, **form.service_kwargs()
        )
        messages.success(request, _("Incident published."))
        return redirect(incident.get_absolute_url())
    return render(
        request,
        "status/incident_form.html",
        {"form": form, "alert": alert, "incident": None},
    )


@never_cache
@_managers_only
@require_http_methods(["GET", "POST"])
def incident_edit(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    initial = {
        "kind": incident.kind,
        "title_fr": incident.title_fr,
        "title_en": incident.title_en,
        "status": incident.status,
        "started_at": timezone.localtime(incident.started_at),
        "scheduled_end": incident.scheduled_end
        and timezone.localtime(incident.scheduled_end),
        "resolved_at": incident.resolved_at
        and timezone.localtime(incident.resolved_at),
        "postmortem_fr": incident.postmortem_fr,
        "postmortem_en": incident.postmortem_en,
        "kb_article": incident.kb_article_id,
    }
    for affected in incident.affected.select_related("component"):
        initial[f"state_{affected.component.slug}"] = affected.state
    form = IncidentForm(request.POST or None, initial=initial, creating=False)
    if request.method == "POST" and form.is_valid():
        update = services.incident_change(
            incident=incident, author=request.user, **form.service_kwargs()
        )
        if update is not None:
            messages.success(request, _("Update published."))
        else:
            messages.success(request, _("Incident saved."))
        return redirect(incident.get_absolute_url())
    return render(
        request,
        "status/incident_form.html",
        {"form": form, "incident": incident, "alert": None},
    )


@require_http_methods(["GET", "POST"])
@ratelimit("status-subscribe", 10, 3600)
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.subscriber_subscribe(
            email=form.cleaned_data["email"],
            language=(translation.get_language() or "fr")[:2],
            components=list(form.cleaned_data["components"]),
        )
        return render(
            request,
            "status/subscribe_sent.html",
            {"email": form.cleaned_data["email"]},
        )
    return render(request, "status/subscribe.html", {"form": form})


@require_safe
def confirm(request, token):
    subscriber = services.subscriber_confirm(token=token)
    return render(
        request,
        "status/subscription_result.html",
        {"confirmed": subscriber is not None, "action": "confirm"},
        status=200 if subscriber else 400,
    )


# Mail clients post here without a page or a cookie (RFC 8058 one-click).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    done = services.subscriber_unsubscribe(token=token)
    return render(
        request,
        "status/subscription_result.html",
        {"unsubscribed": done, "action": "unsubscribe"},
        status=200 if done else 400,
    )


def _incident_json(incident, lang):
    title, _title_lang = incident.title_in(lang)
    with translation.override(lang):
        url = site_url(reverse("status:incident", args=[incident.pk]))
    return {
        "id": incident.pk,
        "kind": incident.kind,
        "title": title,
        "title_fr": incident.title_fr,
        "title_en": incident.title_en,
        "status": incident.status,
        "started_at": incident.started_at.isoformat(),
        "resolved_at": incident.resolved_at.isoformat()
        if incident.resolved_at
        else None,
        "url": url,
        "components": [
            {"id": a.component.slug, "state": a.state} for a in incident.affected.all()
        ],
        "updates": [
            {
                "status": u.status,
                "at": u.created_at.isoformat(),
                "body_fr": u.body_fr,
                "body_en": u.body_en,
            }
            for u in incident.updates.all()
        ],
    }


@require_safe
def api_status(request):
    lang = request.GET.get("lang", "fr")
    lang = lang if lang in ("fr", "en") else "fr"
    now = timezone.now()
    incidents = selectors.open_incidents(now)
    components = selectors.components_with_state(incidents)
    with translation.override(lang):
        page = site_url(reverse("status:status"))
    response = JsonResponse(
        {
            "status": selectors.overall_state(components),
            "page": page,
            "updated_at": now.isoformat(),
            "components": [
                {
                    "id": c.slug,
                    "name": c.name_en if lang == "en" else c.name_fr,
                    "state": c.state,
                }
                for c in components
            ],
            "incidents": [_incident_json(i, lang) for i in incidents],
            "planned_maintenance": [
                _incident_json(i, lang) for i in selectors.planned_maintenance(now)
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=30"
    return response


@never_cache
@_managers_only
@require_safe
def digest(request):
    """The escalation digest for internal teams: the last 24 hours and 7 days."""
    return render(request, "status/digest.html", digest_context())


def _reply_rows(incident, rows):
    return [
        {
            "mention": row.mention,
            "short_url": services.short_url(row.link) if row.link else "",
            "draft": services.incident_reply_draft(
                incident=incident, mention=row.mention, link=row.link
            ),
        }
        for row in rows
    ]


@never_cache
@_managers_only
@require_http_methods(["POST"])
def incident_acknowledge(request, pk):
    """Answer the whole group of mentions matching an open incident at once."""
    incident = get_object_or_404(Incident, pk=pk)
    if incident.resolved_at:
        messages.error(request, _("This incident is resolved: nothing to acknowledge."))
        return redirect("status:incident_replies", pk=incident.pk)
    rows = services.incident_mentions_acknowledge(incident=incident, user=request.user)
    messages.success(
        request,
        _("%(count)d mentions acknowledged: post each reply below.")
        % {"count": len(rows)},
    )
    return redirect("status:incident_replies", pk=incident.pk)


@never_cache
@_managers_only
@require_safe
def incident_replies(request, pk):
    """The group's replies: acknowledgements while open, follow-ups once resolved."""
    incident = get_object_or_404(Incident, pk=pk)
    rows = incident.mentions.select_related("mention", "link")
    return render(
        request,
        "status/incident_replies.html",
        {
            "incident": incident,
            "replies": _reply_rows(incident, rows),
            "waiting": []
            if incident.resolved_at
            else services.incident_matching_mentions(incident=incident),
        },
    )
