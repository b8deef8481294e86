"""Reading a Hugo help-centre tree (no database)."""

import re
import textwrap

import pytest

from config.sanitize import markdown_to_html
from kb.importer.content import convert_shortcodes, normalize_markdown, split_segments
from kb.importer.parsing import SourceError, classify, split_front_matter
from kb.importer.tree import load_tree, rewrite_version_links

SHORTCODE_RE = re.compile(r"\{\{[<%]|[%>]\}\}")


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def final_segments(tree, key, lang):
    def url_for(target_key, target_lang):
        target = tree.articles.get(target_key) or tree.sections.get(target_key)
        if target and target_lang in target.versions:
            return f"/{target_lang}/kb/{target_key}/"
        return None

    node = tree.articles.get(key) or tree.sections[key]
    segments, _ = rewrite_version_links(tree, node.versions[lang], url_for)
    return segments


def all_text(segments):
    return "\n".join(s.get("text", "") + s.get("code", "") for s in segments)


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        (
            "domains/add-caa-record/index.en.md",
            ("domains/add-caa-record", "en", "article"),
        ),
        ("domains/deadlines.fr.md", ("domains/deadlines", "fr", "article")),
        ("domains/_index.fr.md", ("domains", "fr", "section")),
        ("_index.en.md", ("", "en", "section")),
        ("doc-0012.en.md", ("doc-0012", "en", "article")),
        ("notes.txt", None),
        ("readme.md", None),
    ],
)
def test_file_names_give_source_key_language_and_kind(rel, expected):
    assert classify(rel) == expected


def test_unsuffixed_files_take_the_default_language():
    assert classify("faq.md", default_lang="fr") == ("faq", "fr", "article")


def test_toml_and_yaml_front_matter_are_read():
    front, body = split_front_matter(
        '+++\ntitle = "Ajouter un enregistrement"\ntags = ["dns"]\n'
        "weight = 3\n+++\n\nTexte"
    )
    assert front == {"title": "Ajouter un enregistrement", "tags": ["dns"], "weight": 3}
    assert body == "Texte"
    front, body = split_front_matter(
        "---\ntitle: Add a record\ntags: [dns, caa]\n---\nText"
    )
    assert front == {"title": "Add a record", "tags": ["dns", "caa"]}
    assert body == "Text"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('+++\ntitle = "unterminated\n+++\nbody', "invalid TOML"),
        ("---\ntitle: [oops\n---\nbody", "invalid YAML"),
        ('+++\ntitle = "x"\nbody without end', "unterminated TOML"),
        ("---\n- a\n- b\n---\nbody", "not a table"),
    ],
)
def test_broken_front_matter_is_explained(text, reason):
    with pytest.raises(SourceError, match=reason):
        split_front_matter(text)


def test_tree_groups_translations_sections_and_nested_folders(tmp_path):
    write(tmp_path, "_index.fr.md", '+++\ntitle = "Aide"\n+++\n')
    write(
        tmp_path, "domains/_index.fr.md", '+++\ntitle = "Domaines"\nweight = 30\n+++\n'
    )
    write(tmp_path, "domains/_index.en.md", '+++\ntitle = "Domains"\n+++\n')
    write(
        tmp_path,
        "domains/add-caa-record/index.fr.md",
        '+++\ntitle = "Ajouter un CAA"\nurl = "/fr/domaines/ajouter-caa/"\n'
        'tags = ["dns", "domaine"]\n+++\nUn enregistrement CAA liste les autorités.\n',
    )
    write(
        tmp_path,
        "domains/add-caa-record/index.en.md",
        "---\ntitle: Adding a CAA record\ntags: [dns]\n---\n"
        "A CAA record lists the approved authorities.\n",
    )
    write(tmp_path, "e-mails/clients/gmail.en.md", '+++\ntitle = "Gmail"\n+++\nHello.')
    write(tmp_path, "love.fr.md", '+++\ntitle = "Merci"\n+++\nMerci à vous tous.')

    tree = load_tree(tmp_path)

    assert tree.failures == []
    assert tree.file_count() == 7
    caa = tree.articles["domains/add-caa-record"]
    assert set(caa.versions) == {"fr", "en"}
    assert caa.versions["fr"].title == "Ajouter un CAA"
    assert caa.versions["fr"].slug == "ajouter-caa"  # translated slug from `url`
    assert caa.versions["en"].slug == "add-caa-record"
    assert caa.versions["fr"].source.tags == ["dns", "domaine"]
    assert tree.sections["domains"].weight == 30
    assert tree.sections["domains"].title("en") == "Domains"
    # A folder without _index files still becomes a (nested) category.
    assert "e-mails" in tree.sections and "e-mails/clients" in tree.sections
    assert tree.sections["e-mails/clients"].title("en") == "Clients"
    # Root articles live in the root category, titled by the root _index.
    assert tree.articles["love"].parent_key == ""
    assert tree.sections[""].title("fr") == "Aide"


