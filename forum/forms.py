from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        required=False,
        help_text=_(
            "Shown next to your edits and posts instead of your e-mail address."
        ),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are you reporting this post?"), choices=[])
    comment = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only moderators read this."),
    )

    def __init__(self, *args, **kwargs):
        from forum.models import PostReport

        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = PostReport.Reason.choices


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the moderation log)"), required=False, max_length=500
    )
