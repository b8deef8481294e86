"""What readers see of each block of an article body."""

import pytest

from config.sanitize import markdown_to_html
from kb import blocks
from kb.services.upsert import article_upsert
from tests.kb.factories import make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def article_with_blocks(db):
    category = make_category("fr", "Connexion", "connexion")
    page, _status = article_upsert(
        parent=category,
        title="Box qui clignote",
        summary="Que faire quand la box clignote.",
        body=[
            ("markdown", "Introduction."),
            (
                "callout",
                {
                    "kind": "warning",
                    "text": "Ne **débranchez** pas la fibre, lisez [ceci](/fr/kb/).",
                },
            ),
            ("callout", {"kind": "tip", "text": "Astuce *rapide*."}),
            ("callout", {"kind": "info", "text": "Bon à `savoir`."}),
            ("steps", ["Ouvrez **Réglages**.", "Cliquez [ici](/fr/kb/)."]),
            ("code", {"language": "bash", "code": "ping <box>"}),
        ],
    )
    return page


def test_callout_shows_formatted_text_not_markdown_source(article_with_blocks, client):
    html = client.get(article_with_blocks.url).content.decode()

    assert "<strong>débranchez</strong>" in html
    assert '<a href="/fr/kb/" rel="nofollow ugc noopener">ceci</a>' in html
    assert "**" not in html
    assert "[ceci]" not in html


def test_steps_show_formatted_text_not_markdown_source(article_with_blocks, client):
    html = client.get(article_with_blocks.url).content.decode()
    steps = html.split('class="kb-steps"')[1].split("</ol>")[0]

    assert "<strong>Réglages</strong>" in steps
    assert '<a href="/fr/kb/" rel="nofollow ugc noopener">ici</a>' in steps
    assert "[ici]" not in steps


def test_code_stays_escaped(article_with_blocks, client):
    html = client.get(article_with_blocks.url).content.decode()

    assert "ping &lt;box&gt;" in html


def test_info_and_tip_callouts_have_their_own_look_and_label(
    article_with_blocks, client
):
    html = client.get(article_with_blocks.url).content.decode()

    assert "callout-tip" in html and "callout-info" in html
    assert "Astuce" in html and "<em>rapide</em>" in html
    assert "<code>savoir</code>" in html
    # The kind is announced to screen readers in the page language.
    assert '<p class="visually-hidden">Conseil</p>' in html
    assert '<p class="visually-hidden">Information</p>' in html


def test_warning_callout_keeps_its_warning_look(article_with_blocks, client):
    html = client.get(article_with_blocks.url).content.decode()

    assert "callout-warning" in html
    assert '<p class="visually-hidden">Attention</p>' in html


def test_saving_an_article_renders_each_markdown_text_once(db, monkeypatch):

    calls = []

    def counting(source):
        calls.append(source)
        return markdown_to_html(source)

    monkeypatch.setattr(blocks, "markdown_to_html", counting)
    category = make_category("en", "Connection", "connection")
    source = "Unplug the **box**, wait, plug it back in. (unique text 7f3a)"

    page, _status = article_upsert(
        parent=category, title="Box blinking", body_markdown=source
    )

    assert calls.count(source) == 1
    # Readers still get the rendered, sanitized text.
    assert "<strong>box</strong>" in str(page.body_html())
