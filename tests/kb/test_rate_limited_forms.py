"""A rate limit that refuses a KB write shows the form again with what was
typed (429 and a clear error); editors are limited per account, not per address."""

import pytest
from django.urls import reverse

from kb.models import ArticleEdit
from tests.config.ratelimit_helpers import assert_typed_text_kept
from tests.factories import UserFactory
from tests.kb.helpers import edit_url, fresh, post_edit

pytestmark = pytest.mark.django_db


def test_kb_edit_429_keeps_the_text(kb, client, member, monkeypatch):
    monkeypatch.setattr("kb.views.EDIT_LIMIT", 1)
    client.force_login(member)
    assert post_edit(client, kb.article_fr, body="Premier essai.").status_code == 302
    response = client.post(
        edit_url(kb.article_fr),
        {
            "title": "Ma box clignote",
            "summary": "Résumé gardé",
            "body": "Un texte long que je ne veux pas retaper.",
            "symptoms": "",
            "edit_summary": "second essai",
            "base_revision": fresh(kb.article_fr).live_revision_id,
        },
    )
    assert_typed_text_kept(
        response, "Un texte long que je ne veux pas retaper.", "second essai"
    )
    assert ArticleEdit.objects.filter(author=member).count() == 1


def test_two_signed_in_editors_behind_one_address_are_limited_separately(
    kb, client, monkeypatch
):
    monkeypatch.setattr("kb.views.EDIT_LIMIT", 1)
    alice, bob = UserFactory(), UserFactory()
    office = {"REMOTE_ADDR": "198.51.100.7"}
    client.force_login(alice)
    response = client.post(
        edit_url(kb.article_fr),
        {
            "title": "Ma box clignote",
            "summary": "r",
            "body": "Texte d'Alice.",
            "symptoms": "",
            "edit_summary": "alice",
            "base_revision": fresh(kb.article_fr).live_revision_id,
        },
        **office,
    )
    assert response.status_code == 302
    client.force_login(bob)
    response = client.post(
        edit_url(kb.article_fr),
        {
            "title": "Ma box clignote",
            "summary": "r",
            "body": "Texte de Bob.",
            "symptoms": "",
            "edit_summary": "bob",
            "base_revision": fresh(kb.article_fr).live_revision_id,
        },
        **office,
    )
    assert response.status_code == 302
    assert ArticleEdit.objects.filter(author=bob).exists()


def test_kb_propose_429_keeps_the_text(kb, client, member, monkeypatch):
    monkeypatch.setattr("kb.views.PROPOSE_LIMIT", 0)
    client.force_login(member)
    response = client.post(
        "/en/kb/propose/",
        {
            "category": kb.cat_en.pk,
            "title": "My new article",
            "summary": "A summary",
            "body": "The whole article I wrote.",
            "symptoms": "",
        },
    )
    assert_typed_text_kept(response, "My new article", "The whole article I wrote.")
    assert not ArticleEdit.objects.filter(author=member).exists()


def test_kb_preview_429_is_a_json_error_the_editor_shows(
    kb, client, member, monkeypatch
):
    monkeypatch.setattr("kb.views.PREVIEW_LIMIT", 0)
    client.force_login(member)
    response = client.post(reverse("kb:preview"), {"text": "**gras**"})
    assert response.status_code == 429
    assert response["Retry-After"]
    # JSON the editor script understands (it keeps the textarea as it is).
    assert "your text is kept" in response.json()["error"]
