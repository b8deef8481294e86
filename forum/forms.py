from django import forms
from django.utils.translation import gettext_lazy as _

from forum.models import PostReport
from kb.forms import ArticleProposeForm


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
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = PostReport.Reason.choices


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the moderation log)"), required=False, max_length=500
    )


class PromoteForm(ArticleProposeForm):
    """The article a solved topic becomes, prefilled for the promoter to edit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["symptoms"]
        self.fields["summary"].max_length = 300
        self.fields["body"].label = _("Steps (Markdown)")
        self.fields["body"].help_text = _(
            "From the accepted answer: keep the steps, remove what only made sense "
            "in the conversation. A link to the topic and its authors is added below."
        )
