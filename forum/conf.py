"""Forum settings with their defaults (settings.py may override each)."""

from django.conf import settings


def moderated_first_posts():
    return getattr(settings, "FORUM_MODERATED_FIRST_POSTS", 2)


def new_member_posts():
    return getattr(settings, "FORUM_NEW_MEMBER_POSTS", 10)


def topics_per_10_min():
    return getattr(settings, "FORUM_TOPICS_PER_10_MIN", 5)


def replies_per_10_min():
    return getattr(settings, "FORUM_REPLIES_PER_10_MIN", 20)
