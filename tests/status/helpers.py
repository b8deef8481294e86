from datetime import timedelta

from django.utils import timezone

from status.demo import load_demo_status
from status.models import Component
from status.services import incident_create


class _Quiet:
    def write(self, *_args, **_kwargs):
        pass


def demo_components():
    load_demo_status(_Quiet())
    return {c.slug: c for c in Component.objects.all()}


def open_incident(
    *,
    author=None,
    title_fr="Panne internet à Lyon",
    title_en="",
    message_fr="Nous enquêtons.",
    message_en="",
    states=None,
    **kwargs,
):
    components = demo_components()
    return incident_create(
        author=author,
        kind=kwargs.pop("kind", "incident"),
        title_fr=title_fr,
        title_en=title_en,
        status=kwargs.pop("status", "investigating"),
        started_at=kwargs.pop("started_at", timezone.now() - timedelta(minutes=5)),
        states=states or {components["internet"]: "major_outage"},
        message_fr=message_fr,
        message_en=message_en,
        **kwargs,
    )
