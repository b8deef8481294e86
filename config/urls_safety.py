"""The one same-site URL check: every redirect target or "go back to" link
that came from a request, a stored row or a search hit goes through it.

Browsers forgive a lot in URLs: they drop tabs and newlines anywhere
(``/\t/evil.com`` is ``//evil.com``), read ``\\`` as ``/`` and take ``//host``
as another site. Django's ``url_has_allowed_host_and_scheme`` alone lets some
of these through on a path, so this check refuses them outright.
"""

from django.utils.http import url_has_allowed_host_and_scheme

MAX_LENGTH = 2000


def safe_local_url(url):
    """``url`` when it is a plain path on this site (``/…``), else None."""
    if not isinstance(url, str) or not url or len(url) > MAX_LENGTH:
        return None
    if not url.startswith("/") or url.startswith("//"):
        return None
    # Control characters, every kind of whitespace, DEL and backslashes: none
    # belongs in a URL we built, and browsers strip or reinterpret them.
    if any(ord(c) < 33 or ord(c) == 127 or c.isspace() or c == "\\" for c in url):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return None
    return url
