import base64
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts import roles
from social_redirect.models import Mention, RedirectLink
from tests.factories import UserFactory, user_with_role
from tests.status.helpers import demo_components, open_incident

pytestmark = pytest.mark.django_db


def _mentions():
    now = timezone.now()
    for i in range(6):
        mention = Mention.objects.create(
            source="manual",
            external_id=f"d{i}",
            text=f"@EntraideTelecom la box ne marche plus, inadmissible !!! {i}",
            lang="fr",
            posted_at=now - timedelta(minutes=10 * i),
            unhappiness=0.8 if i % 2 else 0.1,
            response_seconds=600 if i < 4 else 7200,
            target_kind="ticket" if i == 5 else "article",
            triaged_at=now,
        )
        RedirectLink.objects.create(
            code=f"code{i}",
            mention=mention,
            kind="article",
            target_path="/fr/kb/connexion/plus-d-internet/",
            clicks=1 if i < 3 else 0,
            read_at=now if i < 2 else None,
        )


def test_digest_shows_charts_with_table_alternatives(client):
    demo_components()
    _mentions()
    open_incident(title_fr="Panne internet à Lyon")
    client.force_login(user_with_role(roles.COMMUNITY_MANAGERS))
    response = client.get("/fr/social/digest/")
    assert response.status_code == 200
    html = response.content.decode()
    images = re.findall(
        r'<img src="data:image/svg\+xml;base64,([^"]+)"[^>]*alt="([^"]+)"', html
    )
    assert len(images) == 4
    for data, alt in images:
        svg = base64.b64decode(data).decode()
        assert svg.startswith("<svg") and ("Mentions" in svg or "Liens" in svg)
        assert "tableau" in alt
    # Each chart's figures are in a table too.
    assert html.count("<table>") == 4
    assert "Mentions par heure face au niveau habituel" in html
    assert "Internet et box" in html  # top topic with its examples
    assert "la box ne marche plus" in html
    assert "Panne internet à Lyon" in html
    funnel = html[html.index('id="funnel-title"') :]
    assert re.search(r"Cliqués</th><td>3<", funnel)
    assert "Mentions sans bon article" in html


def test_digest_is_for_community_managers_and_staff(client):
    url = "/en/social/digest/"
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(user_with_role(roles.STAFF))
    assert client.get(url).status_code == 200


def test_daily_digest_mail_goes_to_staff_with_the_page_link(capsys):
    demo_components()
    _mentions()
    user_with_role(roles.STAFF, email="direction@example.org")
    call_command("social_digest_mail", "--dry-run")
    assert "direction@example.org" in capsys.readouterr().out
    assert mail.outbox == []
    call_command("social_digest_mail")
    [sent] = mail.outbox
    assert sent.to == ["direction@example.org"]
    assert "Synthèse pour les équipes" in sent.subject
    assert "Internet et box (6)" in sent.body
    assert "/fr/social/digest/" in sent.body
