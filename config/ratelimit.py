"""A small fixed-window rate limiter on the Django cache.

Used by every write path (edits, votes, posts, tickets). A refused request gets
a 429 page that says why and when to retry, never a bare error.
"""

import functools
import time

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request):
    # Behind the proxy the first X-Forwarded-For hop is the client; the
    # proxy overwrites the header, so a client cannot forge its own entry.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def ratelimit_hit(scope, key, limit, period):
    """Count one hit; return True when the caller is over ``limit`` per ``period`` s."""
    window = int(time.time() // period)
    cache_key = f"rl:{scope}:{key}:{window}"
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.add(cache_key, 0, period + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:
            count = 1
    return count > limit


def ratelimit_over(request, scope, limit, period, *, ip_when_signed_in=True):
    """Count one hit for this request; True when its user or its IP is over.

    ``ip_when_signed_in=False`` keys signed-in people on their account only, so
    colleagues behind one office address do not share a limit.
    """
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    over = False
    if ip_when_signed_in or not signed_in:
        over |= ratelimit_hit(scope, "ip:" + client_ip(request), limit, period)
    if signed_in:
        over |= ratelimit_hit(scope, f"user:{user.pk}", limit, period)
    return over


def form_rate_limited(
    request, form, *, scope, limit, period, message=None, ip_when_signed_in=True
):
    """The one way a write form meets its rate limit (as the ticket form does).

    Counts one valid submission; when over the limit, adds a clear error to
    ``form`` and returns True: the view then shows the form again with
    everything that was typed, through ``rate_limited_response``.
    """
    if not ratelimit_over(
        request, scope, limit, period, ip_when_signed_in=ip_when_signed_in
    ):
        return False
    form.add_error(
        None,
        [
            message
            or _("You are going too fast. Please wait a few minutes and try again."),
            _("Nothing you typed is lost: it is kept below, ready to send again."),
        ],
    )
    return True


def rate_limited_response(response, retry_after):
    """Mark the re-rendered form page as a 429 with its Retry-After."""
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    return response


def too_many_requests(request, retry_after=60, message=None):
    response = render(
        request,
        "429.html",
        {
            "message": message
            or _("You are going too fast. Please wait a minute and try again."),
            "retry_after": retry_after,
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(scope, limit, period, methods=("POST",), per_user=True, per_ip=True):
    """Decorator: refuse with 429 once the user or the IP is over the limit."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                over = False
                if per_ip and ratelimit_hit(
                    scope, "ip:" + client_ip(request), limit, period
                ):
                    over = True
                user = getattr(request, "user", None)
                if per_user and user is not None and user.is_authenticated:
                    if ratelimit_hit(scope, f"user:{user.pk}", limit, period):
                        over = True
                if over:
                    return too_many_requests(request, retry_after=period)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
