from allauth.account.signals import email_confirmed
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.services import member_join, profile_get_or_create


@receiver(post_save, sender=get_user_model())
def create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        profile_get_or_create(user=instance)


@receiver(email_confirmed)
def join_members_on_confirmation(sender, request, email_address, **kwargs):
    member_join(user=email_address.user)
