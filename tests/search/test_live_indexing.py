"""Publishing, moderating and deleting content updates the index by itself."""

import pytest

from accounts import roles
from forum.services import forum_create, post_approve, post_create, topic_create
from kb.services.structure import category_upsert, kb_root
from kb.services.upsert import article_upsert
from search import services
from tests.factories import UserFactory, user_with_role


def found(query, lang="fr", **kwargs):
    return [hit.id for hit in services.search(query, lang=lang, **kwargs).results]


@pytest.fixture
def category(db):

    page, _status = category_upsert(parent=kb_root("fr"), title="Facturation")
    return page


@pytest.fixture
def publish_article(category, django_capture_on_commit_callbacks):

    def publish(title, body, publish=True, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            page, _status = article_upsert(
                parent=category,
                title=title,
                body_markdown=body,
                publish=publish,
                **kwargs,
            )
        # The returned instance predates publishing: reload the live row.
        return type(page).objects.get(pk=page.pk)

    return publish


@pytest.mark.django_db
def test_published_article_is_found_with_its_url_and_source(publish_article):
    page = publish_article(
        "Remboursement des factures d'électricité",
        "Demandez le remboursement depuis votre espace client.",
        summary="Obtenir un remboursement.",
        source_key="billing/refunds",
        tags=["facture"],
    )
    hits = services.search("rembourser", lang="fr").results
    assert [h.id for h in hits] == [f"article:{page.pk}"]
    assert hits[0].url == page.get_url()
    assert hits[0].source == "billing/refunds"
    assert hits[0].category == "Facturation"


@pytest.mark.django_db
def test_draft_article_is_never_found(publish_article):
    publish_article(
        "Brouillon secret sur la fibre", "Texte du brouillon.", publish=False
    )
    assert found("fibre") == []
    assert found("brouillon") == []


@pytest.mark.django_db
def test_pending_revision_is_not_found_until_published(publish_article):
    page = publish_article("Changer d'offre", "Choisissez une offre dans l'espace.")
    publish_article("Changer d'offre", "Passez à la fibre optique.", publish=False)
    assert found("offre") == [f"article:{page.pk}"]
    assert found("optique") == []


@pytest.mark.django_db
def test_unpublished_and_deleted_articles_leave_the_index(
    publish_article, django_capture_on_commit_callbacks
):
    page = publish_article("Couper la ligne téléphonique", "Résiliez la ligne.")
    other = publish_article("Ligne coupée après orage", "Vérifiez la prise.")
    assert set(found("ligne")) == {f"article:{page.pk}", f"article:{other.pk}"}
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert found("ligne") == [f"article:{other.pk}"]
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    assert found("ligne") == []


@pytest.fixture
def forum(db):

    parent = forum_create(name="Communauté", lang="fr", category=True)
    return forum_create(
        name="Internet et box", lang="fr", parent=parent, is_default=True
    )


@pytest.mark.django_db
def test_forum_topic_lifecycle(forum, django_capture_on_commit_callbacks):

    trusted = user_with_role(roles.TRUSTED_MEMBERS)
    moderator = user_with_role(roles.MODERATORS)
    newcomer = UserFactory(verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        topic = topic_create(
            forum=forum,
            user=trusted,
            subject="Ma box redémarre la nuit",
            content="Elle redémarre chaque nuit vers trois heures.",
        )
    assert found("redemarrer", kinds=["topic"]) == [f"topic:{topic.pk}"]

    with django_capture_on_commit_callbacks(execute=True):
        reply = post_create(
            topic=topic, user=newcomer, content="Essayez le paramètre wifi planifié."
        )
    if reply.approved:
        pytest.skip("the forum does not queue a newcomer's first reply")
    assert found("planifie") == []
    with django_capture_on_commit_callbacks(execute=True):
        post_approve(post=reply, moderator=moderator)
    assert found("planifie") == [f"topic:{topic.pk}"]

    with django_capture_on_commit_callbacks(execute=True):
        topic.delete()
    assert found("redemarrer") == []


@pytest.mark.django_db
def test_topic_waiting_for_moderation_is_never_found(
    forum, django_capture_on_commit_callbacks
):

    newcomer = UserFactory(verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        topic = topic_create(
            forum=forum,
            user=newcomer,
            subject="Question en attente de modération",
            content="Mon décodeur affiche un écran noir.",
        )
    if topic.first_post.approved:
        pytest.skip("the forum does not queue a newcomer's first topic")
    assert found("decodeur") == []
