from django.core.management.base import BaseCommand

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_accounts
from forum.demo import load_demo_topics
from kb.demo import load_demo_articles
from social_redirect.demo import load_demo_social
from status.demo import load_demo_status


class Command(BaseCommand):
    help = (
        "Load the demo content (accounts, articles, forum topics, mentions, status "
        "page) in French and English. Idempotent: running it again changes nothing "
        "already there."
    )

    def handle(self, *args, **options):
        # People first: every app's demo content is written by the demo accounts.
        load_demo_accounts()
        load_demo_articles(self.stdout)
        load_demo_topics(self.stdout)
        load_demo_social(self.stdout)
        load_demo_status(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, display_name, groups, _staff, _superuser in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {username}@entraide.example  {display_name}  [{', '.join(groups)}]"
            )
