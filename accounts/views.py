from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.forms import ProfileForm
from accounts.services import profile_get_or_create, profile_update


@login_required
def profile(request):
    current = profile_get_or_create(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            updated = profile_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your profile has been saved."))
            # Follow the member to the language they just chose, and let `/`
            # pick it next time through the language cookie.
            with translation.override(updated.preferred_language):
                response = redirect(reverse("accounts:profile"))
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                updated.preferred_language,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
    else:
        form = ProfileForm(
            initial={
                "display_name": current.display_name,
                "preferred_language": current.preferred_language,
            }
        )
    return render(request, "accounts/profile.html", {"form": form, "profile": current})
