from django import forms
from django.utils.translation import gettext_lazy as _

from social_redirect.services.mentions import MAX_FOLLOWERS, parse_post_url
from social_redirect.services.replies import MAX_LENGTH, x_length


class MentionPasteForm(forms.Form):
    url = forms.URLField(
        label=_("Post URL"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For example https://x.com/someone/status/1234567890"),
    )
    author_handle = forms.CharField(
        label=_("Author handle"), required=False, max_length=64
    )
    followers_count = forms.IntegerField(
        label=_("Followers"), required=False, min_value=0, max_value=MAX_FOLLOWERS
    )
    text = forms.CharField(
        label=_("Text of the post"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url and not url.startswith("https://"):
            raise forms.ValidationError(_("The post URL must start with https://"))
        return url

    def clean(self):
        data = super().clean()
        url = data.get("url")
        if url and not data.get("author_handle"):
            data["author_handle"] = parse_post_url(url)[0]
        return data


class ReplyTemplateForm(forms.Form):
    text = forms.CharField(
        label=_("Template"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        # Measure with a placeholder link and a typical handle.
        sample = (
            text.replace("{link}", "https://example.org/r/abcdefgh")
            .replace("{name}", "@someone_long_name")
            .replace("{title}", "")
        )
        if x_length(sample) > MAX_LENGTH:
            raise forms.ValidationError(
                _("Too long for X: keep it under 280 characters.")
            )
        if "{link}" not in text:
            raise forms.ValidationError(_("The template must contain {link}."))
        return text
