"""Writes about people: profiles, community membership, account handles."""

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
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


def site_update_from_settings() -> Site:
    """Make the Sites framework row say ``SITE_NAME`` at ``SITE_URL``'s host.

    allauth names the site in every mail it writes from this row, which
    Django creates as "example.com"; the settings are the one source.
    """
    domain = urlsplit(settings.SITE_URL).netloc
    site, _created = Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": domain, "name": settings.SITE_NAME},
    )
    Site.objects.clear_cache()
    return site


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
