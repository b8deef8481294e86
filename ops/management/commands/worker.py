from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ops.services import tasks_requeue_orphaned, worker_id_local


class Command(DbWorkerCommand):
    help = (
        "Run the background task worker (django-tasks-db's db_worker, same "
        "options). At start it first requeues the tasks a dead worker of this "
        "host left half-done, so a crash costs a re-run, not a lost task."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id_local(), reload=False)

    def handle(self, *args, **options):
        report = tasks_requeue_orphaned()
        if report["requeued"] or report["failed"]:
            self.stdout.write(
                f"{report['requeued']} orphaned task(s) requeued, "
                f"{report['failed']} given up."
            )
        super().handle(*args, **options)
