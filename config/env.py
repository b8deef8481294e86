"""Typed reading of environment variables.

Every setting that comes from the environment goes through here so that a
malformed value stops start-up with a message naming the variable, instead of
surfacing later as an obscure error deep inside a library.
"""

import os
from email.utils import getaddresses
from urllib.parse import unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_addresses(name):
    """``"Name <mail>, …"`` as ``[(name, mail), …]`` (the form of ``ADMINS``)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return []
    pairs = getaddresses([raw])
    if any("@" not in mail or not mail.strip() for _name, mail in pairs):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is malformed: expected "
            '"Name <name@example.org>, Other <other@example.org>".'
        )
    return [(person or mail, mail) for person, mail in pairs]


def env_url(name, schemes, default=""):
    """A URL whose scheme is one of ``schemes``; empty means "not configured"."""
    raw = os.environ.get(name, default).strip()
    if not raw:
        return ""
    parsed = urlparse(raw)
    if parsed.scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is malformed: expected a URL starting with "
            + " or ".join(f"{s}://" for s in schemes)
            + "."
        )
    if not parsed.hostname:
        raise ImproperlyConfigured(f"{name}={raw!r} is malformed: no host name.")
    try:
        _port = parsed.port  # urlparse only validates the port when asked
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} has an invalid port.") from None
    return raw


def database_from_url(name, default_sqlite_path):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
            "OPTIONS": {"timeout": 20},
        }
    parsed = urlparse(raw)
    allowed = {"postgres", "postgresql", "pgsql", "sqlite"}
    if parsed.scheme not in allowed or (
        parsed.scheme != "sqlite" and not parsed.hostname and not parsed.path.strip("/")
    ):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is malformed: expected postgres://USER@HOST:PORT/NAME "
            "or sqlite:////absolute/path/db.sqlite3."
        )
    try:
        # Health checks: a connection kept from before a database restart is
        # replaced at the next request instead of failing it.
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises several types
        raise ImproperlyConfigured(f"{name}={raw!r} is malformed: {exc}") from None
    if parsed.scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={raw!r} is malformed: no database name.")
    if parsed.scheme != "sqlite":
        # Django's backend plus a short retry of new connections, so a
        # database restart delays requests instead of failing them.
        config["ENGINE"] = "config.postgresql"
        # A database host that drops packets must not hang a worker forever
        # (libpq waits without limit by default).
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return config


def email_from_url(name):
    """Translate EMAIL_URL (smtp://user:pass@host:port, smtps://…, console://)."""
    raw = os.environ.get(name, "").strip()
    if not raw or raw.startswith("console:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parsed = urlparse(raw)
    if parsed.scheme not in ("smtp", "smtps", "submission") or not parsed.hostname:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is malformed: expected smtp://USER:PASSWORD@HOST:PORT, "
            "smtps://… or console://."
        )
    try:
        port = parsed.port
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} has an invalid port.") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": port or (465 if parsed.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_USE_TLS": parsed.scheme == "submission",
    }


def refuse_development_key(settings):
    """Stop a server with DEBUG off from signing sessions, password resets and
    ticket links with the development key that anyone can read in the source."""
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off: refusing to serve with the "
            "public development key. Set SECRET_KEY to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or DEBUG=1 on a development machine."
        )
