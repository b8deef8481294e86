"""People find their work from the header; the admin is where they look for it."""

import pytest
from wagtail.models import Page

from accounts import roles
from kb.services.structure import WAGTAIL_PLACEHOLDER_TITLE, kb_structure_ensure
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def _header(client):
    page = client.get("/fr/").content.decode()
    return page.split('<header class="site-header"', 1)[1].split("</header>", 1)[0]


def test_agents_see_the_ticket_queue_in_the_header(client):
    client.force_login(user_with_role(roles.SUPPORT_AGENTS))
    header = _header(client)
    assert 'href="/fr/support/queue/"' in header
    assert "File des demandes" in header
    assert 'href="/fr/social/"' not in header


def test_community_managers_see_the_social_dashboard_in_the_header(client):
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    header = _header(client)
    assert 'href="/fr/social/"' in header
    assert "Mentions sur les réseaux" in header
    assert 'href="/fr/support/queue/"' not in header


def test_members_and_visitors_see_no_work_links(client):
    assert "/support/queue/" not in _header(client)
    client.force_login(UserFactory())
    header = _header(client)
    assert "/support/queue/" not in header and "/social/" not in header


@pytest.mark.parametrize("path", ["/admin/", "/admin", "/admin/pages/"])
def test_admin_leads_to_the_wagtail_admin(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/cms/"


def test_site_roots_are_named_after_the_site():
    kb_structure_ensure()
    roots = Page.objects.filter(depth=2)
    assert roots.exists()
    for page in roots:
        assert page.title == "Entraide"
        assert page.get_latest_revision().content["title"] == "Entraide"
    assert not Page.objects.filter(title=WAGTAIL_PLACEHOLDER_TITLE).exists()
