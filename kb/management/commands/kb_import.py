"""``manage.py kb_import PATH``: import a Hugo-style help centre into the KB."""

import re
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kb.importer.parsing import SUPPORTED_LANGS
from kb.importer.persist import TreeImporter
from kb.importer.tree import load_tree

LICENSE_LABELS = {"CC-BY-SA": "CC BY-SA"}


def detect_attribution(path):
    """Default credit when a CC BY-SA licence file sits beside or above the tree.

    ``kb_alwaysdata/LICENSE-CC-BY-SA-4.0.txt`` gives
    "alwaysdata documentation contributors (CC BY-SA 4.0)".
    """
    for folder in (path, path.parent):
        for licence in sorted(folder.glob("LICENSE-CC-BY-SA*")):
            version = re.search(r"(\d+(?:\.\d+)*)", licence.stem)
            label = "CC BY-SA" + (f" {version.group(1)}" if version else "")
            owner = re.sub(r"^(?:kb|docs?|help)[_-]", "", folder.name) or folder.name
            if folder == path:
                owner = path.parent.name
            return f"{owner} documentation contributors ({label})"
    return ""


class Command(BaseCommand):
    help = (
        "Import a tree of Markdown help articles (Hugo layout: NAME.LANG.md, "
        "DIR/index.LANG.md, _index.LANG.md for categories; TOML or YAML front "
        "matter) into the knowledge base. Re-running only writes what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Root folder of the content tree.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Parse and report what would change; write nothing.",
        )
        parser.add_argument(
            "--lang",
            action="append",
            choices=SUPPORTED_LANGS,
            help="Only import this language (repeatable). Default: all.",
        )
        parser.add_argument(
            "--default-lang",
            choices=SUPPORTED_LANGS,
            help=(
                "Language of files without a .LANG suffix "
                "(default: report them as failed)."
            ),
        )
        parser.add_argument(
            "--attribution",
            help=(
                'Credit shown on every imported article, e.g. "alwaysdata '
                'documentation contributors (CC BY-SA 4.0)". Default: detected '
                "from a LICENSE-CC-BY-SA* file beside or above PATH."
            ),
        )

    def handle(self, *args, **options):
        path = Path(options["path"]).expanduser()
        if not path.is_dir():
            raise CommandError(f"{path} does not exist or is not a folder.")
        attribution = options["attribution"]
        if attribution is None:
            attribution = detect_attribution(path.resolve())
        started = time.monotonic()
        tree = load_tree(
            path,
            langs=set(options["lang"] or ()),
            default_lang=options["default_lang"],
        )

        def progress(total):
            return tqdm(
                total=total,
                desc="kb_import",
                unit="file",
                file=self.stderr,
                disable=None,
            )

        importer = TreeImporter(
            tree,
            attribution=attribution,
            dry_run=options["dry_run"],
            progress=progress,
        )
        report = importer.run()
        self._print_report(report, options, time.monotonic() - started, attribution)

    def _print_report(self, report, options, elapsed, attribution):
        verbosity = options["verbosity"]
        if verbosity >= 2:
            for result in report.results:
                self.stdout.write(f"{result.status:>9}  {result.rel}")
        prefix = "[dry run] " if options["dry_run"] else ""
        summary = (
            f"{prefix}{len(report.results)} files in {elapsed:.1f}s: "
            f"created {report.count('created')}, "
            f"updated {report.count('updated')}, "
            f"unchanged {report.count('unchanged')}, "
            f"failed {report.count('failed')}"
        )
        if report.skipped:
            summary += f" (skipped {report.skipped} of other languages)"
        if attribution and verbosity >= 1:
            self.stdout.write(f"Attribution: {attribution}")
        if report.unresolved_links and verbosity >= 1:
            shown = report.unresolved_links[: 10 if verbosity < 2 else None]
            self.stdout.write(
                f"{len(report.unresolved_links)} local links point to no imported "
                "page (kept as text):"
            )
            for rel, target in shown:
                self.stdout.write(f"  {rel}: {target}")
        if report.failures:
            self.stderr.write(self.style.ERROR(f"{len(report.failures)} files failed:"))
            for failure in report.failures:
                self.stderr.write(
                    self.style.ERROR(f"  {failure.rel}: {failure.reason}")
                )
            self.stdout.write(self.style.WARNING(summary))
        else:
            self.stdout.write(self.style.SUCCESS(summary))
