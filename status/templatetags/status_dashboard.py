"""The status block of the community-manager dashboard, kept in this app so the
dashboard template only gains one include line."""

from django import template
from django.utils.translation import get_language

from social_redirect.models import Mention
from status import selectors
from status.services import spike_alert_url

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
    return {"alerts": alerts, "open_incidents": selectors.open_incidents()}
