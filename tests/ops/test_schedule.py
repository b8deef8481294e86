from datetime import UTC, datetime

from django.core.management import call_command, get_commands
from django.test import override_settings

from ops import schedule
from ops.management.commands.scheduler import scheduler_build

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _names():
    return [job.name for job in schedule.jobs_enabled()]


def test_every_scheduled_job_is_an_existing_command():
    commands = get_commands()
    for job in schedule.JOBS:
        assert job.command[0] in commands, f"{job.name}: no command {job.command[0]}"


@override_settings(X_BEARER_TOKEN="", TASKS=DB_TASKS)
def test_schedule_has_mail_search_sessions_and_task_housekeeping():
    names = _names()
    for name in ("mail_retry", "search_retry", "clearsessions"):
        assert name in names
    assert "tasks_requeue" in names and "tasks_prune" in names
    # Polling X costs money per read: only when a token is configured.
    assert "mentions_poll" not in names


@override_settings(X_BEARER_TOKEN="token")
def test_mentions_polled_only_when_x_is_configured():
    assert "mentions_poll" in _names()
    # Task housekeeping is pointless with the immediate backend.
    assert "tasks_requeue" not in _names()


@override_settings(X_BEARER_TOKEN="token", TASKS=DB_TASKS)
def test_scheduler_plans_every_enabled_job():
    scheduler = scheduler_build(schedule.jobs_enabled())
    now = datetime.now(UTC)
    planned = {
        job.id: job.trigger.get_next_fire_time(None, now)
        for job in scheduler.get_jobs()
    }
    assert set(planned) == set(_names())
    assert all(when and when > now for when in planned.values())
    assert planned["clearsessions"].hour == 3


def test_scheduler_list_and_run_one(capsys, db):
    call_command("scheduler", "--list")
    out = capsys.readouterr().out
    assert "mail_retry" in out and "clearsessions" in out
    call_command("scheduler", "--run", "search_retry")
    assert "nothing to retry" in capsys.readouterr().out
