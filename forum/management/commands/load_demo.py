import importlib

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from config import roles
from forum.services import profile_get_or_create

# (username, display name, groups, is_staff, is_superuser)
DEMO_ACCOUNTS = [
    ("member", "Camille (membre)", [roles.MEMBERS], False, False),
    (
        "trusted",
        "Alex (membre de confiance)",
        [roles.MEMBERS, roles.TRUSTED_MEMBERS],
        False,
        False,
    ),
    ("moderator", "Sam (modération)", [roles.MEMBERS, roles.MODERATORS], False, False),
    (
        "agent",
        "Dominique (support)",
        [roles.MEMBERS, roles.SUPPORT_AGENTS],
        False,
        False,
    ),
    (
        "cm",
        "Morgan (community manager)",
        [roles.MEMBERS, roles.COMMUNITY_MANAGERS],
        False,
        False,
    ),
    ("admin", "Admin", [roles.MEMBERS, roles.STAFF], True, True),
]
DEMO_PASSWORD = "entraide-demo"

# Each app contributes its own demo content; a missing one is skipped.
DEMO_PARTS = [
    ("kb.demo", "load_demo_articles"),
    ("forum.demo", "load_demo_topics"),
    ("social_redirect.demo", "load_demo_social"),
    ("status.demo", "load_demo_status"),
]


class Command(BaseCommand):
    help = (
        "Load the demo content (accounts, articles, forum topics, mentions) in French "
        "and English. Idempotent: running it again changes nothing already there."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            self._accounts()
        for module_name, function_name in DEMO_PARTS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                self.stdout.write(f"- {module_name}: not available, skipped")
                continue
            getattr(module, function_name)(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, display_name, groups, _staff, _superuser in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {username}@entraide.example  {display_name}  [{', '.join(groups)}]"
            )

    def _accounts(self):
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
            profile = profile_get_or_create(user)
            if not profile.display_name:
                profile.display_name = display_name
                profile.save(update_fields=["display_name"])
