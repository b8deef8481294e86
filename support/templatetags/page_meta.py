"""Page metadata shared by every app's pages (Open Graph / canonical link).

It lives in support because support depends on no other feature app: kb,
social_redirect and support itself may all include ``support/includes/og_tags.html``.
"""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's absolute URL without its query (no ``?via=`` in shares)."""
    request = context.get("request")
    path = request.path if request is not None else "/"
    return settings.SITE_URL.rstrip("/") + path
