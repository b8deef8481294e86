import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from config.dbdown import database_unavailable_response, database_unreachable
from config.home import home_sections
from config.microcache import proxy_cache_allow
from config.urls_safety import safe_local_url
from search.services import backend_health

logger = logging.getLogger(__name__)


def home(request):
    # Same for every anonymous visitor: nginx may share it (config/microcache).
    return proxy_cache_allow(
        request, render(request, "home.html", home_sections(request))
    )


@require_GET
def language_set(request):
    """The header's language links: remember the choice (the cookie decides
    where ``/`` leads) and go to the page's own translation.

    A link, not a form: public pages then hold no per-visitor CSRF token and
    nginx's micro-cache serves them as they are. Changing the language is
    harmless if another site links here; leaving for another site is not, so
    ``next`` goes through the one same-site check. ``missing=1`` means the page
    has no translation: the reader lands on that language's home page and is
    told why.
    """
    lang = request.GET.get("language", "")
    if lang not in dict(settings.LANGUAGES):
        return bad_request(request)
    next_url = safe_local_url(request.GET.get("next")) or f"/{lang}/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        lang,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    if request.GET.get("missing"):
        with translation.override(lang):
            messages.info(request, _("This page has no version in this language yet."))
    add_never_cache_headers(response)
    return response


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value written")


def _check_search():
    """The search backend's own health: the embedded one lives in the database."""
    return backend_health()


def _search_healthy(detail):
    """The embedded fallback keeps search answering, but a configured
    Elasticsearch that is down or red is an outage the operator must see."""
    elastic = detail.get("elasticsearch")
    return not detail.get("degraded") and not (
        isinstance(elastic, dict) and elastic.get("ok") is False
    )


@never_cache
def healthz(request):
    """200 only when every component is up, else 503. The public answer is
    a short state per component; error text and figures are for staff (and
    the log), never for anyone who asks."""
    details = {}
    public = {}
    healthy = True
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("search", _check_search),
    ):
        try:
            detail = check() or {}
        except Exception as exc:  # any failure is reported, never raised
            logger.warning("healthz: %s is down: %s", name, exc)
            details[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
            public[name] = {"ok": False}
            healthy = False
            continue
        ok = detail.get("ok") is not False
        if name == "search" and ok and not _search_healthy(detail):
            logger.warning("healthz: search is degraded: %s", detail)
            public[name] = {"ok": False, "degraded": True}
            healthy = False
        else:
            public[name] = {"ok": ok}
            healthy = healthy and ok
        details[name] = {**detail, "ok": public[name]["ok"]}
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": details if _is_staff(request) else public,
        },
        status=200 if healthy else 503,
    )


def _is_staff(request):
    try:
        user = request.user
        return bool(user.is_authenticated and user.is_staff)
    except Exception:  # the session lives in the database that may be down
        return False


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Called while the exception is being handled: a database that does not
    # answer (in a middleware; views go through config.dbdown's middleware)
    # is a 503 that says so.
    exc = sys.exc_info()[1]
    if database_unreachable(exc):
        return database_unavailable_response(request, exc)
    # A plain render: context processors may be what is failing.
    template = loader.get_template("500.html")
    context = {"SITE_NAME": settings.SITE_NAME, "request": request}
    return HttpResponseServerError(template.render(context))
