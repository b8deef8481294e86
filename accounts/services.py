"""Writes about people: profiles, community membership, account handles."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Profile
from accounts.roles import MEMBERS


def profile_get_or_create(*, user: AbstractBaseUser) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(
    *, user: AbstractBaseUser, display_name: str, preferred_language: str
) -> Profile:
    profile = profile_get_or_create(user=user)
    profile.display_name = display_name.strip()
    profile.preferred_language = preferred_language
    profile.full_clean()
    profile.save()
    return profile


def member_join(*, user: AbstractBaseUser) -> None:
    """A newly verified address makes the account a member of the community."""
    group, _created = Group.objects.get_or_create(name=MEMBERS)
    user.groups.add(group)
    profile_get_or_create(user=user)


def username_generate() -> str:
    """A fresh, unused handle for a new account: ``member-`` and random letters.

    Never derived from the e-mail address (allauth's default), since usernames
    show in places we do not control (machina, the admin) and would give away
    the address's local part.
    """
    users = get_user_model().objects
    while True:
        candidate = f"member-{secrets.token_hex(5)}"
        if not users.filter(username__iexact=candidate).exists():
            return candidate
