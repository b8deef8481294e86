"""Public pages forbid inline scripts; only the Wagtail admin keeps them."""

from html.parser import HTMLParser

import pytest

from forum.selectors import topic_url
from forum.services import forum_create, topic_create
from tests.kb.factories import build_kb_tree


def script_sources(response):
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";")
    )
    return directives["script-src"].split()


class _InlineScripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=>")
        # Data blocks (JSON) are not run, so CSP leaves them alone.
        if (
            tag == "script"
            and "src" not in attrs
            and (attrs.get("type") or "").lower() not in ("application/json",)
        ):
            self.found.append("inline <script>")
        if any(
            (v or "").strip().lower().startswith("javascript:") for v in attrs.values()
        ):
            self.found.append(f"<{tag} javascript: URL>")


def inline_scripts(html):
    parser = _InlineScripts()
    parser.feed(html)
    return parser.found


@pytest.fixture
def public_paths(db, trusted):
    kb = build_kb_tree()
    category = forum_create(name="Communauté", lang="fr", category=True)
    forum = forum_create(name="Internet", lang="fr", parent=category, is_default=True)
    topic = topic_create(
        forum=forum, user=trusted, subject="Ma box redémarre", content="Chaque nuit."
    )
    return [
        "/fr/",
        "/en/",
        "/fr/kb/",
        kb.article_fr.url,
        kb.article_en.url,
        "/fr/search/?q=box",
        "/fr/forum/",
        topic_url(topic, "fr"),
        "/fr/support/new/",
        "/fr/accounts/login/",
        "/en/accounts/signup/",
    ]


def test_public_pages_forbid_inline_scripts_and_use_none(client, public_paths):
    for path in public_paths:
        response = client.get(path)
        assert response.status_code == 200, path
        sources = script_sources(response)
        assert "'self'" in sources, path
        assert "'unsafe-inline'" not in sources, path
        assert inline_scripts(response.content.decode()) == [], path


def test_a_members_edit_page_forbids_inline_scripts(client, trusted):
    kb = build_kb_tree()
    client.force_login(trusted)
    response = client.get(kb.article_fr.url + "edit/")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in script_sources(response)
    assert inline_scripts(response.content.decode()) == []


def test_the_wagtail_admin_keeps_its_inline_scripts(admin_client, db):
    kb = build_kb_tree()
    response = admin_client.get(f"/cms/pages/{kb.article_fr.pk}/edit/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in script_sources(response)
    # The page editor runs inline scripts (date pickers): they need the exception.
    assert "inline <script>" in inline_scripts(response.content.decode())
    # The rest of the policy is the site's.
    policy = response["Content-Security-Policy"]
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
