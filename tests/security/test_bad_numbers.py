"""Finding 4: huge numbers in forms and links are a form error or ignored,
never a 500."""

import pytest
from django.urls import reverse

from accounts import roles
from search.models import QueryLog
from search.views import click_signature
from social_redirect.models import Mention
from tests.factories import user_with_role
from tests.kb.factories import build_kb_tree

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def test_search_click_with_a_huge_rank_still_takes_the_visitor_there(client):
    log = QueryLog.objects.create(
        query="box", normalized="box", result_count=1, backend="embedded"
    )
    response = client.get(
        reverse("search:click", args=[log.pk]),
        {"to": "/fr/kb/", "rank": HUGE, "sig": click_signature(log.pk)},
    )
    assert response.status_code == 302 and response["Location"] == "/fr/kb/"
    log.refresh_from_db()
    assert log.clicked_url == "/fr/kb/" and log.clicked_rank is None


def test_search_click_with_a_huge_log_id_is_not_a_500(client):
    response = client.get(f"/fr/search/go/{HUGE}/", {"to": "/fr/kb/", "rank": "1"})
    assert response.status_code in (302, 404)


@pytest.mark.parametrize("value", [HUGE, "9" * 5000, "-1", "1e9", "abc", "1.5"])
def test_kb_propose_with_a_bad_category_is_a_form_error(client, member, value):
    build_kb_tree()
    client.force_login(member)
    response = client.post(
        "/fr/kb/propose/",
        {
            "category": value,
            "title": "Réinitialiser le Wi-Fi",
            "summary": "Revenir au mot de passe d'usine.",
            "body": "1. Appuyez sur reset.",
        },
    )
    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    # What the person typed is still in the form.
    assert "Appuyez sur reset." in response.content.decode()


def test_social_paste_with_huge_followers_is_a_form_error(client, settings):
    settings.SOCIAL_SEMANTIC_MATCHING = False
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    response = client.post(
        "/en/social/",
        {
            "url": "https://x.com/claire/status/987654321",
            "text": "Still no internet, third day in a row",
            "followers_count": "1" + "0" * 30,
        },
    )
    assert response.status_code == 200
    assert "followers_count" in response.context["form"].errors
    assert "third day in a row" in response.content.decode()
    assert not Mention.objects.exists()
