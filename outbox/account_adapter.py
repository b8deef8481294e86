"""allauth's e-mails (confirmation, password reset…) through the outbox.

allauth sends synchronously: with the mail server down, sign-up and password
reset would fail. Here the message is rendered by allauth as usual, then
recorded and sent like every other mail of the site. The site's name is
``settings.SITE_NAME``, not the Sites framework's row (``example.com``).

It is the site's one allauth adapter, so it also gives new accounts a random
handle (``accounts.services.username_generate``) instead of allauth's default,
built from the e-mail address.
"""

import secrets
from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from accounts.services import username_generate
from outbox.services import mail_queue


class OutboxAccountAdapter(DefaultAccountAdapter):
    def generate_unique_username(self, txts, regex=None) -> str:
        # allauth's populate_username passes the names and the e-mail here.
        return username_generate()

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def send_account_already_exists_mail(self, email: str) -> None:
        # A new sign-up hashes its password; without the same work here, a fast
        # answer would tell that the address already has an account.
        make_password(secrets.token_urlsafe(16))
        super().send_account_already_exists_mail(email)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        site = get_current_site(request)
        ctx = {
            "request": request,
            "email": email,
            "current_site": SimpleNamespace(
                name=settings.SITE_NAME, domain=site.domain
            ),
        }
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html_body = next(
            (
                body
                for body, mime in getattr(message, "alternatives", [])
                if mime == "text/html"
            ),
            None,
        )
        text_body = message.body
        if message.content_subtype == "html":
            html_body, text_body = message.body, ""
        mail_queue(
            to=list(message.to),
            subject=message.subject,
            body=text_body,
            html_body=html_body,
            headers=dict(message.extra_headers or {}),
            kind="account",
            language=translation.get_language(),
        )
