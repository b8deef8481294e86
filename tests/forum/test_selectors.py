from io import StringIO

from machina.apps.forum_conversation.models import Topic

from forum import selectors
from forum.demo import TOPICS, load_demo_topics
from forum.models import TopicSolution
from forum.services import topic_create
from tests.factories import UserFactory


def test_topic_search_document(topic, reply, trusted):
    TopicSolution.objects.create(topic=topic, post=reply, marked_by=trusted)
    doc = selectors.topic_search_document(topic)
    assert doc["kind"] == "topic"
    assert doc["id"] == f"topic:{topic.pk}"
    assert doc["lang"] == "fr"
    assert doc["title"] == topic.subject
    assert doc["question"].strip() == "Elle redémarre chaque nuit vers 3 h."
    assert doc["solution"].strip() == "Désactivez le redémarrage programmé."
    assert doc["solved"] is True
    assert doc["category"] == "Internet et box"
    assert doc["url"].startswith("/fr/forum/")
    assert doc["source"] is None


def test_unapproved_topic_has_no_search_document(forums):
    topic = topic_create(
        forum=forums["en"], user=UserFactory(), subject="Hi", content="New"
    )
    assert not topic.approved
    assert selectors.topic_search_document(topic) is None
    assert topic not in selectors.public_topics()


def test_recent_topics_are_per_language(topic, forums, trusted):
    english = topic_create(
        forum=forums["en"], user=trusted, subject="Router", content="x"
    )
    assert [t["title"] for t in selectors.recent_topics("fr", 5)] == [topic.subject]
    recent_en = selectors.recent_topics("en", 5)
    assert [t["title"] for t in recent_en] == [english.subject]
    assert recent_en[0]["url"].startswith("/en/forum/")
    assert recent_en[0]["solved"] is False


def test_demo_topics_load_once(db):

    for name in ("member", "trusted", "moderator", "agent"):
        UserFactory(username=name)
    load_demo_topics(StringIO())
    assert Topic.objects.filter(approved=True).count() == len(TOPICS)
    assert TopicSolution.objects.count() == sum(1 for t in TOPICS if t[6] is not None)
    load_demo_topics(StringIO())
    assert Topic.objects.count() == len(TOPICS)
    assert selectors.recent_topics("en", 10) and selectors.recent_topics("fr", 10)
