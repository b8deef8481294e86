"""How much the site's own use relies on each article: the only prior.

Counted from what happens on this site, never from the articles' text:
short links people clicked, answers they found helpful on the landing
banner, and targets community managers kept when they replied. Read at most
once a minute (shared cache).
"""

import math

from django.core.cache import cache
from django.db.models import Count, Q

from social_redirect.models import Mention, RedirectLink

TTL_SECONDS = 60
# Uses at which an article gets the whole prior.
SATURATION = 50
_KEY = "triage:popularity"


def _read() -> dict[str, float]:
    counts: dict[str, int] = {}
    links = (
        RedirectLink.objects.exclude(kind=RedirectLink.Kind.TICKET)
        .values("target_path")
        .annotate(
            clicked=Count("pk", filter=Q(clicks__gt=0)),
            helpful=Count("pk", filter=Q(helpful=True)),
        )
    )
    for row in links:
        counts[row["target_path"]] = row["clicked"] + row["helpful"]
    chosen = (
        Mention.objects.filter(acted_at__isnull=False)
        .exclude(status=Mention.Status.IGNORED)
        .exclude(target_url="")
        .values("target_url")
        .annotate(n=Count("pk"))
    )
    for row in chosen:
        counts[row["target_url"]] = counts.get(row["target_url"], 0) + row["n"]
    scale = math.log1p(SATURATION)
    return {url: min(1.0, math.log1p(n) / scale) for url, n in counts.items() if n}


def popularity(lang: str | None = None) -> dict[str, float]:
    """``{article url: 0..1}`` (URLs carry the language already)."""
    return cache.get_or_set(_KEY, _read, TTL_SECONDS)
