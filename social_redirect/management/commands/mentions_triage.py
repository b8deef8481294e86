import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from social_redirect.models import Mention
from social_redirect.services.mentions import (
    MentionError,
    mention_create,
    mention_reply,
    mention_triage,
    short_url,
)
from social_redirect.triage.decision import triage_text

CHUNK = 200


class Command(BaseCommand):
    help = (
        "Triage a JSONL file of posts ({id, text} plus optional lang, author, "
        "created_at, url) and write one JSON line per post: language, "
        "unhappiness, target, up to 5 candidates, short link and reply draft. "
        "The mentions and links are stored like any import."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)

    def handle(self, *args, input, output, **options):
        try:
            with open(input, encoding="utf-8") as handle:
                lines = [line for line in handle if line.strip()]
        except OSError as exc:
            raise CommandError(f"cannot read {input}: {exc}") from exc
        skipped = 0
        with open(output, "w", encoding="utf-8") as out:
            progress = tqdm(total=len(lines), desc="triage", unit="post", disable=None)
            for start in range(0, len(lines), CHUNK):
                # One commit per chunk: a burst is bound by disk syncs otherwise.
                with transaction.atomic():
                    for number, line in enumerate(
                        lines[start : start + CHUNK], start=start + 1
                    ):
                        progress.update()
                        try:
                            with transaction.atomic():
                                result = self.triage_one(json.loads(line))
                        except (
                            json.JSONDecodeError,
                            MentionError,
                            KeyError,
                            TypeError,
                        ) as exc:
                            skipped += 1
                            self.stderr.write(f"line {number}: {exc}")
                            continue
                        out.write(json.dumps(result, ensure_ascii=False) + "\n")
            progress.close()
        self.stdout.write(f"{len(lines) - skipped} triaged, {skipped} skipped")

    def triage_one(self, record):
        text = str(record["text"])
        lang = record.get("lang")
        result = triage_text(text, lang)
        mention, _created = mention_create(
            source=Mention.Source.IMPORT,
            text=text,
            external_id=f"batch:{record['id']}",
            url=record.get("url") or "",
            author_handle=record.get("author") or "",
            lang=result.lang,
            posted_at=record.get("created_at"),
            triage=False,
        )
        _result, link = mention_triage(mention=mention, result=result)
        if result.target_kind in ("article", "topic"):
            best = result.best
            target = {
                "kind": best.kind,
                "source": best.source,
                "url": best.url,
                "title": best.title,
                "confidence": result.confidence,
                "level": result.level,
            }
        elif result.target_kind == "none":
            target = {"kind": "none"}
        else:
            target = {"kind": "ticket", "url": link.target_path}
        return {
            "id": record["id"],
            "lang": result.lang,
            "unhappy": result.unhappy,
            "unhappiness": result.unhappiness,
            "target": target,
            "reasons": result.signals,
            "level": result.level,
            "semantic": result.semantic,
            "features": result.features,
            "candidates": [c.as_dict() for c in result.candidates],
            "link": short_url(link) if link else "",
            "reply": mention_reply(mention, link=link),
        }
