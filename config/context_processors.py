from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.selectors import user_public_name

# Work places reached from the header, for the people whose work they are.
_WORK_LINKS = (
    ("support:ticket_queue", _("Ticket queue"), (roles.SUPPORT_AGENTS, roles.STAFF)),
    (
        "social_redirect:dashboard",
        _("Social mentions"),
        (roles.COMMUNITY_MANAGERS, roles.STAFF),
    ),
)


def site(request):
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["user_public_name"] = user_public_name(user)
        context["work_links"] = [
            {"url": reverse(name), "label": label}
            for name, label, groups in _WORK_LINKS
            if roles.user_in(user, *groups)
        ]
    return context
