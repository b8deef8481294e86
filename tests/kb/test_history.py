import pytest
from django.core.exceptions import ValidationError

from kb.models import ArticleEdit
from kb.services.editing import article_edit_submit
from kb.services.history import article_undo
from tests.kb.helpers import edit_data, fresh, latest_revision


def _publish(page, user, body, summary):
    return article_edit_submit(
        page=fresh(page),
        user=user,
        title=page.title,
        summary=fresh(page).summary,
        body_markdown=body,
        edit_summary=summary,
        base_revision_id=fresh(page).live_revision_id,
    )


def test_diff_shows_the_changed_words(kb, client, trusted):
    first = fresh(kb.article_fr).live_revision_id
    body = fresh(kb.article_fr).body_markdown().replace("dix secondes", "deux minutes")
    _publish(kb.article_fr, trusted, body, "attente plus longue")
    second = fresh(kb.article_fr).live_revision_id
    html = client.get(
        f"{kb.article_fr.url}diff/?from={first}&to={second}"
    ).content.decode()
    assert "<del>dix secondes</del>" in html
    assert "<ins>deux minutes</ins>" in html
    assert "<del>Attendez</del>" not in html  # unchanged words stay plain
    history = client.get(kb.article_fr.url + "history/").content.decode()
    assert "attente plus longue" in history
    assert trusted.profile.public_name in history


def test_diff_escapes_markup(kb, client, trusted):
    _publish(kb.article_fr, trusted, "<b>x</b> & <i>y</i>", "markup")
    html = client.get(kb.article_fr.url + "diff/").content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_rollback_restores_the_old_text(kb, client, member, trusted):
    original = fresh(kb.article_fr).live_revision
    _publish(kb.article_fr, trusted, "VANDALISME TOTAL", "lol")
    client.force_login(member)
    response = client.post(f"{kb.article_fr.url}rollback/{original.pk}/")
    assert response.status_code == 403
    client.force_login(trusted)
    # The history links to a confirmation step that shows what would change.
    history = client.get(kb.article_fr.url + "history/").content.decode()
    assert f'href="{kb.article_fr.url}rollback/{original.pk}/"' in history
    confirm = client.get(f"{kb.article_fr.url}rollback/{original.pk}/")
    assert "Restaurer cette version ?" in confirm.content.decode()
    assert "VANDALISME" in confirm.content.decode()
    assert "VANDALISME" in fresh(kb.article_fr).body_markdown()  # nothing done yet
    response = client.post(f"{kb.article_fr.url}rollback/{original.pk}/")
    assert response.status_code == 302
    page = fresh(kb.article_fr)
    assert "VANDALISME" not in page.body_markdown()
    assert "Redémarrer la box" in page.body_markdown()
    edit = latest_revision(page).kb_edit
    assert edit.kind == ArticleEdit.Kind.ROLLBACK and edit.author == trusted
    assert page.revisions.count() == 3  # the vandalism stays in the history
    client.logout()
    assert "VANDALISME" not in client.get(page.url).content.decode()


def test_undo_one_edit_keeps_later_unrelated_edits(kb, client, trusted, staff):
    base = fresh(kb.article_fr).body_markdown()
    bad = _publish(kb.article_fr, trusted, base.replace("Débranchez", "Cassez"), "bad")
    later = (
        fresh(kb.article_fr)
        .body_markdown()
        .replace("Contactez le support.", "Contactez le support au 3900.")
    )
    _publish(kb.article_fr, trusted, later, "numéro ajouté")
    client.force_login(staff)
    response = client.post(f"{kb.article_fr.url}undo/{bad.pk}/")
    assert response.status_code == 302
    text = fresh(kb.article_fr).body_markdown()
    assert "Débranchez la box" in text and "Cassez" not in text
    assert "au 3900" in text


def test_undo_refuses_overlapping_later_edits(kb, trusted, staff):

    base = fresh(kb.article_fr).body_markdown()
    bad = _publish(kb.article_fr, trusted, base.replace("Débranchez", "Cassez"), "bad")
    _publish(
        kb.article_fr,
        trusted,
        fresh(kb.article_fr).body_markdown().replace("Cassez la box", "Cassez-la"),
        "same line",
    )
    with pytest.raises(ValidationError):
        article_undo(edit=bad, user=staff)
    assert "Cassez-la" in fresh(kb.article_fr).body_markdown()


def test_one_click_undo_of_the_latest_edit(kb, client, trusted):
    bad = _publish(kb.article_fr, trusted, "tout effacé", "oups")
    client.force_login(trusted)
    client.post(f"{kb.article_fr.url}undo/{bad.pk}/")
    assert "Redémarrer la box" in fresh(kb.article_fr).body_markdown()


def test_concurrent_edit_is_refused_and_keeps_the_editors_text(
    kb, client, member, trusted
):
    client.force_login(member)
    stale = edit_data(kb.article_fr)  # the member opens the editor…
    # …meanwhile someone else publishes a change.
    _publish(
        kb.article_fr,
        trusted,
        stale["body"].replace("Contactez le support.", "Appelez le 3900."),
        "autre",
    )
    mine = stale["body"].replace("dix secondes", "vingt secondes")
    response = client.post(
        kb.article_fr.url + "edit/", {**stale, "body": mine, "edit_summary": "vingt"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "vingt secondes" in html  # the editor's text is still in the form
    assert (
        "<del>Appelez le 3900.</del>" in html or "Appelez" in html.split("kb-diff")[1]
    )
    page = fresh(kb.article_fr)
    assert "vingt secondes" not in page.body_markdown()
    assert "Appelez le 3900." in page.body_markdown()
    assert not ArticleEdit.objects.filter(author=member).exists()
    # Saving again (now based on the current version) is a deliberate choice.
    new_base = f'name="base_revision" value="{page.live_revision_id}"'
    assert new_base in html
