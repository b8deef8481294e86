"""gunicorn settings for Entraide: `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be overridden from the environment (GUNICORN_* variables, or
WEB_CONCURRENCY for the worker count) so systemd units, the Procfile and
`make prod` share this one file.
"""

import multiprocessing
import os
import sys


def _int(name, default):
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def workers_default(cpus=None):
    # CPU-bound page rendering: one process per core plus one to cover I/O
    # waits (database, Redis), capped so a big host does not exhaust the
    # PostgreSQL connection limit.
    cpus = cpus or multiprocessing.cpu_count()
    return min(cpus + 1, 12)


def redis_required_message(worker_count, environ):
    """Why start-up is refused, or None. With several processes the local-memory
    cache splits rate limits, page-cache invalidation and sessions between
    workers: Redis is the shared cache they need."""
    if worker_count > 1 and not environ.get("REDIS_URL", "").strip():
        return (
            f"Entraide: {worker_count} gunicorn workers need a shared cache, but "
            "REDIS_URL is not set. Set REDIS_URL=redis://127.0.0.1:6379/0, or run "
            "a single worker with WEB_CONCURRENCY=1."
        )
    return None


wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = _int("WEB_CONCURRENCY", workers_default())
# Sync workers: pages are short and the slow clients are nginx's problem
# (it buffers requests and responses).
worker_class = "sync"
# Well above DATABASE_CONNECT_RETRY_SECONDS (10): a request waiting for a
# restarting PostgreSQL is answered, not killed with its worker.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle workers now and then so slow leaks never grow; the jitter keeps them
# from all restarting at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Load the application once in the master: workers fork ready (faster start,
# shared memory); config/wsgi.py freezes start-up objects out of the GC.
preload_app = True
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address as nginx saw it, request, status, size, duration (ms).
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s - %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
)
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
proc_name = "entraide-web"
# The default control socket is one per user ($HOME/.gunicorn/gunicorn.ctl):
# two sites on one account would fight over it. Signals do the same job.
control_socket_disable = True


# Refuse early (before the application is loaded) for the environment's
# worker count; on_starting catches a count given on the command line (-w).
_message = redis_required_message(workers, os.environ)
if _message:
    sys.stderr.write(_message + "\n")
    raise SystemExit(1)


def on_starting(server):
    message = redis_required_message(server.cfg.workers, os.environ)
    if message:
        sys.stderr.write(message + "\n")
        raise SystemExit(1)


def worker_exit(server, worker):
    # Clicks and search logs buffered in this worker are written before it goes
    # (max_requests recycling, a graceful reload): none is lost.
    from config.buffered import flush_all  # noqa: PLC0415 (the app is loaded by now)

    flush_all()
