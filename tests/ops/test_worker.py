import signal
import subprocess
import sys

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ops.services import worker_id_local
from outbox.models import OutboundMail
from outbox.services import mail_queue

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_tasks(transactional_db):
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    with override_settings(TASKS=DB_TASKS):
        yield
    # The worker installs its own handlers for graceful shutdown.
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def _worker_batch():
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)


def _queue_mail():
    return mail_queue(
        kind="access_link",
        to=["ana@example.org"],
        subject="Your link",
        body="Hello",
    )


def test_mail_waits_for_the_worker_then_is_sent_once(db_tasks):
    row = _queue_mail()
    # Nothing is sent inside the request any more: the task waits in the table.
    assert mail.outbox == []
    assert DBTaskResult.objects.ready().count() == 1
    _worker_batch()
    assert [m.subject for m in mail.outbox] == ["Your link"]
    row.refresh_from_db()
    assert row.status == OutboundMail.Status.SENT
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    _worker_batch()
    assert len(mail.outbox) == 1


def _dead_pid():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_task_of_a_killed_worker_runs_again_exactly_once(db_tasks):
    _queue_mail()
    host = worker_id_local().rpartition(":")[0]
    # A worker of this host claimed the task, then died (kill -9) mid-task.
    task = DBTaskResult.objects.get()
    task.claim(f"{host}:{_dead_pid()}")
    _worker_batch()
    assert len(mail.outbox) == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2


def test_live_claim_is_left_alone_until_stale(db_tasks):
    _queue_mail()
    task = DBTaskResult.objects.get()
    task.claim(worker_id_local())  # ourselves: alive
    call_command("tasks_requeue", verbosity=0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    call_command("tasks_requeue", "--stale-minutes", "-1", verbosity=0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
