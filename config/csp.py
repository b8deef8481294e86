"""Content-Security-Policy: strict on the public site, relaxed for the CMS only.

Public pages load only external scripts (``site.js`` and each app's static
files), so their policy has no ``'unsafe-inline'`` script source: an injected
inline script or ``on*=`` handler does not run. The Wagtail admin writes
inline scripts of its own, so paths under ``CSP_INLINE_SCRIPT_PREFIXES`` get
``'unsafe-inline'`` added to ``script-src``, and nothing else changes.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class EntraideCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        prefixes = tuple(settings.CSP_INLINE_SCRIPT_PREFIXES)
        if prefixes and request.path_info.startswith(prefixes):
            update = dict(parts.update or {})
            sources = update.get("script-src") or []
            if isinstance(sources, str):
                sources = [sources]
            update["script-src"] = [*sources, "'unsafe-inline'"]
            parts.update = update
        return parts
