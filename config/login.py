"""Every password form checks through allauth: one failed-login limit, one
verification rule.

allauth guards its own sign-in page. Django's admin, Wagtail's admin and
Wagtail's private-page login (``/<lang>/_util/login/``) use Django's
``AuthenticationForm``, which calls ``authenticate()`` directly: no limit, and
an account whose address was never confirmed gets in. Their forms below check
the password through allauth's adapter instead, so failures count under the
same cache keys (``ACCOUNT_RATE_LIMITS["login_failed"]``, per IP and per
account) whichever door is tried, and an unconfirmed address opens none.
"""

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailAdminLoginForm


def _credentials(login):
    """allauth's credentials for what was typed: the account's e-mail when the
    login is a known username, so the limit is counted per account and not per
    spelling of it (allauth keys on ``<site>:<e-mail>``)."""
    login = (login or "").strip()
    if "@" in login:
        return {"email": login}
    user_model = get_user_model()
    user = user_model._default_manager.filter(
        **{user_model.USERNAME_FIELD: login}
    ).first()
    if user is not None:
        email = EmailAddress.objects.get_primary_email(user) or user.email
        if email:
            return {"email": email}
    return {"username": login}


def account_authenticate(request, *, login, password):
    """The user whose password this is, else None; raises ``ValidationError``
    while allauth's failed-login limit refuses the account or the IP."""
    credentials = _credentials(login)
    return get_adapter(request).authenticate(request, password=password, **credentials)


def email_verified(user) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


class _AllauthPasswordMixin:
    """For Django ``AuthenticationForm`` subclasses: the check goes through
    :func:`account_authenticate`, then the address must be confirmed."""

    unverified_message = _(
        "Your e-mail address is not confirmed yet. Sign in on the site's sign-in "
        "page to receive a new confirmation link."
    )

    def clean(self):
        login = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if login is not None and password:
            self.user_cache = account_authenticate(
                self.request, login=login, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not email_verified(user):
            raise forms.ValidationError(self.unverified_message, code="unverified")


class SiteLoginForm(_AllauthPasswordMixin, AuthenticationForm):
    """Wagtail's private-page login (``/<lang>/_util/login/``)."""


class AdminLoginForm(_AllauthPasswordMixin, AdminAuthenticationForm):
    """``/django-admin/login/`` (``admin.site.login_form``)."""


class WagtailLoginForm(_AllauthPasswordMixin, WagtailAdminLoginForm):
    """``/cms/login/`` (``WAGTAILADMIN_USER_LOGIN_FORM``)."""
