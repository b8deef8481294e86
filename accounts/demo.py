"""Demo people for `manage.py load_demo`: one account per role, FR display names."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from accounts import roles
from accounts.services import profile_get_or_create

# (username, display name, groups, is_staff, is_superuser)
DEMO_ACCOUNTS = [
    ("member", "Camille Martin", [roles.MEMBERS], False, False),
    (
        "trusted",
        "Alex Dubois",
        [roles.MEMBERS, roles.TRUSTED_MEMBERS],
        False,
        False,
    ),
    ("moderator", "Sam Leroy", [roles.MEMBERS, roles.MODERATORS], False, False),
    (
        "agent",
        "Dominique Petit",
        [roles.MEMBERS, roles.SUPPORT_AGENTS],
        False,
        False,
    ),
    (
        "cm",
        "Morgan Lefèvre",
        [roles.MEMBERS, roles.COMMUNITY_MANAGERS],
        False,
        False,
    ),
    ("admin", "Admin", [roles.MEMBERS, roles.STAFF], True, True),
]
DEMO_PASSWORD = "entraide-demo"


@transaction.atomic
def load_demo_accounts() -> None:
    """Create the demo accounts, verified, in their groups. Idempotent."""
    User = get_user_model()
    for username, display_name, groups, is_staff, is_superuser in DEMO_ACCOUNTS:
        email = f"{username}@entraide.example"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": email,
                "is_staff": is_staff,
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        profile = profile_get_or_create(user=user)
        if not profile.display_name:
            profile.display_name = display_name
            profile.save(update_fields=["display_name"])


def demo_users(usernames) -> dict:
    """``{username: user}`` for the demo accounts among ``usernames`` that exist."""
    return {
        user.username: user
        for user in get_user_model().objects.filter(username__in=usernames)
    }
