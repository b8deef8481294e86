"""Did this request come from one of our own pages? The forgery check of the
few POSTs that anonymous visitors send from cached, token-free pages (the
article "did this help?" vote).

Cached public pages are the same bytes for every visitor, so they cannot hold
a per-visitor CSRF token. Browsers say where a request comes from instead:
``Sec-Fetch-Site`` (every current browser) and ``Origin`` (sent with every
cross-origin POST, and every POST by current browsers). A cross-site form or
script cannot forge either header.
"""

from django.conf import settings
from django.http import HttpRequest

# "same-site" is another origin of the same registrable domain (a sibling
# subdomain we may not control): not ours. "none" is the person's own action
# (reloading the page after a POST, a bookmark), never another site's.
_OURS = {"same-origin", "none"}


def _own_origins(request: HttpRequest) -> set[str]:
    return {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def same_origin_request(request: HttpRequest) -> bool:
    """True when the browser vouches that the request comes from this site.

    ``Sec-Fetch-Site`` when the browser sends it, else ``Origin``; a request
    with neither (a browser too old for both, or a privacy tool stripping them)
    is refused: nothing says it is ours.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site.strip().lower() in _OURS
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin.rstrip("/") in _own_origins(request)
    return False
