"""Query logging off the request path.

Every API query is logged, but a commit per search would make each request
wait for the database's disk sync (and, on SQLite, for the single writer
lock). Entries are buffered in memory and written in one transaction every
``SEARCH_QUERY_LOG_FLUSH_SECONDS`` by a background thread (0 = write at once).
A crash can lose at most that many seconds of statistics, never content.
"""

import atexit
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection

from search.models import QueryLog

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_buffer = []
_thread = None
MAX_BUFFER = 10_000


def flush_seconds():
    return float(getattr(settings, "SEARCH_QUERY_LOG_FLUSH_SECONDS", 2.0))


def record(entry):
    """Log a QueryLog (unsaved); returns it, saved at once when not buffering."""
    if flush_seconds() <= 0:
        entry.save()
        return entry
    with _lock:
        if len(_buffer) < MAX_BUFFER:
            _buffer.append(entry)
        _start()
    return entry


def flush():
    with _lock:
        entries = _buffer[:]
        _buffer.clear()
    if entries:
        QueryLog.objects.bulk_create(entries)
    return len(entries)


def _start():
    global _thread
    if _thread is None or not _thread.is_alive():
        _thread = threading.Thread(target=_run, name="search-query-log", daemon=True)
        _thread.start()


_wake = threading.Event()


def _run():
    while True:
        _wake.wait(flush_seconds())
        _wake.clear()
        try:
            flush()
        except Exception:
            logger.exception("search: could not write the query log")
        finally:
            close_old_connections()
            connection.close()


@atexit.register
def _flush_at_exit():
    try:
        flush()
    except Exception:  # the database may already be gone at shutdown
        logger.warning("search: query log entries lost at shutdown")
