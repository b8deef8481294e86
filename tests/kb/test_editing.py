import pytest
from django.core import mail
from django.test import override_settings

from accounts import roles
from kb import selectors
from kb.models import ArticleCredit, ArticleEdit, ArticlePage
from kb.services.editing import (
    article_draft_create,
    article_edit_approve,
    article_edit_reject,
    article_edit_submit,
)
from tests.factories import UserFactory, user_with_role
from tests.kb.helpers import edit_url, fresh, latest_revision, post_edit


def test_anonymous_is_sent_to_login(kb, client):
    response = client.get(edit_url(kb.article_fr))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unverified_member_cannot_edit(kb, client):
    client.force_login(UserFactory(verified=False))
    assert client.get(edit_url(kb.article_fr)).status_code == 403


def test_editor_shows_markdown_and_base_revision(kb, client, member):
    client.force_login(member)
    html = client.get(edit_url(kb.article_fr)).content.decode()
    assert "## Redémarrer la box" in html
    assert (
        f'name="base_revision" value="{fresh(kb.article_fr).live_revision_id}"' in html
    )


def test_trusted_edit_is_a_published_revision_with_author_and_summary(
    kb, client, trusted
):
    client.force_login(trusted)
    body = (
        fresh(kb.article_fr).body_markdown().replace("dix secondes", "trente secondes")
    )
    response = post_edit(client, kb.article_fr, body=body, edit_summary="délai corrigé")
    assert response.status_code == 302
    revision = latest_revision(kb.article_fr)
    assert revision.user == trusted
    assert revision.kb_edit.summary == "délai corrigé"
    assert revision.kb_edit.status == ArticleEdit.Status.ACCEPTED
    page = fresh(kb.article_fr)
    assert page.live_revision_id == revision.pk
    # Markdown source and sanitized HTML are both stored.
    raw = page.body.raw_data[0]["value"]
    assert "trente secondes" in raw["source"]
    assert "<li>Attendez trente secondes.</li>" in raw["html"]
    client.logout()
    assert "trente secondes" in client.get(page.url).content.decode()
    assert trusted.profile.public_name in client.get(page.url).content.decode()


def test_edit_summary_is_mandatory(kb, client, trusted):
    client.force_login(trusted)
    response = post_edit(client, kb.article_fr, body="Nouveau texte", edit_summary="  ")
    assert response.status_code == 200
    assert "Nouveau texte" in response.content.decode()  # nothing typed is lost
    assert fresh(kb.article_fr).revisions.count() == 1


def test_untrusted_edit_waits_for_review_and_is_invisible_until_approved(
    kb, client, member, trusted
):
    client.force_login(member)
    response = post_edit(
        client, kb.article_fr, body="Texte du membre à relire.", edit_summary="réécrit"
    )
    assert response.status_code == 302
    edit = ArticleEdit.objects.get(author=member)
    assert edit.status == ArticleEdit.Status.PENDING
    assert edit.revision.user == member

    client.logout()
    public = client.get(kb.article_fr.url).content.decode()
    assert "Texte du membre" not in public
    assert "Redémarrer la box" in public
    history = client.get(kb.article_fr.url + "history/").content.decode()
    assert "réécrit" not in history  # pending edits are not public

    client.force_login(trusted)
    queue = client.get("/fr/kb/review/").content.decode()
    assert "réécrit" in queue
    detail = client.get(f"/fr/kb/review/{edit.pk}/").content.decode()
    assert "<ins>" in detail and "relire" in detail
    client.post(f"/fr/kb/review/{edit.pk}/", {"action": "approve"})
    edit.refresh_from_db()
    assert edit.status == ArticleEdit.Status.ACCEPTED and edit.reviewer == trusted

    client.logout()
    assert "Texte du membre à relire." in client.get(kb.article_fr.url).content.decode()
    assert mail.outbox and mail.outbox[-1].to == [member.email]


