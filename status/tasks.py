"""Background work of the status app: subscriber mail, spike detection."""

from django_tasks import task

from status import services
from status.models import IncidentUpdate


@task()
def incident_update_notify(update_id):
    """Mail one incident update to its subscribers (see services)."""
    update = (
        IncidentUpdate.objects.filter(pk=update_id).select_related("incident").first()
    )
    if update is None:
        return 0
    return services.incident_update_mail(update=update)


@task()
def spikes_detect_task():
    """One detection run; a worker scheduler enqueues it every few minutes."""
    return len(services.spikes_detect())
