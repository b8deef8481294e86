"""Demo knowledge base for ``manage.py load_demo``: original articles for the
imaginary provider "Entraide Telecom", French and English, as Markdown files
in ``content/`` (the Hugo layout ``manage.py kb_import`` reads: ``_index.LANG.md``
for a category, ``NAME.LANG.md`` for an article, translations share NAME).

They go through the same importer, under the source keys ``demo/…``, credited
to the demo account "trusted". Idempotent: a second run reports everything
unchanged.
"""

from pathlib import Path

from django.contrib.auth import get_user_model

from kb.importer.persist import TreeImporter
from kb.importer.tree import load_tree

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SOURCE_KEY_PREFIX = "demo/"


class DemoContentError(Exception):
    """A demo file the importer refused: a bug in ``content/``."""


def load_demo_articles(stdout):
    """Create or refresh the demo articles; prints a one-line report."""
    tree = load_tree(CONTENT_DIR)
    user = get_user_model().objects.filter(username="trusted").first()
    report = TreeImporter(tree, source_key_prefix=SOURCE_KEY_PREFIX, user=user).run()
    if report.failures:
        raise DemoContentError(
            "; ".join(f"{f.rel}: {f.reason}" for f in report.failures)
        )
    articles = {
        version.source.rel
        for node in tree.articles.values()
        for version in node.versions.values()
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for result in report.results:
        if result.rel in articles:
            counts[result.status] += 1
    stdout.write(
        "KB demo: {created} created, {updated} updated, {unchanged} unchanged "
        "articles.\n".format(**counts)
    )
    return counts
