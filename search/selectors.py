"""Reads for the search analytics page."""

from datetime import timedelta
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from search.models import QueryLog, SearchDocument, SynonymGroup


def query_logs(days: int) -> QuerySet[QueryLog]:
    since = timezone.now() - timedelta(days=days)
    return QueryLog.objects.filter(created_at__gte=since)


def search_insights(days: int = 30, limit: int = 20) -> dict[str, Any]:
    """Top queries, zero-result queries (content gaps) and click-through rate."""
    logs = query_logs(days)
    totals = logs.aggregate(
        searches=Count("id"),
        clicked=Count("id", filter=Q(clicked_at__isnull=False)),
        zero=Count("id", filter=Q(result_count=0)),
    )
    searches = totals["searches"] or 0
    top = (
        logs.exclude(normalized="")
        .values("normalized")
        .annotate(
            searches=Count("id"),
            clicks=Count("id", filter=Q(clicked_at__isnull=False)),
            results=Avg("result_count"),
        )
        .order_by("-searches", "normalized")[:limit]
    )
    zero = (
        logs.filter(result_count=0)
        .exclude(normalized="")
        .values("normalized", "lang")
        .annotate(searches=Count("id"))
        .order_by("-searches", "normalized")[:limit]
    )
    return {
        "days": days,
        "searches": searches,
        "clicked": totals["clicked"],
        "zero": totals["zero"],
        "ctr": (totals["clicked"] / searches) if searches else None,
        "zero_rate": (totals["zero"] / searches) if searches else None,
        "top": [
            {**row, "ctr": row["clicks"] / row["searches"] if row["searches"] else 0}
            for row in top
        ],
        "zero_results": list(zero),
        "documents": SearchDocument.objects.count(),
        "synonym_groups": SynonymGroup.objects.filter(active=True).count(),
    }
