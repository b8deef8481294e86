"""machina finds our versions of its templates through TEMPLATES DIRS."""

from pathlib import Path

import pytest
from django.template.loader import get_template

from tests.forum.conftest import forum_path, topic_path

OVERRIDES = (
    Path(__file__).resolve().parents[2]
    / "forum"
    / "templates"
    / "community_forum"
    / "machina"
)


def _names():
    return sorted(
        str(path.relative_to(OVERRIDES))
        for path in OVERRIDES.rglob("*.html")
        if not path.name.startswith("_")
    )


@pytest.mark.parametrize("name", _names())
def test_machina_template_names_resolve_to_our_overrides(name):
    assert Path(get_template(name).origin.name) == OVERRIDES / name


def test_forum_pages_render_our_templates(client, forums, topic, member):
    client.force_login(member)
    for path, name in [
        ("/fr/forum/", "forum/index.html"),
        (forum_path(forums["fr"]), "forum/forum_detail.html"),
        (topic_path(topic), "forum_conversation/topic_detail.html"),
    ]:
        response = client.get(path)
        used = {t.name: t.origin.name for t in response.templates}
        assert Path(used[name]) == OVERRIDES / name, path
        assert Path(used["board_base.html"]) == OVERRIDES / "board_base.html", path
