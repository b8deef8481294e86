import contextlib
import logging
import signal
import time

from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from ops.schedule import Job, jobs_enabled

logger = logging.getLogger("ops.scheduler")


def job_run(job: Job) -> None:
    """Run one job's command; a failing job is logged, the scheduler goes on."""
    close_old_connections()
    started = time.monotonic()
    try:
        call_command(*job.command)
    except Exception:
        logger.exception("Scheduled job %s failed", job.name)
    else:
        logger.info(
            "Scheduled job %s done in %.1fs", job.name, time.monotonic() - started
        )
    finally:
        close_old_connections()


def scheduler_build(jobs: list[Job]) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone=settings.TIME_ZONE,
        # One run of a job at a time; runs missed while the process was down
        # or busy are merged into one.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        executors={"default": {"type": "threadpool", "max_workers": 2}},
    )
    for job in jobs:
        scheduler.add_job(job_run, job.trigger, args=[job], id=job.name, **job.when)
    return scheduler


class Command(BaseCommand):
    help = (
        "Run the periodic jobs of ops/schedule.py (mail retry, search retry, "
        "mention polling, session cleanup, task housekeeping). Run exactly one "
        "scheduler per site. --list shows the jobs; --run NAME runs one now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="List the jobs.")
        parser.add_argument("--run", metavar="NAME", help="Run one job now and exit.")

    def handle(self, *args, list=False, run=None, **options):
        jobs = jobs_enabled()
        if run:
            job = next((j for j in jobs if j.name == run), None)
            if job is None:
                names = ", ".join(j.name for j in jobs)
                raise CommandError(f"No enabled job named {run!r} (jobs: {names}).")
            call_command(*job.command, stdout=self.stdout, stderr=self.stderr)
            return
        if list:
            for job in jobs:
                when = ", ".join(f"{k}={v}" for k, v in job.when.items())
                command = " ".join(job.command)
                self.stdout.write(f"{job.name:16} {job.trigger} {when:22} {command}")
            return
        logging.getLogger("ops").setLevel(logging.INFO)
        scheduler = scheduler_build(jobs)

        def stop(signum, frame):
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Scheduler: {len(jobs)} jobs; SIGTERM or Ctrl+C stops it.")
        with contextlib.suppress(KeyboardInterrupt):
            scheduler.start()
