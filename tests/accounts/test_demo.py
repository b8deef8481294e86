from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts import roles
from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_load_demo_creates_every_app_content_once_and_lists_the_accounts():
    first, second = StringIO(), StringIO()
    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)

    assert "- forum: 6 demo topic(s) created" in first.getvalue()
    assert "social: 5 demo mentions added" in first.getvalue()
    assert "- forum: 0 demo topic(s) created" in second.getvalue()
    assert "social: 0 demo mentions added" in second.getvalue()
    for username, display_name, groups, _staff, _superuser in DEMO_ACCOUNTS:
        line = f"  {username}@entraide.example  {display_name}  [{', '.join(groups)}]"
        assert line in second.getvalue()
    moderator = authenticate(username="moderator", password=DEMO_PASSWORD)
    assert moderator.profile.public_name == "Sam Leroy"
    assert roles.user_in(moderator, roles.MODERATORS)
