from django.core.management.base import BaseCommand
from tqdm import tqdm

from outbox.selectors import mail_due
from outbox.services import mail_retry


class Command(BaseCommand):
    help = (
        "Send again the e-mails that could not be delivered (run it from cron "
        "every few minutes). Pending mails are retried when due; --failed also "
        "retries mails that used up their attempts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--failed",
            action="store_true",
            help="Also retry mails marked failed after too many attempts.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent."
        )

    def handle(self, *args, failed, dry_run, **options):
        mails = list(mail_due(include_failed=failed))
        if dry_run:
            for mail in mails:
                self.stdout.write(
                    f"{mail.pk} {mail.kind} → {mail.to} ({mail.status}, "
                    f"{mail.attempts} attempts) {mail.last_error[:80]}"
                )
            self.stdout.write(f"{len(mails)} mail(s) would be retried.")
            return
        sent, failing = mail_retry(mails=tqdm(mails, desc="mails", disable=not mails))
        style = self.style.SUCCESS if not failing else self.style.WARNING
        self.stdout.write(style(f"{sent} sent, {failing} still failing."))
