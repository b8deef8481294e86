"""Approving a pending edit written on an older version never drops what was
published since: the edit is merged in, or refused with the difference shown."""

import pytest

from accounts import roles
from kb.models import ArticleEdit
from kb.services.editing import MergeConflict, article_edit_approve
from tests.factories import UserFactory, user_with_role
from tests.kb.helpers import fresh, post_edit

pytestmark = pytest.mark.django_db


def _propose(client, user, page, old, new, summary="fix"):
    client.force_login(user)
    body = fresh(page).body_markdown()
    assert old in body
    response = post_edit(
        client, page, body=body.replace(old, new), edit_summary=summary
    )
    assert response.status_code == 302
    return ArticleEdit.objects.filter(author=user).latest("pk")


def test_approving_the_second_of_two_pending_edits_keeps_the_first(kb, client, trusted):
    alice, bob = UserFactory(), UserFactory()
    first = _propose(client, alice, kb.article_fr, "dix secondes", "trente secondes")
    second = _propose(
        client, bob, kb.article_fr, "Contactez le support.", "Appelez-nous."
    )
    article_edit_approve(edit=first, reviewer=trusted)
    article_edit_approve(edit=second, reviewer=trusted)
    body = fresh(kb.article_fr).body_markdown()
    assert "trente secondes" in body  # the first change survived
    assert "Appelez-nous." in body
    client.logout()
    public = client.get(kb.article_fr.url).content.decode()
    assert "trente secondes" in public and "Appelez-nous." in public
    second.refresh_from_db()
    assert second.status == ArticleEdit.Status.ACCEPTED
    assert second.revision.user == bob  # the merge stays credited to its author


def test_pending_edit_approved_after_a_trusted_direct_edit_keeps_the_trusted_edit(
    kb, client, member, trusted
):
    pending = _propose(
        client, member, kb.article_fr, "Contactez le support.", "Écrivez-nous."
    )
    # A trusted member edits directly (published at once) in the meantime.
    _propose(client, trusted, kb.article_fr, "dix secondes", "vingt secondes")
    reviewer = user_with_role(roles.STAFF)
    article_edit_approve(edit=pending, reviewer=reviewer)
    body = fresh(kb.article_fr).body_markdown()
    assert "vingt secondes" in body
    assert "Écrivez-nous." in body


def test_overlapping_stale_edit_is_refused_with_the_diff_and_nothing_changes(
    kb, client, member, trusted
):
    pending = _propose(client, member, kb.article_fr, "dix secondes", "cinq secondes")
    _propose(client, trusted, kb.article_fr, "dix secondes", "vingt secondes")
    live_before = fresh(kb.article_fr).live_revision_id
    reviewer = user_with_role(roles.STAFF)
    with pytest.raises(MergeConflict):
        article_edit_approve(edit=pending, reviewer=reviewer)
    assert fresh(kb.article_fr).live_revision_id == live_before

    client.force_login(reviewer)
    url = f"/fr/kb/review/{pending.pk}/"
    page = client.get(url).content.decode()
    assert 'id="conflict"' in page
    assert "<ins>cinq</ins>" in page  # the difference to merge by hand
    assert f'href="{kb.article_fr.url}edit/"' in page
    response = client.post(url, {"action": "approve"}, follow=True)
    html = response.content.decode()
    assert "nothing was published" in html or "rien n’a été publié" in html
    assert "vingt secondes" in fresh(kb.article_fr).body_markdown()
    pending.refresh_from_db()
    assert pending.status == ArticleEdit.Status.PENDING


def test_review_page_of_a_clean_stale_edit_shows_the_merge(kb, client, member, trusted):
    pending = _propose(
        client, member, kb.article_fr, "Contactez le support.", "Écrivez-nous."
    )
    _propose(client, trusted, kb.article_fr, "dix secondes", "vingt secondes")
    client.force_login(user_with_role(roles.STAFF))
    html = client.get(f"/fr/kb/review/{pending.pk}/").content.decode()
    assert 'id="conflict"' not in html
    # The preview of the publication does not undo the trusted change.
    assert "<del>vingt</del>" not in html


@pytest.mark.parametrize("kind", ["edit", "proposal"])
def test_trusted_member_cannot_approve_their_own_change(kb, client, trusted, kind):
    client.force_login(trusted)
    if kind == "proposal":
        response = client.post(
            "/fr/kb/propose/",
            {
                "category": kb.cat_fr.pk,
                "title": "Mon article",
                "summary": "Résumé",
                "body": "Texte de mon article.",
                "symptoms": "",
            },
        )
        assert response.status_code == 302
        edit = ArticleEdit.objects.get(author=trusted)
    else:
        # Trusted edits publish at once; a reviewer's pending change is a proposal
        # made before they became trusted.
        member = UserFactory()
        edit = _propose(client, member, kb.article_fr, "dix secondes", "onze secondes")
        ArticleEdit.objects.filter(pk=edit.pk).update(author=trusted)
        client.force_login(trusted)
    url = f"/fr/kb/review/{edit.pk}/"
    page = client.get(url).content.decode()
    assert 'value="approve"' not in page
    response = client.post(url, {"action": "approve"})
    assert response.status_code == 403
    assert "own change" in response.content.decode() or "propre" in (
        response.content.decode()
    )
    edit.refresh_from_db()
    assert edit.status == ArticleEdit.Status.PENDING
    # Someone else may.
    article_edit_approve(edit=edit, reviewer=user_with_role(roles.STAFF))
    edit.refresh_from_db()
    assert edit.status == ArticleEdit.Status.ACCEPTED
