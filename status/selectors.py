"""Reads of the status page: component states, open and past incidents."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from status.models import (
    STATE_RANK,
    Component,
    Incident,
    IncidentComponent,
    IncidentUpdate,
    SpikeAlert,
    State,
)

HISTORY_DAYS = 90
# Versioned: the cached rows change shape with the code.
BANNER_CACHE_KEY = "status:open-incidents:v2"


def _with_details(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "affected",
            queryset=IncidentComponent.objects.select_related("component").order_by(
                "component__position"
            ),
        ),
        Prefetch("updates", queryset=IncidentUpdate.objects.order_by("-created_at")),
    ).select_related("kb_article")


def open_incidents(now=None):
    """Incidents and maintenance under way, newest first."""
    now = now or timezone.now()
    return list(
        _with_details(
            Incident.objects.filter(resolved_at__isnull=True, started_at__lte=now)
        ).order_by("-started_at")
    )


def open_incident_ids(now=None):
    now = now or timezone.now()
    return list(
        Incident.objects.filter(
            resolved_at__isnull=True, started_at__lte=now
        ).values_list("pk", "title_fr", "title_en", "kind")
    )


def planned_maintenance(now=None):
    now = now or timezone.now()
    return list(
        _with_details(
            Incident.objects.filter(
                kind=Incident.Kind.MAINTENANCE,
                resolved_at__isnull=True,
                started_at__gt=now,
            )
        ).order_by("started_at")
    )


def past_incidents(now=None, days=HISTORY_DAYS):
    """Resolved incidents of the last ``days`` days, newest first."""
    now = now or timezone.now()
    return list(
        _with_details(
            Incident.objects.filter(
                resolved_at__isnull=False, started_at__gte=now - timedelta(days=days)
            )
        ).order_by("-started_at")
    )


def components_with_state(incidents):
    """Every component with its current state: the worst state any open
    incident gives it, else operational."""
    worst = {}
    for incident in incidents:
        for affected in incident.affected.all():
            current = worst.get(affected.component_id)
            if current is None or STATE_RANK[affected.state] > STATE_RANK[current]:
                worst[affected.component_id] = affected.state
    components = list(Component.objects.all())
    for component in components:
        component.state = worst.get(component.pk, State.OPERATIONAL)
        component.state_label = State(component.state).label
    return components


def overall_state(components):
    if not components:
        return State.OPERATIONAL
    return max((c.state for c in components), key=STATE_RANK.__getitem__)


def history_days(incidents, now=None, days=HISTORY_DAYS):
    """One entry per day (newest first) with that day's incidents: the 90-day bar."""
    now = timezone.localtime(now or timezone.now())
    by_day = {}
    for incident in incidents:
        start = timezone.localtime(incident.started_at).date()
        end = timezone.localtime(incident.resolved_at or now).date()
        day = start
        while day <= end:
            by_day.setdefault(day, []).append(incident)
            day += timedelta(days=1)
    today = now.date()
    out = []
    for offset in range(days):
        day = today - timedelta(days=offset)
        worst = State.OPERATIONAL
        for incident in by_day.get(day, []):
            for affected in incident.affected.all():
                if STATE_RANK[affected.state] > STATE_RANK[worst]:
                    worst = affected.state
        out.append({"day": day, "state": worst, "incidents": by_day.get(day, [])})
    return out


def incident_detail(pk):
    return _with_details(Incident.objects.filter(pk=pk)).first()


def recent_spike_alerts(hours=24):
    since = timezone.now() - timedelta(hours=hours)
    return list(
        SpikeAlert.objects.filter(Q(created_at__gte=since) | Q(updated_at__gte=since))
        .select_related("component", "incident")
        .order_by("-created_at")[:20]
    )


def site_url(path):
    return settings.SITE_URL + path
