from django.core.management.base import BaseCommand

from ops.services import tasks_requeue_orphaned


class Command(BaseCommand):
    help = (
        "Run again the tasks whose worker died mid-task (database task backend): "
        "claims by a dead worker process of this host, or older than "
        "TASKS_STALE_MINUTES. A task that killed its worker 3 times is failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=None,
            help="Age after which any claim is considered lost.",
        )

    def handle(self, *args, stale_minutes, **options):
        report = tasks_requeue_orphaned(stale_minutes=stale_minutes)
        self.stdout.write(
            f"{report['requeued']} task(s) requeued, {report['failed']} given up."
        )
