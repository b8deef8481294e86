"""The groups every app relies on (a data migration in `forum` creates them)."""

from allauth.account.models import EmailAddress

MEMBERS = "members"
TRUSTED_MEMBERS = "trusted members"
MODERATORS = "moderators"
SUPPORT_AGENTS = "support agents"
COMMUNITY_MANAGERS = "community managers"
STAFF = "staff"

ALL_GROUPS = [
    MEMBERS,
    TRUSTED_MEMBERS,
    MODERATORS,
    SUPPORT_AGENTS,
    COMMUNITY_MANAGERS,
    STAFF,
]


def user_in(user, *groups):
    """True when the user belongs to any of ``groups`` (superusers always do).

    "staff" means both the group and Django's ``is_staff`` flag, so an admin
    created with `createsuperuser` can do everything staff can.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if STAFF in groups and user.is_staff:
        return True
    names = getattr(user, "_entraide_group_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._entraide_group_names = names
    return any(g in names for g in groups)


def has_verified_email(user):
    """Writing anything requires a verified e-mail address (allauth)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return EmailAddress.objects.filter(user=user, verified=True).exists()