def test_rejected_edit_shows_the_reason_to_its_author(kb, client, member, trusted):
    client.force_login(member)
    post_edit(client, kb.article_fr, body="spam spam", edit_summary="pub")
    edit = ArticleEdit.objects.get(author=member)
    client.force_login(trusted)
    response = client.post(
        f"/fr/kb/review/{edit.pk}/", {"action": "reject", "reason": ""}
    )
    assert response.status_code == 200  # a reason is required
    client.post(
        f"/fr/kb/review/{edit.pk}/",
        {"action": "reject", "reason": "Publicité hors sujet"},
    )
    edit.refresh_from_db()
    assert edit.status == ArticleEdit.Status.REJECTED
    page = fresh(kb.article_fr)
    assert page.latest_revision_id == page.live_revision_id  # admin draft not spam
    client.force_login(member)
    assert "Publicité hors sujet" in client.get("/fr/kb/my-edits/").content.decode()
    client.logout()
    assert "spam spam" not in client.get(page.url).content.decode()


def test_member_queue_is_forbidden(kb, client, member):
    client.force_login(member)
    assert client.get("/fr/kb/review/").status_code == 403


@override_settings(KB_TRUSTED_AFTER_ACCEPTED_EDITS=2)
def test_member_becomes_trusted_after_accepted_edits(kb, client, member, trusted):
    for n in range(2):
        client.force_login(member)
        post_edit(client, kb.article_fr, body=f"version {n}", edit_summary=f"edit {n}")
        edit = ArticleEdit.objects.filter(author=member).first()
        assert edit.status == ArticleEdit.Status.PENDING
        article_edit_approve(edit=edit, reviewer=trusted)
    post_edit(client, kb.article_fr, body="version directe", edit_summary="direct")
    assert ArticleEdit.objects.filter(author=member).first().status == "accepted"
    assert "version directe" in fresh(kb.article_fr).body_markdown()


def test_protected_article_refuses_an_untrusted_member(
    kb, client, member, trusted, staff
):
    client.force_login(staff)
    client.post(kb.article_fr.url + "protect/", {"protected": "1"})
    assert fresh(kb.article_fr).protected

    client.force_login(member)
    assert client.get(edit_url(kb.article_fr)).status_code == 403
    response = post_edit(client, kb.article_fr, body="vandalisme")
    assert response.status_code == 403
    assert "vandalisme" not in fresh(kb.article_fr).body_markdown()
    assert not ArticleEdit.objects.filter(author=member).exists()

    client.force_login(trusted)
    assert (
        post_edit(client, kb.article_fr, body="Correction de confiance").status_code
        == 302
    )
    page = fresh(kb.article_fr)
    assert "Correction de confiance" in page.body_markdown()
    assert page.protected  # publishing a revision keeps the protection


def test_member_cannot_protect(kb, client, member):
    client.force_login(member)
    assert (
        client.post(kb.article_fr.url + "protect/", {"protected": "1"}).status_code
        == 403
    )
    assert not fresh(kb.article_fr).protected


