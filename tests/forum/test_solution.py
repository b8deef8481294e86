import re

from accounts.selectors import user_public_name
from forum.models import TopicPromotion, TopicSolution
from forum.services import post_create, topic_create
from kb.models import ArticleCredit, ArticleEdit, ArticlePage
from kb.services.editing import article_edit_approve
from tests.factories import user_with_role
from tests.forum.conftest import forum_path, topic_path
from tests.kb.factories import build_kb_tree


def test_author_marks_the_solution_and_topic_shows_the_badge(
    client, topic, reply, trusted
):
    client.force_login(trusted)
    response = client.post(f"/fr/forum/post/{reply.pk}/solution/")
    assert response.status_code == 302
    assert TopicSolution.objects.get(topic=topic).post == reply
    client.logout()
    page = client.get(topic_path(topic)).content.decode()
    assert '<span class="badge badge-solved">Résolu</span>' in page
    # The solution sits right under the question, before the other replies.
    question = page.index("Elle redémarre chaque nuit vers 3 h.")
    solution = page.index("Désactivez le redémarrage programmé.")
    assert question < solution < page.index("Réponses")
    english = client.get(topic_path(topic).replace("/fr/", "/en/", 1)).content.decode()
    assert '<span class="badge badge-solved">Solved</span>' in english


def test_other_members_cannot_mark_a_solution(client, topic, reply, seasoned_member):
    client.force_login(seasoned_member)
    response = client.post(f"/fr/forum/post/{reply.pk}/solution/")
    assert response.status_code == 403
    assert "auteur du sujet" in response.content.decode()
    assert not TopicSolution.objects.exists()


def test_moderator_marks_and_unmarks_a_solution(client, topic, reply, moderator):
    client.force_login(moderator)
    client.post(f"/fr/forum/post/{reply.pk}/solution/")
    assert TopicSolution.objects.filter(topic=topic).exists()
    client.post(f"/fr/forum/topic/{topic.pk}/unsolve/")
    assert not TopicSolution.objects.filter(topic=topic).exists()


def test_topic_list_filters_solved_and_unsolved(client, forums, topic, reply, trusted):

    open_topic = topic_create(
        forum=forums["fr"],
        user=trusted,
        subject="Question toujours ouverte",
        content="Personne n'a trouvé.",
    )
    TopicSolution.objects.create(topic=topic, post=reply, marked_by=trusted)
    solved = client.get(forum_path(forums["fr"]) + "?status=solved").content.decode()
    assert topic.subject in solved
    assert open_topic.subject not in solved
    unsolved = client.get(
        forum_path(forums["fr"]) + "?status=unsolved"
    ).content.decode()
    assert open_topic.subject in unsolved
    assert topic.subject not in unsolved


def test_moderator_promotes_a_solved_topic_to_a_kb_draft(
    client, forums, trusted, moderator
):

    kb = build_kb_tree()
    topic = topic_create(
        forum=forums["fr"],
        user=trusted,
        subject="Ma box redémarre la nuit",
        content="Bonjour,\n\nDepuis lundi ma box redémarre chaque nuit vers 3 h. "
        "Le Wi-Fi coupe alors pendant cinq minutes. Une idée ?\n\nMerci !",
    )
    reply = post_create(
        topic=topic,
        user=moderator,
        content="Bonjour,\n\n1. Ouvrez l'interface de la box.\n"
        "2. Désactivez le redémarrage programmé.\n\nBonne journée !",
    )
    TopicSolution.objects.create(topic=topic, post=reply, marked_by=trusted)
    client.force_login(moderator)
    url = f"/fr/forum/topic/{topic.pk}/promote/"
    form = client.get(url).content.decode()
    # Prefilled from the question and the answer, without the greetings.
    assert "Depuis lundi ma box redémarre chaque nuit vers 3 h." in form
    assert "Bonjour" not in form and "Merci !" not in form
    assert "2. Désactivez le redémarrage programmé." in form
    response = client.post(
        url,
        {
            "category": kb.cat_fr.pk,
            "title": "La box redémarre toutes les nuits",
            "summary": "Un redémarrage programmé coupe la box la nuit.",
            "body": "1. Ouvrez l'interface de la box.\n"
            "2. Désactivez le redémarrage programmé.",
        },
    )
    assert response.status_code == 302
    promotion = TopicPromotion.objects.get(topic=topic)
    page = ArticlePage.objects.get(pk=promotion.article_page_id)
    assert page.title == "La box redémarre toutes les nuits"
    assert page.summary == "Un redémarrage programmé coupe la box la nuit."
    assert not page.live
    # In the chosen category, with a French slug.
    assert page.get_parent().pk == kb.cat_fr.pk
    assert page.slug == "la-box-redemarre-toutes-les-nuits"
    body = page.body_markdown()
    assert "Depuis lundi" not in body  # the question is not repeated
    names = f"{user_public_name(trusted)}, {user_public_name(moderator)}"
    assert f"[Ma box redémarre la nuit]({topic_path(topic)}), par {names}." in body
    edit = ArticleEdit.objects.get(page=page)
    assert edit.status == ArticleEdit.Status.PENDING
    assert (
        edit.summary == "Proposé depuis le sujet du forum « Ma box redémarre la nuit »"
    )
    credited = set(
        ArticleCredit.objects.filter(page=page).values_list("user", flat=True)
    )
    assert credited == {trusted.pk, moderator.pk}
    # Not yet published: readers see no link to it.
    client.logout()
    assert (
        "est maintenant un article"
        not in client.get(topic_path(topic)).content.decode()
    )

    article_edit_approve(edit=edit, reviewer=user_with_role("trusted members"))
    page.refresh_from_db()
    page_html = client.get(topic_path(topic)).content.decode()
    assert "Cette solution est maintenant un article" in page_html
    assert page.url in page_html
    article = client.get(page.url).content.decode()
    assert re.search(
        rf'<a href="[^"]*topic/[^"]*-{topic.pk}/"[^>]*>Ma box redémarre la nuit</a>',
        article,
    )


def test_promote_form_keeps_what_was_typed(client, topic, reply, trusted, moderator):
    TopicSolution.objects.create(topic=topic, post=reply, marked_by=trusted)
    client.force_login(moderator)
    response = client.post(
        f"/fr/forum/topic/{topic.pk}/promote/",
        {"title": "Mon titre", "summary": "", "body": "1. Une étape"},
    )
    assert response.status_code == 200
    assert "Mon titre" in response.content.decode()
    assert not TopicPromotion.objects.exists()


def test_unsolved_topic_cannot_be_promoted(client, topic, reply, moderator):
    client.force_login(moderator)
    response = client.post(f"/fr/forum/topic/{topic.pk}/promote/")
    assert response.status_code == 409
    assert not TopicPromotion.objects.exists()


def test_members_cannot_promote(client, topic, reply, trusted):
    TopicSolution.objects.create(topic=topic, post=reply, marked_by=trusted)
    client.force_login(trusted)
    assert client.post(f"/fr/forum/topic/{topic.pk}/promote/").status_code == 403
