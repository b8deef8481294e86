from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import UserFactory
from tests.forum.conftest import (
    forum_path,
    post_create_path,
    topic_create_path,
    topic_path,
)


def test_index_shows_the_forums_of_the_current_language(client, forums):
    french = client.get("/fr/forum/").content.decode()
    assert "Internet et box" in french
    assert "Internet and router" not in french
    assert "Poser une question" in french
    english = client.get("/en/forum/").content.decode()
    assert "Internet and router" in english
    assert "Internet et box" not in english
    assert "Ask a question" in english


def test_topic_page_in_both_languages(client, topic, reply, seasoned_member):
    client.force_login(seasoned_member)
    french = client.get(topic_path(topic)).content.decode()
    assert "Poster une réponse" in french
    assert '<html lang="fr">' in french
    english = client.get(topic_path(topic).replace("/fr/", "/en/", 1)).content.decode()
    assert "Post reply" in english
    assert '<html lang="en">' in english
    assert "Report" in english and "Signaler" in french


def test_forum_page_in_both_languages(client, forums):
    assert "Non résolus" in client.get(forum_path(forums["fr"])).content.decode()
    assert "Unsolved" in client.get(forum_path(forums["fr"], "en")).content.decode()


def test_ask_opens_a_prefilled_question_in_the_language_forum(client, forums):
    member = UserFactory()
    client.force_login(member)
    response = client.get("/en/forum/ask/?subject=Router+blinks&body=Orange+light")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == topic_create_path(forums["en"], "en")
    assert parse_qs(location.query) == {
        "subject": ["Router blinks"],
        "body": ["Orange light"],
    }
    form = client.get(response["Location"]).content.decode()
    assert 'value="Router blinks"' in form
    assert "Orange light</textarea>" in form
    french = client.get("/fr/forum/ask/")
    assert urlsplit(french["Location"]).path == topic_create_path(forums["fr"])


def test_ask_needs_a_signed_in_verified_member(client, forums):
    response = client.get("/fr/forum/ask/?subject=x")
    assert "/accounts/login/" in response["Location"]
    client.force_login(UserFactory(verified=False))
    response = client.get("/fr/forum/ask/")
    assert response.status_code == 403
    assert "confirmer votre adresse" in response.content.decode()


def test_forum_search_redirects_to_the_site_search(client, db):
    response = client.get("/fr/forum/search/?q=box+wifi")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/fr/search/"
    assert parse_qs(location.query) == {"kind": ["topic"], "q": ["box wifi"]}


@pytest.mark.parametrize(
    ("lang", "new_topic", "reply"),
    [
        ("fr", "Poser une question", "Poster une réponse"),
        ("en", "Ask a question", "Post a reply"),
    ],
)
def test_post_form_pages_in_both_languages(
    client, forums, topic, member, lang, new_topic, reply
):
    client.force_login(member)
    create_page = client.get(topic_create_path(forums["fr"], lang)).content.decode()
    assert f"<h1>{new_topic}" in create_page
    assert 'name="subject"' in create_page
    reply_page = client.get(post_create_path(topic, lang)).content.decode()
    assert f"<h1>{reply}" in reply_page
    assert 'name="content"' in reply_page
