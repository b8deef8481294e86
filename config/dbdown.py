"""When the database does not answer: a 503 that says so, never a 500.

``config.postgresql`` already waits up to ``DATABASE_CONNECT_RETRY_SECONDS``
for a restarting PostgreSQL; past that, or when a connection dies in the middle
of a request, the visitor gets this page with ``Retry-After`` (nginx serves its
stale copy of cached pages meanwhile). A form that was being sent is not saved:
the page says so and gives back what was typed, so nothing is silently lost.

A page read (GET/HEAD) whose connection was cut by the restart is run once
more on a new connection first: reading twice is harmless, and the visitor
gets the page instead of the 503.

Two hooks, one answer: ``DatabaseUnavailableMiddleware`` for views, and
``config.views.server_error`` for a failure in a middleware.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from config.origin import same_origin_request

logger = logging.getLogger(__name__)

RETRY_AFTER = 10
# What a person may have typed and not want to type again; never secrets.
_SECRET_WORDS = ("password", "token", "secret", "csrf")
_MAX_FIELD = 20_000


def database_unreachable(exc: BaseException | None) -> bool:
    """Lost or refused connections, a database starting up or shutting down
    (DB-API OperationalError/InterfaceError): worth trying again shortly."""
    return isinstance(exc, OperationalError | InterfaceError)


def _typed_text(request: HttpRequest) -> list[tuple[str, str]]:
    """The free text of the POST that failed, to hand back to its author.
    Only for a form sent from our own pages: another site must not make our
    page display its words."""
    if request.method != "POST" or not same_origin_request(request):
        return []
    try:
        items = request.POST.lists()
    except Exception:  # an unreadable body: nothing to give back
        return []
    typed = []
    for name, values in items:
        if any(word in name.lower() for word in _SECRET_WORDS):
            continue
        for value in values:
            # Free text (words, a paragraph), not ids, choices or flags.
            if len(value) >= 40 or " " in value.strip():
                typed.append((name.replace("_", " "), value[:_MAX_FIELD]))
    return typed


def database_unavailable_response(
    request: HttpRequest, exc: BaseException
) -> HttpResponse:
    logger.warning(
        "database unavailable for %s %s: %s", request.method, request.path, exc
    )
    message = _(
        "The site cannot reach its database for a few seconds (maintenance or "
        "a restart). Please try again in a moment."
    )
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        response = JsonResponse(
            {"error": message, "retry_after": RETRY_AFTER}, status=503
        )
    else:
        # A plain render: context processors read the database.
        body = loader.get_template("503.html").render(
            {
                "SITE_NAME": settings.SITE_NAME,
                "message": message,
                "was_sent": request.method == "POST",
                "files_sent": request.method == "POST" and bool(request.FILES),
                "typed": _typed_text(request),
            }
        )
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    # Logged once above as a warning: not one error mail per request while
    # the database restarts (config.errors mails errors to ADMINS).
    response._has_been_logged = True
    return response


def _read_again(request: HttpRequest) -> HttpResponse:
    """The view once more, on fresh connections (the backend waits for a
    restarting database)."""
    for connection in connections.all(initialized_only=True):
        connection.close()
    match = request.resolver_match
    response = match.func(request, *match.args, **match.kwargs)
    if not getattr(response, "is_rendered", True):
        response.render()
    return response


def _may_read_again(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.resolver_match is not None
        and not getattr(request, "_database_retried", False)
        # Inside a transaction the connection cannot simply be replaced.
        and not any(
            connection.in_atomic_block
            for connection in connections.all(initialized_only=True)
        )
    )


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unreachable(exception):
            return None
        if _may_read_again(request):
            request._database_retried = True
            logger.warning(
                "database connection lost for %s %s, reading again: %s",
                request.method,
                request.path,
                exception,
            )
            try:
                return _read_again(request)
            except Exception as again:
                if not database_unreachable(again):
                    raise
                exception = again
        return database_unavailable_response(request, exception)
