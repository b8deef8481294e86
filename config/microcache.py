"""Which responses deploy/nginx may share between anonymous visitors, and until when.

nginx stores a response only when the application says so with
``X-Accel-Expires`` (and never one that sets a cookie). Only anonymous GETs
without a query string or a pending flash message qualify: those pages are the
same bytes for every anonymous visitor (no CSRF token: see config/origin.py).

A shared page lives until the end of the current ten-second window of the
clock: the micro-cache entry expires then, and so does the page file that
config/pagefiles.py may write for the same window. A published change, an
incident banner or a withdrawn article shows within ten seconds.
"""

import time

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

# nginx names the window by dropping the last digit of its clock ($msec, in
# deploy/nginx/entraide-maps.conf): the window length must stay 10 s.
WINDOW_SECONDS = 10


def page_window(now: float | None = None) -> int:
    """The number of the ten-second window ``now`` falls in."""
    return int(time.time() if now is None else now) // WINDOW_SECONDS


def proxy_expires(now: float | None = None) -> str:
    """``X-Accel-Expires`` for a shared page: the end of its window (epoch).

    nginx still counts an entry fresh during the second it expires at; one
    second earlier, the first request of the next window reaches the
    application, which writes that window's page file at once.
    """
    return f"@{(page_window(now) + 1) * WINDOW_SECONDS - 1}"


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
    """Let nginx share this anonymous page until the end of the window.

    A template response is judged once rendered: only the render tells
    whether the page asked for a CSRF token.
    """

    def mark(rendered):
        if (
            rendered.status_code == 200
            and shareable_request(request)
            and not used_visitor_token(request)
        ):
            rendered["X-Accel-Expires"] = proxy_expires()

    if getattr(response, "is_rendered", True):
        mark(response)
    else:
        response.add_post_render_callback(mark)
    return response
