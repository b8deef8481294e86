"""The status block of the community-manager dashboard, kept in this app so the
dashboard template only gains one include line."""

from datetime import timedelta

from django import template
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language

from social_redirect.models import Mention
from status import selectors
from status.models import Incident
from status.services import incident_matching_mentions, spike_alert_url

register = template.Library()


@register.inclusion_tag("status/includes/dashboard_alerts.html")
def status_dashboard():
    lang = (get_language() or "fr")[:2]
    alerts = selectors.recent_spike_alerts()
    samples = dict(
        Mention.objects.filter(
            pk__in={pk for a in alerts for pk in a.mention_ids[:3]}
        ).values_list("pk", "text")
    )
    for alert in alerts:
        alert.samples = [samples[pk] for pk in alert.mention_ids[:3] if pk in samples]
        alert.incident_url = spike_alert_url(alert, lang)
        alert.ratio = alert.count / alert.expected if alert.expected else None
    incidents = selectors.open_incidents()
    for incident in incidents:
        incident.matching = incident_matching_mentions(incident=incident)
        incident.answered = incident.mentions.count()
    # Resolved in the last two days with answered mentions: follow-ups are due.
    followups = list(
        Incident.objects.filter(resolved_at__gte=timezone.now() - timedelta(days=2))
        .annotate(answered=Count("mentions"))
        .filter(answered__gt=0)
    )
    return {"alerts": alerts, "open_incidents": incidents, "followups": followups}
