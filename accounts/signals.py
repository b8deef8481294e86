from allauth.account.signals import email_confirmed
from django.contrib.auth import get_user_model
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from accounts.services import (
    member_join,
    profile_get_or_create,
    site_update_from_settings,
)


@receiver(post_save, sender=get_user_model())
def create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        profile_get_or_create(user=instance)


@receiver(email_confirmed)
def join_members_on_confirmation(sender, request, email_address, **kwargs):
    member_join(user=email_address.user)


@receiver(post_migrate, dispatch_uid="accounts.site_from_settings")
def site_from_settings(sender, app_config=None, **kwargs):
    # After every migrate (once, for this app): a changed SITE_URL or SITE_NAME
    # reaches the mails without anyone editing the row by hand.
    if app_config is not None and app_config.name == "accounts":
        site_update_from_settings()
