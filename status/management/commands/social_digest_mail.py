from django.core.management.base import BaseCommand

from status.services import digest_mail


class Command(BaseCommand):
    help = (
        "E-mail the escalation digest (last 24 hours, last 7 days) to staff, with "
        "a link to the page and its charts. Run it once a day (cron or worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="print the mail, send nothing"
        )

    def handle(self, *args, **options):
        to, subject, body = digest_mail(send=not options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"To: {', '.join(to) or '(no staff address)'}")
            self.stdout.write(f"Subject: {subject}\n\n{body}")
        else:
            self.stdout.write(f"digest sent to {len(to)} staff address(es)")
