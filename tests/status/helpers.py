from datetime import timedelta

from django.utils import timezone

from status.demo import DEMO_COMPONENTS
from status.models import Component
from status.services import incident_create


def demo_components():
    """The five demo components (no demo incident)."""
    for position, (slug, name_fr, name_en, keywords) in enumerate(DEMO_COMPONENTS):
        Component.objects.get_or_create(
            slug=slug,
            defaults={
                "name_fr": name_fr,
                "name_en": name_en,
                "keywords": keywords,
                "position": position,
            },
        )
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
