import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse 42")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Verified e-mail by default; ``verified=False`` makes a newcomer."""
        if not create:
            return
        self._unverified = extracted is False
        EmailAddress.objects.create(
            user=self, email=self.email, primary=True, verified=not self._unverified
        )
        self.save()

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if not create:
            return
        names = list(extracted or [])
        # Only a verified address makes someone a member (see accounts.services).
        if not getattr(self, "_unverified", False):
            names.append(roles.MEMBERS)
        for name in names:
            self.groups.add(Group.objects.get_or_create(name=name)[0])


def member(**kwargs):
    return UserFactory(**kwargs)


def user_with_role(*group_names, **kwargs):
    return UserFactory(groups=list(group_names), **kwargs)
