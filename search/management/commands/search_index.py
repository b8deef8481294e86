from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from tqdm import tqdm

from search import embeddings, indexing, services, vectors
from search.backends import elastic
from search.models import IndexUpdate, SearchDocument, VocabularyTerm


class Command(BaseCommand):
    help = (
        "Maintain the search index. rebuild: index every public article and topic "
        "from scratch; update: index what changed and drop what is no longer "
        "public, then replay queued Elasticsearch updates; retry: replay queued "
        "Elasticsearch updates only; vectors: embed the documents that lack "
        "sentence embeddings of the current models (after a model change); "
        "status: counts and backend health."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action", choices=["rebuild", "update", "retry", "vectors", "status"]
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="update: report what would be indexed or removed, change nothing.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Hide progress bars."
        )

    def handle(self, *args, action, dry_run=False, no_progress=False, **options):
        self.progress = not no_progress
        getattr(self, f"do_{action}")(dry_run=dry_run)

    def _bar(self, total, desc):
        return tqdm(total=total, desc=desc, unit="doc", disable=not self.progress)

    def do_rebuild(self, dry_run=False):
        if dry_run:
            raise CommandError("rebuild has no --dry-run; use `update --dry-run`.")
        total, docs = indexing.all_documents()
        with self._bar(total, "embedded index") as bar:
            count = services.documents_replace(docs, progress=bar.update)
        self.stdout.write(f"Embedded index: {count} documents.")
        if services.elasticsearch_enabled():
            rows = SearchDocument.objects.order_by("pk").iterator(chunk_size=500)
            try:
                with self._bar(count, "elasticsearch") as bar:
                    name = elastic.rebuild(rows, progress=bar.update)
            except Exception as exc:
                raise CommandError(
                    f"Elasticsearch rebuild failed ({type(exc).__name__}: {exc}); "
                    "searches use the embedded index meanwhile."
                ) from exc
            IndexUpdate.objects.all().delete()
            self.stdout.write(f"Elasticsearch: new index {name} is live.")

    def do_update(self, dry_run=False):
        total, docs = indexing.all_documents()
        known = dict(SearchDocument.objects.values_list("doc_id", "updated_at"))
        seen = set()
        indexed = 0
        with self._bar(total, "update") as bar:
            for doc in docs:
                doc_id = str(doc["id"])
                if ":" not in doc_id:
                    doc_id = f"{doc['kind']}:{doc_id}"
                seen.add(doc_id)
                if doc_id not in known or known[doc_id] != doc.get("updated_at"):
                    indexed += 1
                    if not dry_run:
                        services.document_upsert(doc)
                bar.update(1)
        stale = sorted(set(known) - seen)
        for doc_id in stale:
            if dry_run:
                self.stdout.write(f"would remove {doc_id}")
            else:
                services.document_delete(kind=doc_id.split(":", 1)[0], id=doc_id)
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{indexed} documents {verb} (re)indexed, {len(stale)} {verb} removed."
        )
        if not dry_run:
            self.do_retry()

    def do_retry(self, dry_run=False):
        if not services.elasticsearch_enabled():
            self.stdout.write("Elasticsearch is not configured: nothing to retry.")
            return
        applied, queued = services.index_updates_retry()
        self.stdout.write(
            f"Elasticsearch: {applied} queued updates applied, {queued} left."
        )

    def do_vectors(self, dry_run=False):
        if dry_run:
            raise CommandError("vectors has no --dry-run; `status` counts them.")
        if not embeddings.available():
            raise CommandError(
                f"The embedding models cannot be loaded ({embeddings.model_status()})"
                "; matching stays lexical meanwhile."
            )
        missing = vectors.documents_without_vectors().count()
        with self._bar(missing, "embeddings") as bar:
            count = vectors.document_vectors_fill(progress=bar.update)
        self.stdout.write(f"Embeddings: {count} documents embedded.")

    def do_status(self, dry_run=False):
        health = services.backend_health()
        self.stdout.write(f"Backend: {health['backend']}")
        rows = (
            SearchDocument.objects.values("kind", "lang")
            .annotate(n=Count("id"))
            .order_by("kind", "lang")
        )
        for row in rows:
            self.stdout.write(f"  {row['kind']:8} {row['lang']}: {row['n']}")
        self.stdout.write(f"Documents: {health['documents']}")
        self.stdout.write(f"Vocabulary: {VocabularyTerm.objects.count()} words")
        self.stdout.write(
            "Documents without embeddings: "
            f"{vectors.documents_without_vectors().count()}"
        )
        if services.elasticsearch_enabled():
            self.stdout.write(
                f"Queued Elasticsearch updates: {IndexUpdate.objects.count()}"
            )
            self.stdout.write(f"Elasticsearch: {health.get('elasticsearch')}")
