"""Page files: anonymous pages nginx serves as plain files, without a proxy hop.

With ``PAGE_FILES`` on, a page the application marks as shared
(config/microcache.py: anonymous GET, no query string, no cookie, no token)
is also written to ``VAR_DIR/pages/<window>/<path>index.html``, where
``<window>`` is the ten-second window of the clock it was rendered in. nginx
(deploy/nginx/entraide-locations.conf) looks for the file of the *current*
window first and serves it like a static file; when there is none (a new
window, a page nobody asked for yet) the request goes to the application
through the micro-cache, whose entry expires at the same window end, so the
next render writes the new window's file. A page file is therefore never older
than its window: no job has to delete stale pages, and only the two newest
windows are kept on disk.

nginx cannot replay the application's headers for a file, so the page-file
location declares them (``add_header`` lines between the ``page-file headers``
markers). A page is written only when its headers are exactly those, plus the
language of its path: a page with another policy simply stays on the
micro-cache. A mismatch is logged once, so a settings change that the nginx
file does not follow costs speed, never a wrong header.
"""

import logging
import os
import re
import shutil
import threading
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from config.microcache import page_window

logger = logging.getLogger(__name__)

NGINX_DIR = Path(__file__).resolve().parent.parent / "deploy" / "nginx"
NGINX_LOCATIONS = NGINX_DIR / "entraide-locations.conf"
NGINX_MAPS = NGINX_DIR / "entraide-maps.conf"
# nginx makes these itself for a file (type, length, validators, Cache-Control
# of the location); the others are for nginx only and never reach a browser.
_NOT_COMPARED = {
    "content-type",
    "content-length",
    "etag",
    "last-modified",
    "cache-control",
    "content-language",
    "x-accel-expires",
    "x-kb-cache",
}
_HEADER_LINE = re.compile(r'^\s*add_header\s+(\S+)\s+"((?:[^"\\]|\\.)*)"\s+always;')
_LANGUAGE = re.compile(r"^/([a-z]{2}(?:-[a-z]+)?)/")
_warned: set[str] = set()
_prune_lock = threading.Lock()
_pruned_before: int | None = None


def pages_dir() -> Path:
    return Path(settings.VAR_DIR) / "pages"


def _comparable(name: str, value: str) -> str:
    if name == "content-security-policy":
        # The same policy whatever order the directives come in (django-csp
        # builds them from a set: the order changes from process to process).
        return "; ".join(sorted(part.strip() for part in value.split(";")))
    return value


@cache
def declared_headers(conf: Path = NGINX_LOCATIONS) -> dict[str, str]:
    """The headers nginx adds to a page file (lower-case names)."""
    block = re.search(
        r"# page-file headers begin\n(.*?)# page-file headers end",
        conf.read_text(encoding="utf-8"),
        re.S,
    )
    if not block:
        return {}
    headers = {}
    for line in block.group(1).splitlines():
        if match := _HEADER_LINE.match(line):
            name = match.group(1).lower()
            headers[name] = _comparable(name, match.group(2).replace('\\"', '"'))
    return headers


@cache
def declared_hsts(conf: Path = NGINX_MAPS) -> str:
    """The Strict-Transport-Security nginx adds to a page file over HTTPS."""
    match = re.search(
        r'map \$https \$entraide_hsts \{[^}]*\bon\s+"([^"]*)";', conf.read_text()
    )
    return match.group(1) if match else ""


def page_file_path(path: str, window: int) -> Path | None:
    """Where the page of ``path`` goes for ``window``; None for paths nginx
    would not look up the same way (no trailing slash, dot segments...)."""
    if not path.startswith("/") or not path.endswith("/") or "//" in path:
        return None
    parts = path.strip("/").split("/") if path != "/" else []
    if any(part in (".", "..") or "\\" in part or "\x00" in part for part in parts):
        return None
    return pages_dir() / str(window) / Path(*parts) / "index.html"


def _same_headers(request: HttpRequest, response: HttpResponse) -> bool:
    sent = {
        name.lower(): _comparable(name.lower(), value)
        for name, value in response.headers.items()
        if name.lower() not in _NOT_COMPARED
    }
    expected = dict(declared_headers())
    if request.is_secure() and declared_hsts():
        expected["strict-transport-security"] = declared_hsts()
    language = _LANGUAGE.match(request.path)
    expected["content-language"] = language.group(1) if language else None
    sent["content-language"] = response.get("Content-Language")
    differing = sorted(
        name for name in {*sent, *expected} if sent.get(name) != expected.get(name)
    )
    if not differing:
        return True
    key = ",".join(differing)
    if key not in _warned:
        _warned.add(key)
        logger.warning(
            "page files: %s differ from the headers nginx declares for page "
            "files (deploy/nginx/entraide-locations.conf); %s stays on the "
            "micro-cache",
            key,
            request.path,
        )
    return False


def _prune(window: int) -> None:
    """Remove windows older than the previous one (once per window and process)."""
    global _pruned_before
    with _prune_lock:
        if _pruned_before == window - 1:
            return
        _pruned_before = window - 1
    for entry in pages_dir().iterdir():
        if entry.name.isdigit() and int(entry.name) < window - 1:
            shutil.rmtree(entry, ignore_errors=True)


def page_file_write(*, request: HttpRequest, response: HttpResponse) -> Path | None:
    """Write a shared page for nginx to serve until its window ends."""
    if not (
        settings.PAGE_FILES
        and request.method == "GET"
        and response.status_code == 200
        and "X-Accel-Expires" in response
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type") == "text/html; charset=utf-8"
    ):
        return None
    window = page_window()
    target = page_file_path(request.path, window)
    if target is None or not _same_headers(request, response):
        return None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written aside, then renamed: nginx never reads half a page.
        part = target.with_name(f".{os.getpid()}.{threading.get_ident()}.part")
        part.write_bytes(response.content)
        os.replace(part, target)
        _prune(window)
    except OSError:
        # A full or read-only disk: the page is still served, by the
        # micro-cache instead.
        logger.exception("page files: could not write %s", target)
        return None
    return target


class PageFileMiddleware:
    """Outermost middleware: sees the response with every header set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        page_file_write(request=request, response=response)
        return response
