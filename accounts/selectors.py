"""Reads about people: the name the public sees, the language they read."""

from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignObjectRel, Model, QuerySet


def user_public_name(user: AbstractBaseUser | None) -> str:
    """The name shown next to someone's posts and edits ("" for nobody).

    Never an e-mail address: without a display name, the local part of the
    address (or of the username) stands in.
    """
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    if profile is not None and profile.display_name:
        return profile.display_name
    return (getattr(user, "email", "") or user.get_username()).split("@")[0]


def user_language(user: AbstractBaseUser | None, *, default: str | None = None) -> str:
    """The language to write to ``user`` in: theirs, else ``default``, else the site's.

    ``default`` is for a better guess than the site's language (the language of
    the topic a notification is about, say).
    """
    profile = getattr(user, "profile", None)
    return (
        getattr(profile, "preferred_language", None)
        or default
        or settings.LANGUAGE_CODE
    )


M = TypeVar("M", bound=Model)


def with_profiles(queryset: QuerySet[M], *people: str) -> QuerySet[M]:
    """``queryset`` with the profiles of the people its rows show, in the same query.

    ``people`` are paths to users from the rows (``"poster"``,
    ``"post__poster"``); none for a queryset of users. Paths through a
    to-many relation are prefetched instead of joined.
    """
    if not people and queryset.model is not get_user_model():
        raise ValueError(f"Which fields of {queryset.model.__name__} are people?")
    joined, prefetched = [], []
    for path in people or [""]:
        joinable, accessors = _follow(queryset.model, path)
        target = "__".join([*accessors, "profile"])
        (joined if joinable else prefetched).append(target)
    if joined:
        queryset = queryset.select_related(*joined)
    if prefetched:
        queryset = queryset.prefetch_related(*prefetched)
    return queryset


def _follow(model: type[Model], path: str) -> tuple[bool, list[str]]:
    """Whether a join can follow ``path`` (one row at each step), and its accessors."""
    joinable, accessors = True, []
    for name in filter(None, path.split("__")):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist as exc:
            raise ValueError(f"{model.__name__} has no field {name!r}") from exc
        if not field.is_relation:
            raise ValueError(f"{model.__name__}.{name} is not a relation")
        if field.many_to_many or field.one_to_many:
            joinable = False
        # Reverse relations are queried by name but reached through an accessor.
        accessors.append(
            field.get_accessor_name()
            if isinstance(field, ForeignObjectRel)
            else field.name
        )
        model = field.related_model
    return joinable, accessors
