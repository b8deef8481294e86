"""Signed context passed to the private ticket form.

A redirect link (the original public message) or a KB article (which article
was tried) hands its context to `/<lang>/support/new/?context=<token>`. The
token is signed so nobody can forge "context" shown to agents; a tampered or
expired token is simply ignored.
"""

from django.core import signing

SALT = "entraide.ticket-context"
MAX_AGE = 60 * 60 * 24 * 30  # a link posted on X stays useful for a month


def ticket_context_token(context):
    """``context``: a small dict, e.g. ``{"kind": "mention", "text": …, "url": …}``
    or ``{"kind": "article", "article_title": …, "article_url": …}``."""
    return signing.dumps(context, salt=SALT, compress=True)


def ticket_context_read(token, max_age=MAX_AGE):
    """The context dict, or None for a missing, tampered or expired token."""
    if not token:
        return None
    try:
        value = signing.loads(token, salt=SALT, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return value if isinstance(value, dict) else None
