"""Which responses deploy/nginx's micro-cache may keep, and for how long.

nginx stores a response only when the application says so with
``X-Accel-Expires`` (and never one that sets a cookie). Only anonymous GETs
without a query string or a pending flash message qualify: those pages are the
same bytes for every anonymous visitor (no CSRF token: see config/origin.py).
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

# Seconds nginx keeps an anonymous page: how late a published change may show.
PROXY_MAX_AGE = 60


def shareable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and not request.user.is_authenticated
        and not getattr(request, "is_preview", False)
        and not len(messages.get_messages(request))
    )


def used_visitor_token(request: HttpRequest) -> bool:
    """The render asked for this visitor's CSRF token (a form on the page):
    everyone would get the first visitor's token, so the page is not shared."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def proxy_cache_allow(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Let nginx keep this anonymous page for ``PROXY_MAX_AGE`` seconds.

    A template response is judged once rendered: only the render tells
    whether the page asked for a CSRF token.
    """

    def mark(rendered):
        if (
            rendered.status_code == 200
            and shareable_request(request)
            and not used_visitor_token(request)
        ):
            rendered["X-Accel-Expires"] = str(PROXY_MAX_AGE)

    if getattr(response, "is_rendered", True):
        mark(response)
    else:
        response.add_post_render_callback(mark)
    return response
