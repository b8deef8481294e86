"""Answers that must not tell whether someone has an account (or wrote to
support) leave no sooner than a fixed delay, whichever way they went.

The two ways do different work (a mail is prepared, queued and, with the
immediate task backend, sent — or nothing at all), so equal work alone cannot
hide the difference; a floor above the slow way's usual time does.
"""

import functools
import time

from django.conf import settings


def response_floor(view):
    """Decorator: answer a POST ``settings.ENUMERATION_FLOOR_MS`` after it began."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        start = time.monotonic()
        response = view(request, *args, **kwargs)
        remaining = settings.ENUMERATION_FLOOR_MS / 1000 - (time.monotonic() - start)
        if remaining > 0:
            time.sleep(remaining)
        return response

    return wrapped
