import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import Profile
from accounts.selectors import user_language, user_public_name, with_profiles
from forum.models import PostReport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_public_name_is_the_display_name():
    user = UserFactory()
    user.profile.display_name = "Lou"
    user.profile.save()
    assert user_public_name(user) == "Lou"
    assert user.profile.public_name == "Lou"


def test_public_name_without_display_name_is_the_local_part_of_the_address():
    user = UserFactory(email="secret.person@example.org")
    assert user_public_name(user) == "secret.person"


def test_public_name_of_someone_without_profile_never_shows_the_address():
    user = UserFactory(username="x", email="lou.martin@example.org")
    Profile.objects.filter(user=user).delete()
    user = get_user_model().objects.get(pk=user.pk)
    assert user_public_name(user) == "lou.martin"
    assert user_public_name(None) == ""


def test_language_is_the_preferred_one_else_the_given_default_else_the_site():
    reader = UserFactory()
    reader.profile.preferred_language = "en"
    reader.profile.save()
    assert user_language(reader) == "en"
    assert user_language(reader, default="fr") == "en"
    Profile.objects.filter(user=reader).delete()
    stranger = get_user_model().objects.get(pk=reader.pk)
    assert user_language(stranger, default="en") == "en"
    assert user_language(stranger) == "fr"
    assert user_language(None) == "fr"


def test_with_profiles_reads_every_name_in_one_query(django_assert_num_queries):
    for number in range(4):
        UserFactory(username=f"reader{number}")
    users = with_profiles(get_user_model().objects.filter(username__startswith="r"))
    with django_assert_num_queries(1):
        names = sorted(user_public_name(user) for user in users)
    assert names == [f"reader{number}" for number in range(4)]


def test_with_profiles_follows_paths_to_people(django_assert_num_queries):
    reporter = UserFactory(username="reporter")
    PostReport.objects.create(reporter=reporter, reason="spam")
    PostReport.objects.create(reporter=None, reason="spam")
    reports = with_profiles(PostReport.objects.order_by("pk"), "reporter")
    with django_assert_num_queries(1):
        names = [user_public_name(report.reporter) for report in reports]
    assert names == ["reporter", ""]


def test_with_profiles_prefetches_through_to_many_relations(
    django_assert_num_queries,
):

    group = Group.objects.create(name="readers")
    for number in range(3):
        UserFactory(username=f"in-group{number}").groups.add(group)
    groups = with_profiles(Group.objects.filter(name="readers"), "user")
    with django_assert_num_queries(3):  # groups, their users, the profiles
        names = sorted(user_public_name(u) for g in groups for u in g.user_set.all())
    assert names == [f"in-group{number}" for number in range(3)]


def test_with_profiles_asks_which_fields_are_people():
    with pytest.raises(ValueError):
        with_profiles(PostReport.objects.all())
    with pytest.raises(ValueError):
        with_profiles(PostReport.objects.all(), "nobody")
