from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from social_redirect.services.poll import PollError, mentions_poll


class Command(BaseCommand):
    help = (
        "Fetch recent mentions from the X API v2 (recent search) when "
        "X_BEARER_TOKEN is set. Resumes after the last post seen (since_id) "
        "and stops at the monthly read cap (SOCIAL_X_MONTHLY_READ_CAP)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--query",
            default="",
            help="X search query (default: settings.SOCIAL_X_QUERY).",
        )
        parser.add_argument(
            "--max", type=int, default=100, help="Posts to read at most."
        )

    def handle(self, *args, query, max, **options):
        if not settings.X_BEARER_TOKEN:
            self.stdout.write("X_BEARER_TOKEN is not set: nothing to poll.")
            return
        try:
            report = mentions_poll(query=query or settings.SOCIAL_X_QUERY, limit=max)
        except PollError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{report['read']} read, {report['created']} new, "
            f"{report['reads_left']} reads left this month"
        )
