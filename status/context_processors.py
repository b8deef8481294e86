from django.core.cache import cache
from django.db import DatabaseError
from django.urls import reverse
from django.utils.translation import get_language

from status.selectors import BANNER_CACHE_KEY, open_incident_ids

CACHE_SECONDS = 30


def open_incidents(request):
    """``status_banner``: one entry (id, title, url, kind) per open incident."""
    rows = cache.get(BANNER_CACHE_KEY)
    if rows is None:
        try:
            rows = open_incident_ids()
        except DatabaseError:
            # The banner is an extra: a page must render without it.
            rows = []
        # Every page renders the banner: one small query, cached briefly and
        # dropped whenever an incident changes (status.services).
        cache.set(BANNER_CACHE_KEY, rows, CACHE_SECONDS)
    if not rows:
        return {"status_banner": []}
    lang = (get_language() or "fr")[:2]
    banner = []
    for pk, title_fr, title_en, kind in rows:
        title = (title_en or title_fr) if lang == "en" else (title_fr or title_en)
        banner.append(
            {
                "id": pk,
                "title": title,
                "kind": kind,
                "url": reverse("status:incident", args=[pk]),
            }
        )
    return {"status_banner": banner}
