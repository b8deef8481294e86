"""A small fixed-window rate limiter on the Django cache.

Used by every write path (edits, votes, posts, tickets). A refused request gets
a 429 page that says why and when to retry, never a bare error.

Counters live in the default cache: with the local-memory cache each worker
process counts on its own, so N workers allow N times every limit. Production
with more than one web worker needs REDIS_URL (README, "Production").
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request):
    """The address of the client, as far as our own proxies vouch for it.

    Proxies *append* the address they received the request from to
    X-Forwarded-For, so only the last ``TRUSTED_PROXY_COUNT`` entries were
    written by machines we run; everything to their left is whatever the
    client sent. The client is therefore the Nth entry from the right, and
    with no trusted proxy (the default) the header is ignored altogether.
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if trusted <= 0:
        return remote
    hops = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    if len(hops) < trusted:
        # Fewer entries than proxies: a request that bypassed part of the
        # chain; the peer address is the only thing we know for sure.
        return remote
    return hops[-trusted]


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
    # A cache that is down (Redis with IGNORE_EXCEPTIONS) answers None: let
    # the request through rather than fail it.
    return count is not None and count > limit


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


def too_many_requests(
    request, retry_after=60, message=None, *, text_kept=False, as_json=False
):
    """The 429 answer. ``text_kept`` only when the caller shows the form again
    with what was typed: the page must not promise what it does not do."""
    message = message or _(
        "You are going too fast. Please wait a minute and try again."
    )
    if as_json:
        response = JsonResponse(
            {"error": message, "retry_after": retry_after}, status=429
        )
    else:
        response = render(
            request,
            "429.html",
            {"message": message, "retry_after": retry_after, "text_kept": text_kept},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(
    scope,
    limit,
    period,
    methods=("POST",),
    per_user=True,
    per_ip=True,
    as_json=False,
):
    """Decorator: refuse with 429 once the user or the IP is over the limit.

    ``limit`` may be a callable read at each request (a setting); 0 turns the
    limit off. ``as_json`` answers machines with ``{"error", "retry_after"}``.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            allowed = limit() if callable(limit) else limit
            if request.method in methods and allowed:
                over = False
                if per_ip and ratelimit_hit(
                    scope, "ip:" + client_ip(request), allowed, period
                ):
                    over = True
                user = getattr(request, "user", None)
                if (
                    per_user
                    and user is not None
                    and user.is_authenticated
                    and ratelimit_hit(scope, f"user:{user.pk}", allowed, period)
                ):
                    over = True
                if over:
                    return too_many_requests(
                        request, retry_after=period, as_json=as_json
                    )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
