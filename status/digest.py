"""Reads and charts of the escalation digest (/<lang>/social/digest/).

Charts are server-rendered SVG (pygal) shown as ``<img>`` data URLs: pygal
embeds a script and styles in its SVG, which an image never runs, so the page
stays within the content security policy. Every chart has a table beside it.
"""

import base64
from collections import Counter, defaultdict
from datetime import timedelta

import pygal
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from pygal.style import Style

from kb.models import ArticleFeedback
from search.selectors import search_insights
from social_redirect.models import Mention, RedirectLink
from status import spikes
from status.models import Component, Incident

DAYS = 7
WEEKS = 4
_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#4a5561",
    colors=("#0b5cad", "#b3470b", "#1a6b35", "#8a6100", "#a4161a"),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=12,
)


def _svg(chart):
    chart.config.js = []
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _chart(kind, **options):
    return kind(
        style=_STYLE,
        width=640,
        height=320,
        legend_at_bottom=True,
        disable_xml_declaration=True,
        **options,
    )


def hourly(now):
    """Mentions per hour over the last 24 hours against the usual level: the
    mean of the same hour in the previous four weeks."""
    start = (now - timedelta(hours=23)).replace(minute=0, second=0, microsecond=0)
    history_start = start - timedelta(weeks=WEEKS)
    times = Mention.objects.filter(posted_at__gte=history_start).values_list(
        "posted_at", flat=True
    )
    counts = Counter(t.replace(minute=0, second=0, microsecond=0) for t in times)
    rows = []
    for offset in range(24):
        hour = start + timedelta(hours=offset)
        usual = [counts.get(hour - timedelta(weeks=w), 0) for w in range(1, WEEKS + 1)]
        rows.append(
            {
                "hour": timezone.localtime(hour),
                "count": counts.get(hour, 0),
                "usual": sum(usual) / WEEKS,
            }
        )
    chart = _chart(pygal.Line, x_label_rotation=0, show_minor_x_labels=False)
    chart.x_labels = [r["hour"].strftime("%H h") for r in rows]
    chart.x_labels_major = chart.x_labels[::3]
    chart.add(_("Mentions"), [r["count"] for r in rows])
    chart.add(_("Usual level"), [round(r["usual"], 1) for r in rows])
    return rows, _svg(chart)


def daily(now):
    """Volume, unhappy share and share acknowledged within the hour, per day."""
    today = timezone.localtime(now).date()
    rows = []
    for offset in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=offset)
        mentions = Mention.objects.filter(posted_at__date=day)
        figures = mentions.aggregate(
            total=Count("id"),
            unhappy=Count("id", filter=Q(unhappiness__gte=spikes.UNHAPPY_THRESHOLD)),
            quick=Count("id", filter=Q(response_seconds__lte=3600)),
        )
        total = figures["total"]
        rows.append(
            {
                "day": day,
                "total": total,
                "unhappy": figures["unhappy"],
                "unhappy_share": figures["unhappy"] / total if total else None,
                "quick_share": figures["quick"] / total if total else None,
            }
        )
    chart = _chart(pygal.Bar)
    chart.x_labels = [r["day"].strftime("%d/%m") for r in rows]
    chart.add(_("Mentions"), [r["total"] for r in rows])
    chart.add(_("Unhappy"), [r["unhappy"] for r in rows])
    return rows, _svg(chart)


def acknowledgement(since):
    """How long mentions waited for a first answer, in buckets."""
    buckets = [
        (15 * 60, _("under 15 min")),
        (3600, _("15 min to 1 h")),
        (4 * 3600, _("1 to 4 h")),
        (24 * 3600, _("4 to 24 h")),
        (None, _("more than a day")),
    ]
    seconds = Mention.objects.filter(
        posted_at__gte=since, response_seconds__isnull=False
    ).values_list("response_seconds", flat=True)
    counts = Counter()
    for value in seconds:
        for limit, label in buckets:
            if limit is None or value <= limit:
                counts[label] += 1
                break
    rows = [{"label": label, "count": counts[label]} for _limit, label in buckets]
    chart = _chart(pygal.Bar, show_legend=False)
    chart.x_labels = [r["label"] for r in rows]
    chart.add(_("Mentions"), [r["count"] for r in rows])
    return rows, _svg(chart)


