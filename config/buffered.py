"""Writes that need not make a request wait: at once with no disk sync, or batched.

Short-link clicks and search query logs are counted on hot paths; a commit per
request must not make each one wait for the database's disk sync (nor, on
SQLite, for the single writer lock).

- ``BUFFERED_WRITE_SECONDS = 0`` (the default on PostgreSQL): each item is
  written in the request, in a transaction committed asynchronously
  (``synchronous_commit = off``): the commit returns before the disk sync, and
  the row is in the server's hands, so a worker killed the next instant (``kill
  -9``, out of memory) loses nothing. Only a crash of PostgreSQL itself can
  lose the last fraction of a second of such writes.
- Above 0 (the default on SQLite, whose writer lock would serialise every
  request): the items wait in memory and are written in one call every that
  many seconds from a background thread. A process killed outright loses what
  it held; ``flush_all`` runs from an ``atexit`` hook and from gunicorn's
  ``worker_exit`` hook (``deploy/gunicorn.conf.py``) for every other stop.

A write that fails because the database is away (PostgreSQL restarting, SQLite
busy) keeps its items in memory for the next flush, up to ``max_items``: the
request still gets its answer. A write that raises anything else is a bug:
logged, its batch dropped.
"""

import atexit
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, transaction

logger = logging.getLogger(__name__)

_writers: list["BufferedWriter"] = []


class BufferedWriter:
    def __init__(
        self,
        name: str,
        write: Callable[[list], object],
        *,
        max_items: int = 10_000,
    ):
        self.name = name
        self._write = write
        self.max_items = max_items
        self._items: list = []
        self._lock = threading.Lock()
        # Only one flush at a time: the thread and atexit may race at shutdown.
        self._flushing = threading.Lock()
        self._thread: threading.Thread | None = None
        _writers.append(self)

    @staticmethod
    def interval() -> float:
        return float(settings.BUFFERED_WRITE_SECONDS)

    def add(self, item) -> None:
        """Write ``item`` now (buffering off) or queue it; an outage never raises."""
        if self.interval() <= 0:
            try:
                self._write_now([item])
                return
            except OperationalError:
                # The database is away: the visitor still gets the page, and
                # the item waits in memory for the retrying thread.
                logger.warning("%s: database away, item kept for later", self.name)
        with self._lock:
            if len(self._items) >= self.max_items:
                logger.warning("%s: buffer full, one item dropped", self.name)
                return
            self._items.append(item)
            self._start()

    def _write_now(self, items: list) -> None:
        # A savepoint when the caller is inside a transaction, so a failed
        # write leaves the caller's own work usable.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            self._write(items)

    def pending(self) -> int:
        with self._lock:
            return len(self._items)

    def flush(self, *, attempts: int = 5) -> int:
        """Write everything queued; returns how many items were written."""
        with self._flushing:
            with self._lock:
                items, self._items = self._items, []
            if not items:
                return 0
            for attempt in range(attempts):
                try:
                    self._write(items)
                    return len(items)
                except OperationalError:
                    # SQLite: another process holds the write lock; PostgreSQL
                    # restarting. Wait a little, then give up for this round.
                    if attempt < attempts - 1:
                        time.sleep(0.2 * (attempt + 1))
                        # A broken connection is replaced; one inside a
                        # transaction (a caller's atomic block) is not ours.
                        if not connection.in_atomic_block:
                            close_old_connections()
                except Exception:
                    # A bug, not an outage: retrying would fail the same way.
                    logger.exception(
                        "%s: could not write %d items", self.name, len(items)
                    )
                    return 0
            with self._lock:
                # Keep them for the next flush (oldest first), within the cap.
                self._items = (items + self._items)[: self.max_items]
            return 0

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._run, name=f"buffered-{self.name}", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        while True:
            # Buffering off: only items kept during an outage are here.
            time.sleep(self.interval() or 2.0)
            try:
                self.flush()
            finally:
                # This thread's own connection: do not hold it between rounds.
                connection.close()


def flush_all() -> int:
    """Write what every writer holds (process exit, gunicorn ``worker_exit``)."""
    written = 0
    for writer in list(_writers):
        try:
            written += writer.flush()
        except Exception:  # the database may already be gone at shutdown
            logger.exception("%s: items lost at shutdown", writer.name)
        if writer.pending():
            logger.error("%s: %d items lost at shutdown", writer.name, writer.pending())
    return written


atexit.register(flush_all)
