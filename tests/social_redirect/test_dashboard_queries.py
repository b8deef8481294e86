"""The social dashboard costs the same number of queries for 3 or 9 mentions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from social_redirect.models import Mention, RedirectLink, ReplyTemplate
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _mentions(n, start):
    now = timezone.now()
    for i in range(start, start + n):
        for handled in (False, True):
            mention = Mention.objects.create(
                source=Mention.Source.MANUAL,
                text=f"@EntraideTelecom box en panne {i}",
                author_handle=f"client{i}{handled:d}",
                lang="fr" if i % 2 else "en",
                posted_at=now - timedelta(minutes=i),
                target_kind="ticket" if i % 3 == 0 else "article",
                target_title="Voyant rouge",
                # A sure match: below "check" no article reply is drafted.
                confidence=0.9,
                acted_at=now if handled else None,
                status=(Mention.Status.ACKNOWLEDGED if handled else Mention.Status.NEW),
            )
            for k in range(2):
                RedirectLink.objects.create(
                    code=f"c{i}{handled:d}{k}",
                    mention=mention,
                    kind="article",
                    target_path="/fr/kb/x/",
                )


def test_dashboard_queries_do_not_grow_with_mentions(
    client, django_assert_max_num_queries
):
    ReplyTemplate.objects.create(variant="article", lang="fr", text="{name} {link}")
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    _mentions(3, 0)
    with django_assert_max_num_queries(20) as few:
        page = client.get("/fr/social/")
    assert page.status_code == 200
    # The stored template is used, the newest link shown.
    assert "@client10 http" in page.content.decode()
    assert "/r/c101" in page.content.decode() and "/r/c100" not in page.content.decode()
    _mentions(6, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/fr/social/")
    assert page.content.decode().count('class="card social-mention"') == 18