def test_broken_file_is_reported_and_the_rest_is_read(tmp_path):
    write(tmp_path, "a/good.en.md", '+++\ntitle = "Good"\n+++\nFine text here.')
    write(tmp_path, "a/bad.en.md", '+++\ntitle = "Bad\n+++\nBroken.')
    write(tmp_path, "a/latin1.en.md", "")
    (tmp_path / "a/latin1.en.md").write_bytes(b'+++\ntitle = "caf\xe9"\n+++\n')

    tree = load_tree(tmp_path)

    assert list(tree.articles) == ["a/good"]
    reasons = {f.rel: f.reason for f in tree.failures}
    assert "invalid TOML front matter" in reasons["a/bad.en.md"]
    assert "not valid UTF-8" in reasons["a/latin1.en.md"]


def test_language_filter_skips_other_languages(tmp_path):
    write(tmp_path, "a/x.fr.md", '+++\ntitle = "X"\n+++\nTexte.')
    write(tmp_path, "a/x.en.md", '+++\ntitle = "X"\n+++\nText.')
    tree = load_tree(tmp_path, langs={"fr"})
    assert set(tree.articles["a/x"].versions) == {"fr"}
    assert tree.skipped == 1


def test_notices_become_callouts_and_figures_disappear():
    body = textwrap.dedent(
        """
        Intro text for the article.

        1. Go to **Domains**,
            {{< fig "images/list.en.png" "Administration interface" >}}
        2. Click.

        {{% notice warning %}}
        Do not put the root into the **Hostname**.
        {{% /notice %}}

        {{% notice tip "Good to know" %}}
        A tip.
        {{% /notice %}}

        {{< youtube abc >}}
        {{< tabs >}}Inner kept{{< /tabs >}}
        """
    )
    text, callouts = convert_shortcodes(body, "en")
    segments = split_segments(text, callouts)

    assert not SHORTCODE_RE.search(all_text(segments))
    callouts = [s for s in segments if s["type"] == "callout"]
    assert callouts[0]["kind"] == "warning"
    assert "Do not put the root" in callouts[0]["text"]
    assert callouts[1] == {
        "type": "callout",
        "kind": "tip",
        "title": "Good to know",
        "text": "A tip.",
    }
    assert "Inner kept" in all_text(segments)
    assert "Administration interface" not in all_text(segments)


def test_notice_inside_a_list_stays_inside_the_list():
    body = (
        "1. Step one\n    {{% notice info %}}\n    Only the domain.\n"
        "    {{% /notice %}}\n2. Two\n"
    )
    text, callouts = convert_shortcodes(body, "fr")
    assert callouts == []
    assert "    > **Information** —\n    > Only the domain." in text
    assert not SHORTCODE_RE.search(text)


def test_top_level_fenced_code_becomes_a_code_block():
    text, callouts = convert_shortcodes("Run:\n\n```sh\nls -la\n```\n\nDone.", "en")
    segments = split_segments(text, callouts)
    assert [s["type"] for s in segments] == ["markdown", "code", "markdown"]
    assert segments[1] == {"type": "code", "language": "sh", "code": "ls -la"}


