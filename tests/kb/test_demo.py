import io

from kb.demo import CONTENT_DIR, load_demo_articles
from kb.models import ArticlePage


def test_demo_articles_are_bilingual_and_idempotent(db, client):
    files = [p for p in CONTENT_DIR.rglob("*.md") if not p.name.startswith("_index")]
    first = load_demo_articles(io.StringIO())
    assert first["created"] == len(files) >= 20
    second = load_demo_articles(io.StringIO())
    assert second == {"created": 0, "updated": 0, "unchanged": len(files)}
    fr = ArticlePage.objects.get(
        source_key="demo/connexion/voyants-box", locale__language_code="fr"
    )
    en = ArticlePage.objects.get(
        source_key="demo/connexion/voyants-box", locale__language_code="en"
    )
    assert fr.translation_key == en.translation_key
    assert fr.url == "/fr/kb/connexion/voyants-box/"
    assert en.url == "/en/kb/connection/router-lights/"
    html = client.get(en.url).content.decode()
    assert "callout-warning" in html and "<ol" in html
    assert "Lire en français" in html
    for article in ArticlePage.objects.live():
        assert article.summary and article.symptoms
    # The history reads in the article's language.
    assert fr.edits.get().summary == "Importé depuis connexion/voyants-box.fr.md"
    assert en.edits.get().summary == "Imported from connexion/voyants-box.en.md"
