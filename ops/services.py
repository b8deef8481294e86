"""Task-queue housekeeping for the database task backend (django-tasks-db).

django-tasks-db marks a task RUNNING when a worker claims it and never looks
at it again; a worker killed mid-task (kill -9, OOM, lost host) would leave it
RUNNING forever. These put such tasks back in the queue.
"""

import logging
import os
import socket
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# A task that took its worker down this many times is given up, not re-run.
MAX_CLAIMS = 3


def worker_id_local() -> str:
    """``host:pid``: lets a restarted worker tell its dead predecessors apart."""
    return f"{socket.gethostname()[:48]}:{os.getpid()}"


def _local_pid(worker_id: str) -> int | None:
    host, _, pid = worker_id.rpartition(":")
    if host != socket.gethostname()[:48] or not pid.isdigit():
        return None
    return int(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed process nobody has reaped yet (containers without an init)
    # still answers signal 0.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] != "Z"


def tasks_requeue_orphaned(*, stale_minutes: int | None = None) -> dict:
    """Put back in the queue the RUNNING tasks whose worker is gone: a worker
    of this host whose process no longer exists, or any claim older than
    ``stale_minutes`` (default settings.TASKS_STALE_MINUTES). Returns counts."""
    if stale_minutes is None:
        stale_minutes = settings.TASKS_STALE_MINUTES
    stale_before = timezone.now() - timedelta(minutes=stale_minutes)
    requeued = failed = 0
    for row in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        worker = row.worker_ids[-1] if row.worker_ids else ""
        pid = _local_pid(worker)
        dead = pid is not None and pid != os.getpid() and not _alive(pid)
        stale = row.started_at is None or row.started_at < stale_before
        if not (dead or stale):
            continue
        # Filtered on the claim we saw, so a task another worker has just
        # re-claimed is left alone.
        same_claim = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING
        ).filter(Q(started_at=row.started_at))
        if len(row.worker_ids) >= MAX_CLAIMS:
            done = same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="ops.services.WorkerLost",
                traceback=f"Gave up: its worker died {len(row.worker_ids)} times.",
            )
            failed += done
            logger.error("Task %s killed its worker %s times", row.pk, MAX_CLAIMS)
        else:
            done = same_claim.update(status=TaskResultStatus.READY, started_at=None)
            requeued += done
            if done:
                logger.warning("Task %s requeued: worker %s is gone", row.pk, worker)
    return {"requeued": requeued, "failed": failed}
