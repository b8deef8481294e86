from django.urls import reverse
from django.utils import translation

from kb import selectors
from kb.services.upsert import article_upsert
from tests.factories import UserFactory


def test_article_is_served_in_both_languages_with_a_link_to_the_other(kb, client):
    fr = client.get("/fr/kb/connexion/box-clignote/")
    en = client.get("/en/kb/connection/box-blinking/")
    assert fr.status_code == 200 and en.status_code == 200
    assert "Redémarrer la box" in fr.content.decode()
    assert "Restart the box" in en.content.decode()
    assert 'href="/en/kb/connection/box-blinking/"' in fr.content.decode()
    assert 'href="/fr/kb/connexion/box-clignote/"' in en.content.decode()
    assert kb.article_fr.translation_key == kb.article_en.translation_key


def test_article_page_shows_breadcrumbs_toc_symptoms_and_related(kb, client):
    html = client.get(kb.article_fr.url).content.decode()
    crumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert 'href="/fr/kb/connexion/"' in crumbs and 'href="/fr/kb/"' in crumbs
    # Three headings → a table of contents pointing at anchors.
    assert 'href="#redemarrer-la-box"' in html
    assert 'id="redemarrer-la-box"' in html
    assert "ma box clignote" in html
    assert "Connexion lente" in html  # related: shares the "box" tag


def test_shared_article_previews_with_its_title_and_address(kb, client, settings):
    settings.SITE_URL = "https://help.example.org"
    html = client.get("/en/kb/connection/box-blinking/?via=abc").content.decode()
    url = "https://help.example.org/en/kb/connection/box-blinking/"
    assert f'<meta property="og:url" content="{url}">' in html
    assert f'<meta property="og:title" content="{kb.article_en.title}">' in html
    assert 'property="og:locale" content="en_GB"' in html


def test_short_article_has_no_toc(kb, client):
    html = client.get(kb.other_fr.url).content.decode()
    assert "kb-toc" not in html


def test_kb_index_and_categories_in_each_language(kb, client):
    with translation.override("en"):
        url = reverse("kb:index")
    assert url == "/en/kb/"
    en = client.get(url)
    assert en.status_code == 200
    assert "Connection" in en.content.decode()
    assert "My box is blinking" in en.content.decode()
    fr_cat = client.get("/fr/kb/connexion/")
    assert "Ma box clignote" in fr_cat.content.decode()
    assert "My box is blinking" not in fr_cat.content.decode()


def test_search_document_contract(kb):
    doc = kb.article_fr.search_document()
    assert doc["kind"] == "article"
    assert doc["id"] == f"article:{kb.article_fr.pk}"
    assert doc["lang"] == "fr"
    assert doc["url"] == "/fr/kb/connexion/box-clignote/"
    assert doc["category"] == "Connexion"
    assert doc["tags"] == ["box", "voyant"]
    assert "Débranchez la box." in doc["body"]
    assert "<" not in doc["body"]
    assert doc["symptoms"].splitlines() == ["ma box clignote", "plus d'internet"]
    assert doc["helpfulness"] is None
    assert doc["updated_at"] is not None


def test_popular_articles_are_per_language(kb):
    fr_titles = {a.title for a in selectors.popular_articles("fr", 10)}
    en_titles = {a.title for a in selectors.popular_articles("en", 10)}
    assert fr_titles == {"Ma box clignote", "Connexion lente"}
    assert en_titles == {"My box is blinking"}
    assert kb.article_en.summary == selectors.popular_articles("en", 1)[0].summary


def test_article_upsert_is_idempotent_and_revisions_changes(kb):

    page, status = article_upsert(
        parent=kb.cat_fr,
        title="Connexion lente",
        slug="connexion-lente",
        body_markdown="Testez le débit.\n",
        tags=["box"],
        summary="Résumé de Connexion lente",
    )
    assert status == "unchanged" and page.pk == kb.other_fr.pk
    page, status = article_upsert(
        parent=kb.cat_fr,
        title="Connexion lente",
        slug="connexion-lente",
        body_markdown="Testez le débit sur fibre.\n",
        tags=["box"],
        summary="Résumé de Connexion lente",
    )
    assert status == "updated"
    assert page.revisions.count() == 2
    assert "sur fibre" in page.body_text()


def test_unknown_article_is_404(kb, client):
    assert client.get("/fr/kb/connexion/nope/").status_code == 404


def test_interface_speaks_the_page_language(kb, client):
    fr = client.get(kb.article_fr.url).content.decode()
    en = client.get(kb.article_en.url).content.decode()
    assert "Cet article vous a-t-il aidé ?" in fr and "Historique" in fr
    assert "Did this article help you?" in en and "History" in en


def test_staff_edit_articles_in_the_wagtail_admin(kb, client):

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(f"/cms/pages/{kb.article_fr.pk}/edit/")
    assert response.status_code == 200
    # The Markdown source is what the admin's StreamField editor holds.
    assert "Attendez dix secondes." in response.content.decode()
