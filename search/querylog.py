"""Query logging off the request path.

Every API query is logged, but a commit per search must not make each request
wait for the database's disk sync. Entries go through the site's buffered
writer (config/buffered.py): at once with an asynchronous commit
(``BUFFERED_WRITE_SECONDS = 0``, PostgreSQL's default), or in one insert every
that many seconds and when the process exits.
"""

from config.buffered import BufferedWriter
from search.models import QueryLog

_entries = BufferedWriter("search-query-log", QueryLog.objects.bulk_create)


def record(entry):
    """Log a QueryLog (unsaved); returns it, saved at once when not buffering."""
    _entries.add(entry)
    return entry


def flush():
    return _entries.flush()