def test_links_are_rewritten_to_imported_pages(tmp_path):
    write(
        tmp_path,
        "domains/_index.en.md",
        '+++\ntitle = "Domains"\n+++\n'
        "See [deadlines](deadlines) and [DNS](/domains/add-dns#zone).\n",
    )
    write(tmp_path, "domains/deadlines.en.md", '+++\ntitle = "Deadlines"\n+++\nDates.')
    write(
        tmp_path,
        "domains/add-dns/index.fr.md",
        '+++\ntitle = "DNS"\nurl = "/fr/domaines/ajouter-dns/"\n+++\nTexte.',
    )
    write(
        tmp_path,
        "domains/deadlines.fr.md",
        '+++\ntitle = "Délais"\n+++\n'
        'Voir [DNS](/fr/domaines/ajouter-dns/), [ref]({{< ref "domains/add-dns" >}}), '
        "[le site](https://example.org/x), [haut](#top), [perdu](/nowhere/at-all), "
        "`[code](/domains/add-dns)`, [tmp](/domains/add-dns#répertoire-tmp)."
        "\n\n![capture](images/shot.png)\n",
    )
    tree = load_tree(tmp_path)

    en_section = all_text(final_segments(tree, "domains", "en"))
    assert "[deadlines](/en/kb/domains/deadlines/)" in en_section
    # No English DNS page: the French one is the best target.
    assert "[DNS](/fr/kb/domains/add-dns/#zone)" in en_section

    fr = final_segments(tree, "domains/deadlines", "fr")
    text = all_text(fr)
    assert "[DNS](/fr/kb/domains/add-dns/)" in text
    assert "[ref](/fr/kb/domains/add-dns/)" in text
    # Anchors follow the slugified heading ids of our article pages.
    assert "[tmp](/fr/kb/domains/add-dns/#repertoire-tmp)" in text
    assert "[le site](https://example.org/x)" in text
    assert "[haut](#top)" in text
    assert "perdu" in text and "/nowhere" not in text  # dead link: text kept
    assert "`[code](/domains/add-dns)`" in text  # code is left alone
    assert "images/shot.png" not in text  # images are not imported
    assert not SHORTCODE_RE.search(text)


def test_summary_is_the_first_prose_sentence(tmp_path):
    write(
        tmp_path,
        "a/x.en.md",
        '+++\ntitle = "X"\n+++\n## Heading\n\n- a list item that is long enough\n\n'
        "A CAA record lists the certification authorities approved to issue "
        "certificates for a domain. Any other authority is refused.\n",
    )
    write(tmp_path, "a/y.en.md", '+++\ntitle = "Y"\nsummary = "Given."\n+++\nText.')
    write(tmp_path, "a/z.en.md", '+++\ntitle = "Z"\n+++\nShort one. Then more text.')
    tree = load_tree(tmp_path)
    assert tree.articles["a/x"].versions["en"].summary == (
        "A CAA record lists the certification authorities approved to issue "
        "certificates for a domain."
    )
    assert tree.articles["a/y"].versions["en"].summary == "Given."
    assert tree.articles["a/z"].versions["en"].summary == "Short one. Then more text."


def test_single_language_tree_without_sections(tmp_path):
    write(
        tmp_path,
        "doc-0012.en.md",
        '+++\ntitle = "Wifi issues"\nurl = "/doc-0012/"\n'
        "tags = []\n+++\n\nHi there, sorry for this! Please try the following.",
    )
    write(tmp_path, "doc-0013.en.md", "No front matter at all, just a helpful answer.")
    tree = load_tree(tmp_path)
    assert tree.failures == []
    assert set(tree.articles) == {"doc-0012", "doc-0013"}
    assert tree.articles["doc-0013"].versions["en"].title == "Doc 0013"
    assert tree.sections[""].title("en") == "General"


def test_hugo_lists_render_as_lists():

    hugo = "Three tags:\n- `issue`,\n- `iodef`.\n\nAlso\n* Follow us:\n  * Mastodon\n"
    html = markdown_to_html(normalize_markdown(hugo))
    assert "<li><code>issue</code>,</li>" in html
    # The 2-space nested list stays nested instead of merging into its parent.
    assert re.search(r"<li>Follow us:\s*<ul>\s*<li>Mastodon</li>", html)


def test_category_description_is_prose_or_nothing(tmp_path):
    write(
        tmp_path,
        "a/_index.en.md",
        '+++\ntitle = "A"\n+++\n- [One](one)\n- [Two](two)\n',
    )
    write(
        tmp_path,
        "a/x.en.md",
        '+++\ntitle = "X"\n+++\nThe hosting service is a PaaS[^1]: it runs the stack.\n'
        "\n[^1]: Platform as a service.\n",
    )
    tree = load_tree(tmp_path)
    assert tree.sections["a"].versions["en"].summary == ""
    assert tree.articles["a/x"].versions["en"].summary == (
        "The hosting service is a PaaS: it runs the stack."
    )