def test_member_proposes_a_new_article_that_goes_to_review(kb, client, member, trusted):
    client.force_login(member)
    assert client.get("/fr/kb/propose/").status_code == 200
    response = client.post(
        "/fr/kb/propose/",
        {
            "category": kb.cat_fr.pk,
            "title": "Réinitialiser le Wi-Fi",
            "summary": "Revenir au mot de passe d'usine.",
            "body": "1. Appuyez sur reset.",
            "symptoms": "wifi ne marche plus",
        },
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(title="Réinitialiser le Wi-Fi")
    assert not page.live
    assert client.get("/fr/kb/connexion/reinitialiser-le-wi-fi/").status_code == 404
    edit = page.edits.get()
    assert edit.kind == ArticleEdit.Kind.NEW and edit.is_pending
    article_edit_approve(edit=edit, reviewer=trusted)
    assert client.get("/fr/kb/connexion/reinitialiser-le-wi-fi/").status_code == 200


def test_article_draft_create_credits_authors(kb, member):
    helper = UserFactory()
    page = article_draft_create(
        title="Configurer Thunderbird",
        summary="Pas à pas.",
        body_markdown="Ouvrez Thunderbird.",
        lang="fr",
        authors=[helper],
        proposer=member,
        source_url="https://example.org/forum/t/1",
    )
    assert not page.live and page.locale.language_code == "fr"
    assert ArticleCredit.objects.filter(page=page, user=helper).exists()
    assert page.edits.get().is_pending
    article_edit_approve(edit=page.edits.get(), reviewer=user_with_role(roles.STAFF))

    names = selectors.contributors(fresh(page))
    assert helper.profile.public_name in names and member.profile.public_name in names


@pytest.mark.parametrize("view", ["edit/", "history/"])
def test_history_and_edit_pages_render(kb, client, trusted, view):
    client.force_login(trusted)
    assert client.get(kb.article_en.url + view).status_code == 200


def test_preview_returns_sanitized_html(kb, client, member):
    client.force_login(member)
    response = client.post("/fr/kb/preview/", {"text": "**gras** <script>x()</script>"})
    assert response.json()["html"].startswith("<p><strong>gras</strong>")
    assert "<script" not in response.json()["html"]
    client.logout()
    assert client.post("/fr/kb/preview/", {"text": "x"}).status_code == 403


def test_author_is_told_the_outcome_in_their_language(kb, member, trusted):
    member.profile.preferred_language = "en"
    member.profile.save()
    edit = article_edit_submit(
        page=fresh(kb.article_fr),
        user=member,
        title="Ma box clignote",
        summary="",
        body_markdown="Texte proposé",
        edit_summary="proposition",
        base_revision_id=fresh(kb.article_fr).live_revision_id,
    )
    article_edit_reject(edit=edit, reviewer=trusted, reason="Trop court")
    assert mail.outbox[-1].subject == "Your change was not published"
    assert "Trop court" in mail.outbox[-1].body


def test_reviewers_find_the_queue_from_the_kb_home(kb, client, trusted, member):
    client.force_login(trusted)
    assert "/fr/kb/review/" in client.get("/fr/kb/").content.decode()
    client.force_login(member)
    assert "/fr/kb/review/" not in client.get("/fr/kb/").content.decode()


def test_reviewer_corrects_a_proposed_article_then_publishes_it(
    kb, client, member, trusted
):
    page = article_draft_create(
        title="Configurer Thunderbird",
        summary="Bonjour, Depuis lundi … Merci !",
        body_markdown="1. Ouvrez Thunderbird.",
        lang="fr",
        authors=[member],
        proposer=member,
        category=kb.cat_fr,
    )
    edit = page.edits.get()
    client.force_login(trusted)
    detail = client.get(f"/fr/kb/review/{edit.pk}/").content.decode()
    assert "Corriger avant de publier" in detail
    assert "Bonjour, Depuis lundi … Merci !" in detail
    response = client.post(
        f"/fr/kb/review/{edit.pk}/",
        {
            "action": "revise",
            "publish": "1",
            "title": "Configurer Thunderbird",
            "summary": "Régler la messagerie dans Thunderbird.",
            "body": "1. Ouvrez Thunderbird.\n2. Ajoutez le compte.",
            "symptoms": "",
        },
    )
    assert response.status_code == 302
    published = fresh(page)
    assert published.live and published.url.startswith("/fr/kb/connexion/")
    assert published.summary == "Régler la messagerie dans Thunderbird."
    assert "2. Ajoutez le compte." in published.body_markdown()
    edit.refresh_from_db()
    assert edit.status == ArticleEdit.Status.ACCEPTED and edit.reviewer == trusted
    assert edit.author == member  # the proposal stays the author's


def test_a_new_article_earns_its_place_in_popular_articles(kb, trusted, staff):
    page = article_draft_create(
        title="Tout nouvel article",
        summary="Nouveau.",
        body_markdown="Texte.",
        lang="fr",
        authors=[],
        proposer=trusted,
        category=kb.cat_fr,
    )
    # Someone else reviews it: nobody approves their own proposal.
    article_edit_approve(edit=page.edits.get(), reviewer=staff)
    popular = [a.pk for a in selectors.popular_articles("fr", 10)]
    assert popular[-1] == page.pk
    assert popular[0] != page.pk
