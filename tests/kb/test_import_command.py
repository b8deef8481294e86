"""`manage.py kb_import PATH`: what lands in the knowledge base."""

import io
import re
import textwrap

import pytest
from django.core.management import CommandError, call_command

from kb.models import ArticlePage, CategoryPage
from kb.services.structure import kb_root
from kb.services.upsert import article_upsert
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHORTCODE_RE = re.compile(r"\{\{[<%]|[%>]\}\}")


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run_import(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("kb_import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts(output):
    match = re.search(
        r"created (\d+), updated (\d+), unchanged (\d+), failed (\d+)", output
    )
    assert match, output
    return dict(
        zip(
            ("created", "updated", "unchanged", "failed"),
            map(int, match.groups()),
            strict=True,
        )
    )


def article(key, lang):
    return ArticlePage.objects.get(source_key=key, locale__language_code=lang)


@pytest.fixture
def help_centre(tmp_path):
    root = tmp_path / "kb_acme" / "content"
    write(root, "_index.fr.md", '+++\ntitle = "Aide"\n+++\nBienvenue.')
    write(root, "_index.en.md", '+++\ntitle = "Help"\n+++\nWelcome.')
    write(
        root,
        "domains/_index.fr.md",
        '+++\ntitle = "Domaines"\nurl = "/fr/domaines/"\n+++\n'
        "Les domaines se gèrent dans l'onglet Domaines de votre interface.\n",
    )
    write(root, "domains/_index.en.md", '+++\ntitle = "Domains"\n+++\n')
    write(
        root,
        "domains/add-caa-record/index.fr.md",
        """
        +++
        title = "Ajouter un enregistrement CAA"
        url = "/fr/domaines/ajouter-caa/"
        tags = ["dns", "domaine"]
        +++

        Un enregistrement CAA liste les autorités autorisées à émettre des certificats.

        1. Allez dans **Domaines**,
            {{< fig "images/dns.fr.png" "Interface d'administration" >}}
        2. Choisissez **Ajouter**.

        {{% notice warning %}}
        Ne mettez pas la racine dans le **nom d'hôte**.
        {{% /notice %}}

        {{% notice tip %}}
        Copiez la valeur depuis votre autorité.
        {{% /notice %}}

        {{% notice info %}}
        La propagation prend quelques minutes.
        {{% /notice %}}

        {{% notice note %}}
        Les sous-domaines héritent de l'enregistrement.
        {{% /notice %}}

        Voir aussi les [délais](/domains/deadlines).
        """,
    )
    write(
        root,
        "domains/add-caa-record/index.en.md",
        """
        ---
        title: Adding a CAA record
        tags: [dns, domain]
        ---

        A CAA record lists the authorities allowed to issue certificates.

        ```sh
        dig CAA example.org
        ```

        See the [deadlines](../deadlines).
        """,
    )
    write(
        root,
        "domains/deadlines.en.md",
        '+++\ntitle = "Deadlines"\n+++\nDifferent dates apply to a domain renewal.',
    )
    write(root, "love.fr.md", '+++\ntitle = "Merci"\n+++\nMerci de votre soutien !')
    return root


def test_import_creates_categories_articles_and_translations(help_centre):
    out, _err = run_import(help_centre, "--attribution", "Acme docs (CC BY-SA 4.0)")

    assert counts(out) == {"created": 8, "updated": 0, "unchanged": 0, "failed": 0}
    fr, en = (
        article("domains/add-caa-record", "fr"),
        article("domains/add-caa-record", "en"),
    )
    assert fr.translation_key == en.translation_key
    assert fr.title == "Ajouter un enregistrement CAA"
    assert fr.get_url() == "/fr/kb/domaines/ajouter-caa/"
    assert en.get_url() == "/en/kb/domains/add-caa-record/"
    assert fr.live and en.live
    assert fr.tag_names() == ["dns", "domaine"]
    assert fr.summary == (
        "Un enregistrement CAA liste les autorités autorisées "
        "à émettre des certificats."
    )
    domains_fr = CategoryPage.objects.get(
        source_key="domains", locale__language_code="fr"
    )
    domains_en = CategoryPage.objects.get(
        source_key="domains", locale__language_code="en"
    )
    assert domains_fr.title == "Domaines"
    assert domains_fr.translation_key == domains_en.translation_key
    assert domains_fr.description.startswith("Les domaines se gèrent")
    # Root-level files live in the category of the root _index.
    assert article("love", "fr").get_parent().title == "Aide"


def test_imported_body_has_callouts_code_links_and_credit(help_centre):
    run_import(help_centre, "--attribution", "Acme docs (CC BY-SA 4.0)")
    fr, en = (
        article("domains/add-caa-record", "fr"),
        article("domains/add-caa-record", "en"),
    )
    deadlines = article("domains/deadlines", "en")

    fr_blocks = [(b.block_type, b.value) for b in fr.body]
    callouts = [v for t, v in fr_blocks if t == "callout"]
    assert [c["kind"] for c in callouts] == ["warning", "tip", "info", "notice"]
    assert "racine" in str(callouts[0]["text"])
    assert [
        v["code"] for t, v in ((b.block_type, b.value) for b in en.body) if t == "code"
    ] == ["dig CAA example.org"]

    for page in (fr, en):
        html = str(page.body_html())
        assert not SHORTCODE_RE.search(page.body_markdown())
        assert "images/dns" not in html
        # Both the absolute Hugo link and the relative one reach the page.
        assert f'href="{deadlines.get_url()}"' in html
        # The credit is a field shown under the article, not part of the text.
        assert "Acme docs" not in html
        assert page.attribution == "Acme docs (CC BY-SA 4.0)"


def test_imported_article_page_shows_formatted_callouts_and_the_credit(
    help_centre, client
):
    run_import(help_centre, "--attribution", "Acme docs (CC BY-SA 4.0)")

    html = client.get(article("domains/add-caa-record", "fr").url).content.decode()

    assert "<strong>nom d" in html
    assert "**" not in html
    assert "callout-tip" in html and "callout-info" in html
    assert "Source / crédit : Acme docs (CC BY-SA 4.0)" in html


def test_import_hash_is_kept_on_the_article_not_in_the_history(help_centre):
    run_import(help_centre)
    page = article("domains/deadlines", "en")

    assert len(page.import_hash) == 64
    assert all("[import:" not in e.summary for e in page.edits.all())


def test_changed_attribution_updates_unchanged_files(help_centre):
    run_import(help_centre, "--attribution", "Acme docs (CC BY-SA 4.0)")

    out, _ = run_import(help_centre, "--attribution", "Acme team (CC BY-SA 4.0)")

    assert counts(out) == {"created": 0, "updated": 4, "unchanged": 4, "failed": 0}
    assert article("love", "fr").attribution == "Acme team (CC BY-SA 4.0)"


def test_broken_front_matter_is_reported_and_the_rest_imported(help_centre):
    write(help_centre, "domains/broken.en.md", '+++\ntitle = "Oops\n+++\nText.')

    out, err = run_import(help_centre)

    assert counts(out)["created"] == 8
    assert counts(out)["failed"] == 1
    assert "domains/broken.en.md" in err
    assert "invalid TOML front matter" in err
    assert not ArticlePage.objects.filter(source_key="domains/broken").exists()


def test_reimport_is_idempotent_and_changed_files_get_a_new_revision(help_centre):
    run_import(help_centre)
    page = article("domains/deadlines", "en")
    revisions = page.revisions.count()

    out, _ = run_import(help_centre)
    assert counts(out) == {"created": 0, "updated": 0, "unchanged": 8, "failed": 0}
    assert page.revisions.count() == revisions

    write(
        help_centre,
        "domains/deadlines.en.md",
        '+++\ntitle = "Renewal deadlines"\n+++\nDifferent dates apply to renewals.',
    )
    out, _ = run_import(help_centre)
    assert counts(out) == {"created": 0, "updated": 1, "unchanged": 7, "failed": 0}
    page.refresh_from_db()
    assert page.title == "Renewal deadlines"
    assert page.revisions.count() == revisions + 1
    assert ArticlePage.objects.filter(source_key="domains/deadlines").count() == 1


def test_reimport_keeps_community_edits_of_unchanged_files(help_centre):

    run_import(help_centre)
    page = article("domains/deadlines", "en")
    article_upsert(
        parent=page.get_parent(),
        title=page.title,
        slug=page.slug,
        summary=page.summary,
        body_markdown="Improved by the community.",
        source_key=page.source_key,
        user=UserFactory(verified=True),
        summary_of_change="Clearer wording",
    )

    out, _ = run_import(help_centre)

    assert counts(out)["unchanged"] == 8
    page.refresh_from_db()
    assert "Improved by the community." in page.body_markdown()


def test_dry_run_writes_nothing(help_centre):
    out, _ = run_import(help_centre, "--dry-run")
    assert counts(out)["created"] == 8
    assert "[dry run]" in out
    assert not ArticlePage.objects.exists()
    assert not CategoryPage.objects.filter(source_key="domains").exists()


def test_language_filter(help_centre):
    out, _ = run_import(help_centre, "--lang", "fr")
    assert counts(out)["created"] == 4
    assert set(ArticlePage.objects.values_list("locale__language_code", flat=True)) == {
        "fr"
    }


def test_attribution_defaults_from_a_licence_file_above_the_tree(help_centre):
    (help_centre.parent / "LICENSE-CC-BY-SA-4.0.txt").write_text("licence")
    out, _ = run_import(help_centre)
    assert "Attribution: acme documentation contributors (CC BY-SA 4.0)" in out
    assert (
        article("love", "fr").attribution
        == "acme documentation contributors (CC BY-SA 4.0)"
    )


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run_import(tmp_path / "nowhere")


def test_single_language_tree_without_front_matter_or_sections(tmp_path):
    write(
        tmp_path,
        "doc-0012.en.md",
        '+++\ntitle = "Wifi issues"\nurl = "/doc-0012/"\n'
        "tags = []\n+++\n\nHi there, sorry for this! Please try these steps.",
    )
    write(tmp_path, "doc-0013.en.md", "Restart the router, then wait two minutes.")

    out, _ = run_import(tmp_path)

    assert counts(out) == {"created": 2, "updated": 0, "unchanged": 0, "failed": 0}
    page = article("doc-0012", "en")
    assert page.get_parent().title == "General"
    assert (
        article("doc-0013", "en").summary
        == "Restart the router, then wait two minutes."
    )


@pytest.mark.slow
def test_alwaysdata_help_centre_imports_completely_twice(shared_dir):
    tree = shared_dir / "data" / "kb_alwaysdata" / "content"
    if not tree.is_dir():
        pytest.skip("alwaysdata tree absent")

    out, err = run_import(tree)

    assert counts(out) == {"created": 478, "updated": 0, "unchanged": 0, "failed": 0}, (
        err
    )
    assert "alwaysdata documentation contributors (CC BY-SA 4.0)" in out
    fr = article("domains/add-caa-record", "fr")
    en = article("domains/add-caa-record", "en")
    assert fr.translation_key == en.translation_key
    keys = ArticlePage.objects.values_list("source_key", "translation_key")
    by_key = {}
    for key, translation_key in keys:
        by_key.setdefault(key, set()).add(translation_key)
    assert len(by_key) == 199
    assert all(len(translation_keys) == 1 for translation_keys in by_key.values())
    assert ArticlePage.objects.count() == 398
    for page in ArticlePage.objects.all()[:50]:
        assert not SHORTCODE_RE.search(page.body_markdown()), page.source_key

    out, _ = run_import(tree)
    assert counts(out) == {"created": 0, "updated": 0, "unchanged": 478, "failed": 0}


def test_categories_follow_the_hugo_menu_weight(tmp_path):
    write(tmp_path, "zeta/_index.en.md", '+++\ntitle = "Zeta"\nweight = 1\n+++\n')
    write(tmp_path, "alpha/_index.en.md", '+++\ntitle = "Alpha"\nweight = 2\n+++\n')
    write(tmp_path, "zeta/a.en.md", '+++\ntitle = "A"\n+++\nSome text here.')
    write(tmp_path, "alpha/b.en.md", '+++\ntitle = "B"\n+++\nSome text here.')

    run_import(tmp_path)

    titles = [c.title for c in kb_root("en").categories()]
    assert titles.index("Zeta") < titles.index("Alpha")


def test_file_without_language_suffix_is_explained(tmp_path):
    write(tmp_path, "a/good.en.md", '+++\ntitle = "Good"\n+++\nSome text here.')
    write(tmp_path, "a/README.md", "# Notes for writers")

    out, err = run_import(tmp_path)

    assert counts(out) == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert "a/README.md: no language suffix" in err
    assert article("a/good", "en").live


def test_front_matter_slug_and_symptoms_are_imported(tmp_path):
    write(tmp_path, "box/_index.fr.md", "---\ntitle: Box\nslug: la-box\n---\n")
    write(tmp_path, "box/_index.en.md", "---\ntitle: Router\nslug: router\n---\n")
    write(
        tmp_path,
        "box/lights.fr.md",
        "---\ntitle: Voyants\nslug: voyants\nsymptoms:\n- ma box clignote\n"
        "- voyant rouge\n---\nChaque voyant indique un état précis.\n",
    )
    write(
        tmp_path,
        "box/lights.en.md",
        "---\ntitle: Lights\nsymptoms: my box is blinking\n---\n"
        "Each light shows a state.\n",
    )

    run_import(tmp_path)

    fr, en = article("box/lights", "fr"), article("box/lights", "en")
    assert fr.url == "/fr/kb/la-box/voyants/"
    assert en.url == "/en/kb/router/lights/"
    assert fr.symptom_list() == ["ma box clignote", "voyant rouge"]
    assert en.symptom_list() == ["my box is blinking"]
    out, _ = run_import(tmp_path)
    assert counts(out)["unchanged"] == 4
