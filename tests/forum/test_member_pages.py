"""Member pages cannot be used to list accounts: only people who posted have
one, under their public name, and no handle is built from an e-mail address."""

import pytest
from django.contrib.auth import get_user_model

from accounts.services import profile_update
from forum.services import post_create, topic_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Une phrase de passe solide 42"


def _profile(pk, lang="fr"):
    return f"/{lang}/forum/member/profile/{pk}/"


@pytest.fixture
def poster(forums):
    # An account from before the fix: allauth built its username from the address.
    user = UserFactory(username="jeanne.secret", email="jeanne.secret@example.org")
    profile_update(user=user, display_name="Jeanne D.", preferred_language="fr")
    topic = topic_create(
        forum=forums["fr"],
        user=user,
        subject="Box muette",
        content="Plus de tonalité.",
        preapproved=True,
    )
    post_create(topic=topic, user=user, content="Résolu.", preapproved=True)
    return user


def test_never_posted_and_unverified_accounts_have_no_member_page(client, forums):
    silent = UserFactory()
    unverified = UserFactory(verified=False)
    for user in (silent, unverified):
        assert client.get(_profile(user.pk)).status_code == 404
        assert client.get(_profile(user.pk) + "posts/").status_code == 404
    assert client.get(_profile("abc")).status_code == 404
    assert client.get(_profile(99999)).status_code == 404


def test_a_post_waiting_for_approval_does_not_open_a_member_page(
    client, forums, trusted
):
    newcomer = UserFactory()
    topic = topic_create(
        forum=forums["fr"], user=trusted, subject="Sujet", content="Question"
    )
    post = post_create(topic=topic, user=newcomer, content="Ma première réponse")
    assert not post.approved  # first posts are moderated
    assert client.get(_profile(newcomer.pk)).status_code == 404


def test_poster_page_shows_the_display_name_not_the_address(client, poster):
    for url in (_profile(poster.pk), _profile(poster.pk) + "posts/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Jeanne D." in html
        assert "jeanne.secret" not in html


def test_people_see_their_own_member_pages_before_posting(client, forums):
    user = UserFactory()
    client.force_login(user)
    assert client.get(_profile(user.pk) + "posts/").status_code == 200


def test_new_signup_username_is_not_built_from_the_address(client):
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": "marcel.proust1871@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="marcel.proust1871@example.org")
    assert user.username
    assert "marcel" not in user.username.lower()
    assert "proust" not in user.username.lower()
