from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from social_redirect.services.mentions import (
    MentionError,
    lexical_first,
    mention_import_record,
    read_rows,
)
from social_redirect.tasks import mentions_refine_later

CHUNK = 200


class Command(BaseCommand):
    help = (
        "Import mentions from a CSV, JSON or JSONL file (our JSONL, an X archive, "
        "API v2 tweets, or the 'Customer Support on Twitter' CSV with "
        "tweet_id,author_id,inbound,created_at,text). Posts already stored are "
        "skipped; bad rows are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--no-triage", action="store_true", help="Store only; triage later."
        )

    def handle(self, *args, file, no_triage, **options):
        try:
            rows = list(read_rows(file))
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        created = duplicates = 0
        errors = []
        # A big file is stored with the lexical triage first, refined after.
        fast = not no_triage and lexical_first(len(rows))
        progress = tqdm(total=len(rows), desc="mentions", unit="row", disable=None)
        for start in range(0, len(rows), CHUNK):
            # One commit per chunk: a burst is bound by disk syncs otherwise.
            with transaction.atomic():
                for number, row in rows[start : start + CHUNK]:
                    progress.update()
                    if isinstance(row, Exception):
                        errors.append((number, str(row)))
                        continue
                    try:
                        _mention, was_created = mention_import_record(
                            row=row,
                            triage=not no_triage,
                            semantic=False if fast else None,
                        )
                    except MentionError as exc:
                        errors.append((number, str(exc)))
                        continue
                    created += was_created
                    duplicates += not was_created
        progress.close()
        if fast and created:
            self.stdout.write("refining the triage with the embeddings…")
            mentions_refine_later()
        for number, message in errors:
            self.stderr.write(f"row {number}: {message}")
        self.stdout.write(
            f"{created} imported, {duplicates} already present, {len(errors)} skipped"
        )
