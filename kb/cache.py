"""The anonymous page cache of the knowledge base.

Anonymous GETs of KB pages are stored whole, keyed on the path and on a
generation counter; any publish, unpublish, move, delete or view restriction
bumps the counter (``kb.signals``), so no stale page is served.

An anonymous page is the same bytes for every visitor: it holds no CSRF token
(the article vote is checked by origin, the language switch is a link) and
sets no cookie, so deploy/nginx's micro-cache serves it as it is.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, quote_etag

from config.microcache import proxy_expires, shareable_request, used_visitor_token

# Cached public article pages are keyed on this counter; any publish bumps it.
CACHE_GENERATION_KEY = "kb:generation"
BROWSER_MAX_AGE = 60


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
    return shareable_request(request)


def _from_cache_entry(request: HttpRequest, entry: dict, hit: bool) -> HttpResponse:
    if request.headers.get("If-None-Match") == entry["etag"]:
        response = HttpResponse(status=304)
    else:
        # The proxy's own header (nginx hides it from browsers), set before
        # Cache-Control: nginx 1.22 reads them in order.
        response = HttpResponse(headers={"X-Accel-Expires": proxy_expires()})
        response.content = entry["content"]
    response["X-KB-Cache"] = "hit" if hit else "miss"
    response["ETag"] = entry["etag"]
    if entry["last_modified"]:
        response["Last-Modified"] = entry["last_modified"]
    # Browsers keep it briefly and revalidate with the ETag; "private" keeps
    # shared caches we do not run (which would ignore our cookie rules) out.
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
    generation) and answer from the stored entry.

    A page whose render asked for this visitor's CSRF token (a form added to
    the article template) is not shared: everyone would get the first
    visitor's token and the cookie would go to one of them only.
    """
    if used_visitor_token(request):
        patch_cache_control(response, private=True, no_cache=True)
        return response
    entry = {
        "content": response.content.decode(),
        "etag": quote_etag(f"kb-{page.pk}-{page.live_revision_id}-{generation}"),
        "last_modified": http_date(page.last_published_at.timestamp())
        if page.last_published_at
        else None,
    }
    cache.set(_cache_key(request, generation), entry, _page_cache_seconds())
    return _from_cache_entry(request, entry, hit=False)
