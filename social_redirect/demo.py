"""Demo mentions for `manage.py load_demo` (original content, FR + EN)."""

from datetime import timedelta

from django.utils import timezone

from social_redirect.models import Mention
from social_redirect.services.mentions import mention_create

# (minutes ago, handle, followers, text) about the imaginary "Entraide Telecom".
DEMO_MENTIONS = [
    (
        12,
        "lea_dupont",
        340,
        "@EntraideTelecom toujours pas d'internet depuis 3 jours, le voyant de la "
        "box clignote en rouge. C'est inadmissible !!! #fail",
    ),
    (
        48,
        "marc_b",
        5200,
        "@EntraideTelecom j'ai été débité deux fois pour ma facture de mars, je veux "
        "être remboursé 😡",
    ),
    (
        75,
        "sam_in_lyon",
        120,
        "@EntraideTelecom how do I change the wifi password on my box? The manual "
        "is useless",
    ),
    (
        95,
        "jo_hosting",
        2100,
        "@EntraideTelecom my website has been down for 2 hours and still no answer "
        "from support. Not impressed.",
    ),
    (
        180,
        "claire_m",
        60,
        "@EntraideTelecom merci, la fibre est enfin installée et tout marche bien !",
    ),
]


def load_demo_social(stdout=None):
    now = timezone.now()
    created = 0
    for number, (minutes, handle, followers, text) in enumerate(DEMO_MENTIONS, 1):
        _mention, was_created = mention_create(
            source=Mention.Source.MANUAL,
            text=text,
            external_id=f"demo-{number}",
            author_handle=handle,
            followers_count=followers,
            posted_at=now - timedelta(minutes=minutes),
        )
        created += was_created
    if stdout is not None:
        stdout.write(f"social: {created} demo mentions added")
    return created
