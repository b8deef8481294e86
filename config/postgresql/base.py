"""Django's PostgreSQL backend, riding through a database restart.

A restart (an upgrade, a failover, ``systemctl restart postgresql``) refuses
connections for a few seconds. Django's own backend fails the request at the
first refusal: people saw a burst of errors. Here a new connection is retried
with a short backoff for up to ``DATABASE_CONNECT_RETRY_SECONDS`` (10 s): the
request waits a moment and is answered. Past that budget the error goes up and
the visitor gets the 503 page of ``config.dbdown``.

Used automatically when DATABASE_URL is PostgreSQL (``config.env``).
"""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db.backends.postgresql import base

logger = logging.getLogger(__name__)

FIRST_DELAY = 0.1
MAX_DELAY = 1.0
# Wrong password or role (class 28), unknown database (3D000): a
# configuration error, not a restart. Waiting would only hide it.
_NOT_TRANSIENT = ("28", "3D")


def _transient(exc: Exception) -> bool:
    sqlstate = getattr(exc, "sqlstate", None) or ""
    return not sqlstate.startswith(_NOT_TRANSIENT)


def connect_with_retry(
    connect: Callable[[], object],
    *,
    budget: float,
    errors: tuple[type[Exception], ...],
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
):
    """``connect()``, tried again after ``errors`` until ``budget`` seconds
    have gone by (0.1 s, 0.2 s, 0.4 s… then every second)."""
    deadline = clock() + budget
    delay = FIRST_DELAY
    attempts = 1
    while True:
        try:
            connection = connect()
        except errors as exc:
            if not _transient(exc) or clock() + delay > deadline:
                raise
            if attempts == 1:
                logger.warning("database refused a connection, retrying: %s", exc)
            sleep(delay)
            delay = min(delay * 2, MAX_DELAY)
            attempts += 1
            continue
        if attempts > 1:
            logger.warning("database connection made after %d attempts", attempts)
        return connection


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        return connect_with_retry(
            lambda: super(DatabaseWrapper, self).get_new_connection(conn_params),
            budget=settings.DATABASE_CONNECT_RETRY_SECONDS,
            errors=(self.Database.OperationalError,),
        )