def funnel(since):
    """Short links: sent, clicked, read, helpful, ticket opened."""
    links = RedirectLink.objects.filter(created_at__gte=since).aggregate(
        sent=Count("id"),
        clicked=Count("id", filter=Q(clicks__gt=0)),
        read=Count("id", filter=Q(read_at__isnull=False)),
        helpful=Count("id", filter=Q(helpful=True)),
        ticket=Count("id", filter=Q(ticket_opened_at__isnull=False)),
    )
    rows = [
        {"label": _("Links sent"), "count": links["sent"]},
        {"label": _("Clicked"), "count": links["clicked"]},
        {"label": _("Read"), "count": links["read"]},
        {"label": _("Helpful"), "count": links["helpful"]},
        {"label": _("Ticket opened"), "count": links["ticket"]},
    ]
    chart = _chart(pygal.HorizontalBar, show_legend=False)
    chart.x_labels = [r["label"] for r in rows]
    chart.add(_("Links"), [r["count"] for r in rows])
    return rows, _svg(chart)


def top_topics(since, limit=5):
    """The components and article categories most talked about, with examples."""
    components = {c.slug: c.keyword_list() for c in Component.objects.all()}
    names = {c.slug: c.name for c in Component.objects.all()}
    counts, examples = Counter(), defaultdict(list)
    mentions = Mention.objects.filter(posted_at__gte=since).only(
        "pk", "text", "lang", "target_url", "unhappiness"
    )
    for mention in mentions.iterator():
        for topic in spikes.topics_for(
            mention.text,
            mention.lang or "fr",
            target_url=mention.target_url,
            components=components,
        ):
            if topic.startswith(("component:", "category:")):
                counts[topic] += 1
                if len(examples[topic]) < 2:
                    examples[topic].append(mention.text)
    rows = []
    for topic, count in counts.most_common(limit):
        kind, key = topic.split(":", 1)
        label = names.get(key, key) if kind == "component" else key
        rows.append({"topic": label, "count": count, "examples": examples[topic]})
    return rows


def kb_gaps(since, limit=10):
    """Mentions that got no good article (no private reason either)."""
    return list(
        Mention.objects.filter(posted_at__gte=since, triaged_at__isnull=False)
        .exclude(target_kind__in=("article", "topic"))
        .filter(private_signals=[])
        .order_by("-posted_at")[:limit]
    )


def unhelpful_articles(since, limit=10):
    return list(
        ArticleFeedback.objects.filter(created_at__gte=since, helpful=False)
        .values("page__title", "page__url_path")
        .annotate(votes=Count("id"))
        .order_by("-votes", "page__title")[:limit]
    )


def digest(now=None):
    now = now or timezone.now()
    since = now - timedelta(hours=24)
    week = now - timedelta(days=DAYS)
    hours, hours_svg = hourly(now)
    days, days_svg = daily(now)
    ack, ack_svg = acknowledgement(week)
    links, links_svg = funnel(week)
    return {
        "now": now,
        "hours": hours,
        "hours_svg": hours_svg,
        "days": days,
        "days_svg": days_svg,
        "ack": ack,
        "ack_svg": ack_svg,
        "links": links,
        "links_svg": links_svg,
        "topics": top_topics(since),
        "incidents": list(
            Incident.objects.filter(
                Q(started_at__gte=week) | Q(resolved_at__isnull=True)
            ).order_by("-started_at")
        ),
        "gaps": kb_gaps(week),
        "zero_searches": search_insights(days=DAYS, limit=10)["zero_results"],
        "unhelpful": unhelpful_articles(week),
    }
