"""The anonymous page cache of the knowledge base.

Anonymous GETs of KB pages are stored whole, keyed on the path and on a
generation counter; any publish, unpublish, move, delete or view restriction
bumps the counter (``kb.signals``), so no stale page is served. Cached pages
hold a sentinel instead of a CSRF token and each response gets its own.
"""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, quote_etag

# Cached public article pages are keyed on this counter; any publish bumps it.
CACHE_GENERATION_KEY = "kb:generation"
# Cached pages hold this instead of a CSRF token; each response gets its own.
CSRF_SENTINEL = "__kb_csrf_token__"
BROWSER_MAX_AGE = 60
# Seconds deploy/nginx's micro-cache keeps an anonymous article page.
PROXY_MAX_AGE = 60


def kb_cache_invalidate() -> None:
    """Drop every cached public KB page (called on publish/unpublish)."""
    try:
        cache.incr(CACHE_GENERATION_KEY)
    except ValueError:
        cache.set(CACHE_GENERATION_KEY, 1, None)


def _page_cache_seconds() -> int:
    # Publishing bumps the generation in the cache of the process that
    # published; a per-process (local memory) cache in another worker would
    # not see it, so there entries only live a couple of minutes.
    backend = settings.CACHES["default"]["BACKEND"]
    return 120 if backend.endswith("LocMemCache") else 60 * 60 * 24


def generation() -> int:
    return cache.get(CACHE_GENERATION_KEY, 0)


def _cache_key(request: HttpRequest, generation: int) -> str:
    # The language prefix is part of the path: one entry per language.
    return f"kb:page:{generation}:{request.path}"


def cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and not request.user.is_authenticated
        and not getattr(request, "is_preview", False)
        and not len(messages.get_messages(request))
    )


def with_csrf_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Put this visitor's CSRF token where the page has the sentinel."""
    response.content = response.content.replace(
        CSRF_SENTINEL.encode(), get_token(request).encode()
    )
    return response


def _from_cache_entry(request: HttpRequest, entry: dict, hit: bool) -> HttpResponse:
    # Behind deploy/nginx the proxy caches the page for every anonymous
    # visitor and writes each one's own CSRF token in place of the sentinel.
    proxy_fills_csrf = request.headers.get("X-Csrf-Fill") == CSRF_SENTINEL
    if request.headers.get("If-None-Match") == entry["etag"]:
        response = HttpResponse(status=304)
    elif proxy_fills_csrf:
        # The proxy's own header, set before Cache-Control (nginx 1.22 reads
        # them in order); browsers never see it.
        response = HttpResponse(headers={"X-Accel-Expires": str(PROXY_MAX_AGE)})
        response.content = entry["content"]
        response["X-Csrf-Fill"] = "1"
    else:
        response = HttpResponse(
            entry["content"].replace(CSRF_SENTINEL, get_token(request))
        )
    response["X-KB-Cache"] = "hit" if hit else "miss"
    response["ETag"] = entry["etag"]
    if entry["last_modified"]:
        response["Last-Modified"] = entry["last_modified"]
    # Private: the page carries a per-visitor CSRF token for its forms, so
    # shared caches must not store it; browsers may reuse it briefly and
    # revalidate with the ETag.
    patch_cache_control(response, private=True, max_age=BROWSER_MAX_AGE)
    return response


def cached_page(request: HttpRequest) -> HttpResponse | None:
    """The cached anonymous response for this URL, or None (then route)."""
    if not cacheable(request):
        return None
    entry = cache.get(_cache_key(request, generation()))
    if entry is None:
        return None
    return _from_cache_entry(request, entry, hit=True)


def page_cache_store(
    request: HttpRequest, response: HttpResponse, *, page, generation: int
) -> HttpResponse:
    """Store a freshly rendered page under ``generation`` (read before the
    render, so a publish during the render is not hidden behind the newer
    generation) and answer from the stored entry."""
    entry = {
        "content": response.content.decode(),
        "etag": quote_etag(f"kb-{page.pk}-{page.live_revision_id}-{generation}"),
        "last_modified": http_date(page.last_published_at.timestamp())
        if page.last_published_at
        else None,
    }
    cache.set(_cache_key(request, generation), entry, _page_cache_seconds())
    return _from_cache_entry(request, entry, hit=False)
