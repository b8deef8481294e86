"""A rate limit that refuses a write shows the form again with what was typed
(429 and a clear error), on every write form, never a bare 429 page."""

import pytest
from django.urls import reverse

from accounts import roles
from kb.models import ArticleEdit
from social_redirect.models import Mention
from tests.factories import UserFactory, user_with_role
from tests.forum.conftest import (  # noqa: F401 (fixtures)
    forums,
    post_create_path,
    reply,
    seasoned_member,
    topic,
    topic_create_path,
)
from tests.kb.conftest import kb  # noqa: F401 (fixture)
from tests.kb.helpers import edit_url, fresh, post_edit

pytestmark = pytest.mark.django_db

KEPT = ("Nothing you typed is lost", "Rien de ce que vous avez saisi n’est perdu")


def _assert_kept(response, *typed):
    assert response.status_code == 429
    assert response["Retry-After"]
    html = response.content.decode()
    assert any(sentence in html for sentence in KEPT)
    for text in typed:
        assert text in html
    # The form itself, not the bare error page.
    assert "<form" in html and "<textarea" in html


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
    _assert_kept(response, "Un texte long que je ne veux pas retaper.", "second essai")
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
    _assert_kept(response, "My new article", "The whole article I wrote.")
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


def test_forum_reply_429_keeps_the_text(client, topic, seasoned_member, settings):  # noqa: F811
    settings.FORUM_REPLIES_PER_10_MIN = 1
    client.force_login(seasoned_member)
    path = post_create_path(topic)
    assert client.post(path, {"subject": "Re", "content": "Un"}).status_code == 302
    response = client.post(path, {"subject": "Re", "content": "Ma réponse détaillée"})
    _assert_kept(response, "Ma réponse détaillée")
    assert "trop de réponses" in response.content.decode()


def test_forum_topic_429_keeps_the_text(client, forums, seasoned_member, settings):  # noqa: F811
    settings.FORUM_TOPICS_PER_10_MIN = 1
    client.force_login(seasoned_member)
    path = topic_create_path(forums["fr"])
    assert client.post(path, {"subject": "Un", "content": "Premier"}).status_code == 302
    response = client.post(
        path, {"subject": "Mon sujet gardé", "content": "Ma question détaillée"}
    )
    _assert_kept(response, "Mon sujet gardé", "Ma question détaillée")


def test_forum_report_429_keeps_the_text(client, reply, seasoned_member, monkeypatch):  # noqa: F811
    monkeypatch.setattr("forum.views.REPORT_LIMIT", 0)
    client.force_login(seasoned_member)
    response = client.post(
        f"/en/forum/post/{reply.pk}/report/",
        {"reason": "spam", "comment": "My detailed explanation"},
    )
    _assert_kept(response, "My detailed explanation")


def test_social_paste_429_keeps_the_text(client, monkeypatch):
    monkeypatch.setattr("social_redirect.views.PASTE_LIMIT", 0)
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    response = client.post(
        "/en/social/",
        {
            "url": "https://x.com/claire/status/987654321",
            "text": "my box is down again",
            "author_handle": "claire",
            "followers_count": "1200",
        },
    )
    _assert_kept(response, "my box is down again", "987654321")
    assert not Mention.objects.exists()
