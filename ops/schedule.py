"""The periodic jobs, in one list: `manage.py scheduler` runs them.

Each job is a management command, so an operator can run any of them by hand.
To add, rename or re-time a job, edit JOBS (tests/ops checks every command
exists). Jobs run in the scheduler process, one instance at a time; missed runs
(scheduler down) are coalesced into one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings


def _x_configured() -> bool:
    return bool(settings.X_BEARER_TOKEN)


def _database_tasks() -> bool:
    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db.")


def _always() -> bool:
    return True


@dataclass(frozen=True)
class Job:
    name: str
    # manage.py command and its arguments.
    command: tuple[str, ...]
    # APScheduler trigger: "interval" (minutes=…) or "cron" (hour=…, minute=…).
    trigger: str
    when: dict
    enabled: Callable[[], bool] = field(default=_always)


JOBS = [
    # Ticket mails the mail server refused; deferred retries normally go
    # through the worker, this catches mails whose enqueue itself failed.
    Job("mail_retry", ("mail_retry",), "interval", {"minutes": 5}),
    # Elasticsearch updates queued while it was down.
    Job(
        "search_retry",
        ("search_index", "retry", "--no-progress"),
        "interval",
        {"minutes": 5},
    ),
    Job(
        "mentions_poll", ("mentions_poll",), "interval", {"minutes": 15}, _x_configured
    ),
    Job("clearsessions", ("clearsessions",), "cron", {"hour": 3, "minute": 17}),
    # Tasks whose worker died mid-task (kill -9, OOM, host lost) run again.
    Job(
        "tasks_requeue", ("tasks_requeue",), "interval", {"minutes": 5}, _database_tasks
    ),
    Job(
        "tasks_prune",
        ("prune_db_task_results", "--min-age-days", str(settings.TASKS_RESULT_DAYS)),
        "cron",
        {"hour": 3, "minute": 37},
        _database_tasks,
    ),
    # Spikes of unhappy mentions against the usual level for that hour.
    Job("social_spikes", ("social_spikes",), "interval", {"minutes": 3}),
    # The escalation digest mailed to staff every morning.
    Job(
        "social_digest_mail", ("social_digest_mail",), "cron", {"hour": 7, "minute": 5}
    ),
]


def jobs_enabled() -> list[Job]:
    return [job for job in JOBS if job.enabled()]
