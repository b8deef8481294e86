"""Asking a question in the right category, with answers suggested first."""

from machina.apps.forum_conversation.models import Topic

from search.services import document_upsert
from tests.forum.conftest import forum_path, topic_create_path


def test_ask_preselects_the_forum_the_asker_came_from(client, forums, seasoned_member):
    client.force_login(seasoned_member)
    mobile = forums["fr_mobile"]
    response = client.get(f"/fr/forum/ask/?forum={mobile.pk}")
    assert response["Location"] == topic_create_path(mobile)
    response = client.get(
        "/fr/forum/ask/", headers={"referer": "http://testserver" + forum_path(mobile)}
    )
    assert response["Location"] == topic_create_path(mobile)
    # An English forum or an unknown id falls back to the default French forum.
    response = client.get(f"/fr/forum/ask/?forum={forums['en'].pk}")
    assert response["Location"] == topic_create_path(forums["fr"])
    assert client.get("/fr/forum/ask/?forum=999999")["Location"] == (
        topic_create_path(forums["fr"])
    )


def test_the_form_asks_for_the_category_and_posts_there(
    client, forums, seasoned_member
):
    client.force_login(seasoned_member)
    page = client.get(topic_create_path(forums["fr"])).content.decode()
    assert '<label for="id_entraide_forum">Catégorie</label>' in page
    assert f'<option value="{forums["fr_mobile"].pk}">Mobile FR</option>' in page
    assert "Internet and router" not in page  # not the other language's forums
    client.post(
        topic_create_path(forums["fr"]),
        {
            "entraide_forum": forums["fr_mobile"].pk,
            "subject": "La 4G coupe le soir",
            "content": "Depuis lundi.",
        },
    )
    topic = Topic.objects.get(subject="La 4G coupe le soir")
    assert topic.forum == forums["fr_mobile"]
    # A forum of the other language cannot be forced in.
    client.post(
        topic_create_path(forums["fr"]),
        {"entraide_forum": forums["en"].pk, "subject": "Autre", "content": "Texte"},
    )
    assert Topic.objects.get(subject="Autre").forum == forums["fr"]
    # A number no forum can have is ignored, not a server error.
    response = client.post(
        topic_create_path(forums["fr"]),
        {"entraide_forum": "9" * 5000, "subject": "Grand", "content": "Texte"},
    )
    assert response.status_code in (200, 302)
    assert Topic.objects.get(subject="Grand").forum == forums["fr"]


def test_a_prefilled_title_lists_existing_answers_without_script(
    client, forums, seasoned_member
):
    document_upsert(
        {
            "kind": "article",
            "id": "article:1",
            "lang": "fr",
            "title": "La 4G ne fonctionne plus",
            "summary": "Réactiver les données mobiles.",
            "symptoms": "",
            "body": "Activez les données mobiles dans les réglages.",
            "tags": [],
            "category": "Mobile",
            "url": "/fr/kb/mobile/4g/",
        }
    )
    client.force_login(seasoned_member)
    response = client.get("/fr/forum/ask/?subject=4G+ne+fonctionne+plus", follow=True)
    page = response.content.decode()
    assert "Ces réponses résolvent peut-être déjà votre problème" in page
    assert '<a href="/fr/kb/mobile/4g/">La 4G ne fonctionne plus</a>' in page
    assert "community_forum/ask.js" in page
