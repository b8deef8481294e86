from urllib.parse import urlsplit

from django import template

from social_redirect.services import links as link_services
from social_redirect.triage.signals import SIGNAL_LABELS

register = template.Library()


@register.simple_tag(takes_context=True)
def landing_link(context):
    """The redirect link a visitor arrived with on this page, or None.

    Only a live code whose target is this very page counts, so a `?via=`
    copied onto another URL shows nothing; the first human view is recorded
    as "read" in the link's funnel.
    """
    request = context.get("request")
    if request is None:
        return None
    code = request.GET.get("via", "")
    if not code:
        return None
    link = link_services.link_for_code(code)
    if link is None or link.is_expired():
        return None
    if urlsplit(link.target_path).path != request.path:
        return None
    if not link_services.is_bot(request.META.get("HTTP_USER_AGENT", "")):
        link_services.link_mark_read(link)
    return link


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's absolute URL without its query (no ``?via=`` in shares)."""
    from django.conf import settings

    request = context.get("request")
    path = request.path if request is not None else "/"
    return settings.SITE_URL.rstrip("/") + path


@register.filter
def signal_labels(names):
    """Private-signal codes as words in the reader's language."""
    return [str(SIGNAL_LABELS.get(name, name)) for name in names or []]
