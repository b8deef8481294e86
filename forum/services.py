from django.contrib.auth.models import Group
from django.db import transaction

from config.roles import MEMBERS
from forum.models import Profile


def profile_get_or_create(user):
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(user, *, display_name, preferred_language):
    profile = profile_get_or_create(user)
    profile.display_name = display_name.strip()
    profile.preferred_language = preferred_language
    profile.full_clean()
    profile.save()
    return profile


def member_join(user):
    """A newly verified address makes the account a member of the community."""
    group, _created = Group.objects.get_or_create(name=MEMBERS)
    user.groups.add(group)
    profile_get_or_create(user)
