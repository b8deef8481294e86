"""Writes that need not make a request wait: batched, flushed at exit.

Short-link clicks and search query logs are counted on hot paths; a commit per
request would make each one wait for the database's disk sync (and, on
SQLite, for the single writer lock). A ``BufferedWriter`` keeps the items in
memory and writes them in one call every ``BUFFERED_WRITE_SECONDS`` from a
background thread (0 = write at once, in the request).

Nothing queued is dropped when a process stops: ``flush_all`` runs from an
``atexit`` hook, and gunicorn's ``worker_exit`` hook should call it too
(``deploy/gunicorn.conf.py``). A write that fails (database restarting, SQLite
busy) keeps its items for the next flush, up to ``max_items``; a write that
raises anything else is a bug: logged, its batch dropped.
"""

import atexit
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection

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
        """Queue ``item``; written at once when buffering is off."""
        if self.interval() <= 0:
            self._write([item])
            return
        with self._lock:
            if len(self._items) >= self.max_items:
                logger.warning("%s: buffer full, one item dropped", self.name)
                return
            self._items.append(item)
            self._start()

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
            time.sleep(self.interval() or 1.0)
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
