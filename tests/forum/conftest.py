import pytest

from forum.selectors import topic_url
from forum.services import forum_create, post_create, topic_create
from tests.factories import UserFactory


@pytest.fixture
def forums(db):
    fr_cat = forum_create(name="Communauté", lang="fr", category=True)
    en_cat = forum_create(name="Community", lang="en", category=True)
    return {
        "fr": forum_create(
            name="Internet et box", lang="fr", parent=fr_cat, is_default=True
        ),
        "fr_mobile": forum_create(name="Mobile FR", lang="fr", parent=fr_cat),
        "en": forum_create(
            name="Internet and router", lang="en", parent=en_cat, is_default=True
        ),
    }


@pytest.fixture
def topic(forums, trusted):
    """An approved French topic by a trusted member."""
    return topic_create(
        forum=forums["fr"],
        user=trusted,
        subject="Ma box redémarre la nuit",
        content="Elle redémarre chaque nuit vers 3 h.",
    )


@pytest.fixture
def reply(topic, moderator):
    return post_create(
        topic=topic, user=moderator, content="Désactivez le redémarrage programmé."
    )


def topic_path(topic):

    return topic_url(topic, "fr")


def topic_create_path(forum, lang="fr"):
    return f"/{lang}/forum/forum/{forum.slug}-{forum.pk}/topic/create/"


def post_create_path(topic, lang="fr"):
    forum = topic.forum
    return (
        f"/{lang}/forum/forum/{forum.slug}-{forum.pk}/topic/"
        f"{topic.slug}-{topic.pk}/post/create/"
    )


def forum_path(forum, lang="fr"):
    return f"/{lang}/forum/forum/{forum.slug}-{forum.pk}/"


@pytest.fixture
def seasoned_member(forums):
    """A plain member past the first-posts rule (2 approved posts, no link rule yet)."""
    user = UserFactory()
    old = topic_create(
        forum=forums["fr"],
        user=user,
        subject="Ancienne question",
        content="Bonjour",
        preapproved=True,
    )
    post_create(topic=old, user=user, content="Merci", preapproved=True)
    return user
