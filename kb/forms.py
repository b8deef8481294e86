from django import forms
from django.utils.translation import gettext_lazy as _

from kb.models import CategoryPage

MAX_BODY = 100_000


def _symptoms_field() -> forms.CharField:
    return forms.CharField(
        label=_("Symptoms"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What customers write when they have this problem, one per line."),
    )


class ArticleEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences: what problem does this article solve?"),
    )
    body = forms.CharField(
        label=_("Article text (Markdown)"),
        max_length=MAX_BODY,
        widget=forms.Textarea(
            attrs={"rows": 20, "data-kb-editor": "1", "spellcheck": "true"}
        ),
        help_text=_(
            "Markdown: ## Heading, **bold**, *italic*, [link](https://…), "
            "1. numbered steps, ``` for code."
        ),
    )
    symptoms = _symptoms_field()
    edit_summary = forms.CharField(
        label=_("Summary of your change"),
        max_length=300,
        help_text=_("Required. For example: “fixed a typo”, “added the Wi-Fi step”."),
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_edit_summary(self):
        value = self.cleaned_data["edit_summary"].strip()
        if not value:
            raise forms.ValidationError(_("Please describe your change."))
        return value

    def clean_title(self):
        value = self.cleaned_data["title"].strip()
        if not value:
            raise forms.ValidationError(_("The title cannot be empty."))
        return value


class PageChoiceField(forms.ModelChoiceField):
    """Page ids are 32-bit: a longer number is an unknown choice, not a
    database error (SQLite and PostgreSQL both refuse it in the query)."""

    def to_python(self, value):
        if value not in self.empty_values:
            text = str(value).strip()
            # Length first: int() refuses numbers over 4,300 digits.
            if not text.isdigit() or len(text) > 10 or int(text) > 2**31 - 1:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


class ArticleProposeForm(forms.Form):
    category = PageChoiceField(
        label=_("Category"), queryset=CategoryPage.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences: what problem does this article solve?"),
    )
    body = forms.CharField(
        label=_("Article text (Markdown)"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 20, "data-kb-editor": "1"}),
    )
    symptoms = _symptoms_field()

    def __init__(self, *args, lang, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (
            CategoryPage.objects.live()
            .public()
            .filter(locale__language_code=lang)
            .order_by("path")
        )


class ReviewReviseForm(ArticleEditForm):
    """A reviewer's corrections to a pending change before publishing it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["edit_summary"]
        del self.fields["base_revision"]
        self.fields["body"].widget.attrs["rows"] = 12


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the author)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
    )
