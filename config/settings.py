"""Entraide settings: one file, read from the environment, embedded defaults.

With no environment at all the site runs on SQLite under ``var/``, the embedded
search backend, local-memory cache, console e-mail and immediate tasks. Each
``*_URL`` variable switches on the real engine (see README.md).
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from machina import MACHINA_MAIN_STATIC_DIR, MACHINA_MAIN_TEMPLATE_DIR

from config.env import (
    database_from_url,
    email_from_url,
    env_addresses,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
# Runtime data (SQLite, media, caches) lives here; create it so a fresh clone works.
VAR_DIR.mkdir(parents=True, exist_ok=True)
SITE_DIR = BASE_DIR / "site"

DEBUG = env_bool("DEBUG", False)
# The fallback key lets a fresh clone run `make run`/`make test` and management
# commands; serving with DEBUG off refuses it (config/wsgi.py, config/asgi.py).
DEVELOPMENT_SECRET_KEY = "dev-insecure-set-SECRET_KEY-in-production"
SECRET_KEY = env_str("SECRET_KEY") or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# The port `make run` serves on: without SITE_URL, links in mails and short
# links point at it (they are also built outside requests, by the task worker).
PORT = env_int("PORT", 8000)
SITE_URL = env_url("SITE_URL", ("http", "https"), f"http://127.0.0.1:{PORT}").rstrip(
    "/"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    # Ours first so our templates and commands win.
    "accounts.apps.AccountsConfig",
    "kb.apps.KbConfig",
    "forum.apps.CommunityForumConfig",
    "search.apps.SearchConfig",
    "social_redirect.apps.SocialRedirectConfig",
    "support.apps.SupportConfig",
    "outbox.apps.OutboxConfig",
    "ops.apps.OpsConfig",
    "status.apps.StatusConfig",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.twitter_oauth2",
    # Forum (machina needs haystack; it must come before wagtail.search)
    "mptt",
    "haystack",
    "widget_tweaks",
    "machina",
    "machina.apps.forum",
    "machina.apps.forum_conversation",
    "machina.apps.forum_conversation.forum_attachments",
    "machina.apps.forum_conversation.forum_polls",
    "machina.apps.forum_feeds",
    "machina.apps.forum_moderation",
    "machina.apps.forum_search",
    "machina.apps.forum_tracking",
    "machina.apps.forum_member",
    "machina.apps.forum_permission",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    # Outermost: writes shared pages for nginx once every header is set.
    "config.pagefiles.PageFileMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A database that does not answer: 503 with Retry-After, not a 500.
    "config.dbdown.DatabaseUnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.csp.EntraideCSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "forum.middleware.ForumPermissionMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # site/templates overrides Wagtail and allauth templates; machina finds
        # our overrides of its templates in the forum app, before its own.
        "DIRS": [
            SITE_DIR / "templates",
            BASE_DIR / "forum" / "templates" / "community_forum" / "machina",
            MACHINA_MAIN_TEMPLATE_DIR,
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "machina.core.context_processors.metadata",
                "config.context_processors.site",
                "status.context_processors.open_incidents",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {"default": database_from_url("DATABASE_URL", VAR_DIR / "db.sqlite3")}
# How long a request waits for PostgreSQL to accept a new connection (a
# restart) before the visitor gets the 503 page (config/postgresql, dbdown).
DATABASE_CONNECT_RETRY_SECONDS = env_int("DATABASE_CONNECT_RETRY_SECONDS", 10)
# Machina's migrations are written for AutoField; our apps set BigAutoField in
# their AppConfig instead, so machina's tables do not drift.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# --- Cache and sessions ---------------------------------------------------
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
                # Redis down = no cache, not an error page: sessions fall back
                # to the database, pages render uncached (bench/faults.py).
                "IGNORE_EXCEPTIONS": True,
            },
            "KEY_PREFIX": "entraide",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "entraide",
        },
    }
CACHES["machina_attachments"] = {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": str(VAR_DIR / "machina_attachments"),
}

# --- Tasks, worker and scheduler (ops app, deploy/) -----------------------
# Immediate by default (`make run`, tests). In production TASKS_BACKEND=database
# stores tasks in the database, in the same transaction as the data they are
# about, and `manage.py worker` runs them; `manage.py scheduler` runs the
# periodic jobs of ops/schedule.py.
_TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks_backend = env_str("TASKS_BACKEND", "immediate").strip() or "immediate"
TASKS = {"default": {"BACKEND": _TASKS_BACKENDS.get(_tasks_backend, _tasks_backend)}}
# A task claimed by a worker on another host that died is run again after this.
TASKS_STALE_MINUTES = env_int("TASKS_STALE_MINUTES", 30)
# Finished task results are kept this many days (failed ones too).
TASKS_RESULT_DAYS = env_int("TASKS_RESULT_DAYS", 14)

# --- E-mail ---------------------------------------------------------------
globals().update(email_from_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Entraide <support@entraide.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

# --- Search ---------------------------------------------------------------
ELASTICSEARCH_URL = env_url("ELASTICSEARCH_URL", ("http", "https"))
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "entraide")
# Wagtail's admin search only; the public search is our own `search` app.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Machina's haystack search page is replaced by ours; haystack is only needed
# because machina imports it.
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}
}

# --- Accounts (allauth) ---------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
SITE_ID = 1
# Renders allauth's mails and queues them in the outbox, with SITE_NAME.
ACCOUNT_ADAPTER = "outbox.account_adapter.OutboxAccountAdapter"
# allauth names people ("Connexion avec … réussie") with our one public name.
ACCOUNT_USER_DISPLAY = "accounts.selectors.user_public_name"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "10/h/ip,5/h/key",
    "confirm_email": "5/5m/key",
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Password reset and "send me my ticket links" answer no sooner than this, so
# their timing does not reveal who has an account (config/timing.py).
ENUMERATION_FLOOR_MS = env_int("ENUMERATION_FLOOR_MS", 250)
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"
X_CLIENT_ID = env_str("X_CLIENT_ID")
X_CLIENT_SECRET = env_str("X_CLIENT_SECRET")
SOCIALACCOUNT_PROVIDERS = {}
if X_CLIENT_ID and X_CLIENT_SECRET:
    SOCIALACCOUNT_PROVIDERS["twitter_oauth2"] = {
        "APPS": [{"client_id": X_CLIENT_ID, "secret": X_CLIENT_SECRET, "key": ""}]
    }
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_ONLY = False

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [SITE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SITE_DIR / "static", MACHINA_MAIN_STATIC_DIR]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# `make run` serves straight from the finders; production runs collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail --------------------------------------------------------------
WAGTAIL_SITE_NAME = env_str("SITE_NAME", "Entraide")
# Shares allauth's failed-login limit and e-mail verification (config/login.py).
WAGTAILADMIN_USER_LOGIN_FORM = "config.login.WagtailLoginForm"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "zip", "odt", "docx"]

# --- Security -------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies in front of Django that append to X-Forwarded-For (nginx: 1).
# 0 = the client is REMOTE_ADDR and the header is ignored (config/ratelimit.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
# allauth's own limits (login, signup) count per client IP the same way.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        # Wagtail's admin needs inline styles; the public site uses none.
        "style-src": ["'self'", "'unsafe-inline'"],
        # External scripts only; the CMS alone adds 'unsafe-inline' (config/csp.py).
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Paths whose pages write inline scripts of their own: the Wagtail admin.
CSP_INLINE_SCRIPT_PREFIXES = ["/cms/"]

# --- Logging and error reports ----------------------------------------------
# SENTRY_DSN sends errors to Sentry; without it, every 500 is mailed to ADMINS
# ("Name <mail>, …") through config.errors.error_mail_send.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    # Imported only when configured: sentry_sdk adds ~0.3 s to every start.
    from config.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE"),
    )
ADMINS = env_addresses("ADMINS")
EMAIL_SUBJECT_PREFIX = "[Entraide] "
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "config.errors.AdminErrorMailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Replaces Django's default "django" handlers (its own admin mail), so a
    # 500 is reported once; records still propagate to the console.
    "loggers": {"django": {"handlers": [] if SENTRY_DSN else ["mail_admins"]}},
}

# --- Entraide features ----------------------------------------------------
# In every page title and e-mail subject.
SITE_NAME = env_str("SITE_NAME", "Entraide")
# Knowledge base: accepted edits after which a member publishes directly.
KB_TRUSTED_AFTER_ACCEPTED_EDITS = env_int("KB_TRUSTED_AFTER_ACCEPTED_EDITS", 3)
# Forum: a new member's first N posts wait for moderation.
FORUM_MODERATED_FIRST_POSTS = env_int("FORUM_MODERATED_FIRST_POSTS", 2)
# Forum: a member with fewer approved posts than this is "new": links are queued.
FORUM_NEW_MEMBER_POSTS = env_int("FORUM_NEW_MEMBER_POSTS", 10)
# Forum rate limits (per user and per IP): topics and replies per 10 minutes.
FORUM_TOPICS_PER_10_MIN = env_int("FORUM_TOPICS_PER_10_MIN", 5)
FORUM_REPLIES_PER_10_MIN = env_int("FORUM_REPLIES_PER_10_MIN", 20)
# Machina renders posts through our shared sanitizer (config.sanitize).
MACHINA_MARKUP_LANGUAGE = ("forum.markup.render_post", {})
MACHINA_FORUM_NAME = "Forum"
MACHINA_BASE_TEMPLATE_NAME = "base.html"
# Support tickets: time targets, in minutes.
TICKET_FIRST_RESPONSE_MINUTES = env_int("TICKET_FIRST_RESPONSE_MINUTES", 60)
TICKET_RESOLUTION_MINUTES = env_int("TICKET_RESOLUTION_MINUTES", 2 * 24 * 60)
# Support tickets: attachments, e-mailed access links, mail retries, abuse limits.
TICKET_ATTACHMENT_MAX_BYTES = env_int("TICKET_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
TICKET_ATTACHMENT_MAX_FILES = env_int("TICKET_ATTACHMENT_MAX_FILES", 3)
TICKET_ACCESS_LINK_DAYS = env_int("TICKET_ACCESS_LINK_DAYS", 14)
TICKET_CREATE_LIMIT_PER_IP_HOUR = env_int("TICKET_CREATE_LIMIT_PER_IP_HOUR", 10)
TICKET_CREATE_LIMIT_PER_EMAIL_HOUR = env_int("TICKET_CREATE_LIMIT_PER_EMAIL_HOUR", 5)
# Outgoing e-mail (outbox): attempts before a mail is marked failed.
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 6)
# Social redirect
SOCIAL_ACK_TARGET_MINUTES = env_int("SOCIAL_ACK_TARGET_MINUTES", 60)
X_BEARER_TOKEN = env_str("X_BEARER_TOKEN")
X_CONSUMER_SECRET = env_str("X_CONSUMER_SECRET")
MENTIONS_WEBHOOK_SECRET = env_str("MENTIONS_WEBHOOK_SECRET")
# X API v2 poller (reads are paid per post): query and monthly read cap.
SOCIAL_X_QUERY = env_str("SOCIAL_X_QUERY", "@EntraideTelecom -is:retweet")
SOCIAL_X_MONTHLY_READ_CAP = env_int("SOCIAL_X_MONTHLY_READ_CAP", 10_000)
# Our own X accounts: mentioning them says nothing about which product is meant.
SOCIAL_OWN_HANDLES = env_list("SOCIAL_OWN_HANDLES", ["EntraideTelecom"])
# Matching fuses lexical search with sentence embeddings (search/embeddings.py);
# 0 keeps it lexical (the bench's lexical-only variant).
SOCIAL_SEMANTIC_MATCHING = env_bool("SOCIAL_SEMANTIC_MATCHING", True)
# A delivery or import of more mentions than this (or any arriving while
# others wait) is stored with the lexical triage first and refined with the
# embeddings in the background, in batches (task social_redirect.mentions_refine).
SOCIAL_REFINE_BURST = env_int("SOCIAL_REFINE_BURST", 20)
# The multilingual embedding model: the ONNX file of requirements-models.txt
# unless a path is given here. A missing or broken model degrades to lexical.
SEARCH_EMBEDDING_MODEL_PATH = env_str("SEARCH_EMBEDDING_MODEL_PATH")
# Origin of the /r/<code> short links in reply drafts (default: SITE_URL).
SOCIAL_SHORT_LINK_BASE = env_str("SOCIAL_SHORT_LINK_BASE")
# Anonymous shared pages also written to VAR_DIR/pages for nginx to serve as
# files (config/pagefiles.py; deploy/nginx). Only useful behind that nginx.
PAGE_FILES = env_bool("PAGE_FILES", False)
# Short-link clicks and search query logs (config/buffered.py): 0 = written in
# the request without waiting for the disk sync, so a killed worker loses none
# (PostgreSQL's default); above 0 = held in memory and written that often (the
# SQLite default: its single writer lock would serialise every click).
BUFFERED_WRITE_SECONDS = env_int(
    "BUFFERED_WRITE_SECONDS",
    0 if DATABASES["default"]["ENGINE"] == "config.postgresql" else 2,
)
# Search: requests per minute and per IP on the page and the API (0 = no limit;
# suggestions, asked at each keystroke, get five times as many).
SEARCH_RATE_LIMIT_PER_MINUTE = env_int("SEARCH_RATE_LIMIT_PER_MINUTE", 120)
