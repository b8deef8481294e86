from django import forms
from django.utils.translation import gettext_lazy as _

from kb.models import ArticlePage
from status.models import Component, Incident, State

NOT_AFFECTED = ""


class IncidentForm(forms.Form):
    """Create or update an incident; component states are one field each."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Incident.Kind.choices)
    title_fr = forms.CharField(
        label=_("Title in French"), max_length=200, required=False
    )
    title_en = forms.CharField(
        label=_("Title in English"), max_length=200, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=Incident.Status.choices)
    started_at = forms.DateTimeField(
        label=_("Start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    scheduled_end = forms.DateTimeField(
        label=_("Planned end (maintenance)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    resolved_at = forms.DateTimeField(
        label=_("Resolution"),
        required=False,
        help_text=_("Leave empty while the incident is open."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    message_fr = forms.CharField(
        label=_("New update in French"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    message_en = forms.CharField(
        label=_("New update in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One language may be filled later; the other is shown meanwhile."),
    )
    postmortem_fr = forms.CharField(
        label=_("Post-mortem in French"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    postmortem_en = forms.CharField(
        label=_("Post-mortem in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    kb_article = forms.ModelChoiceField(
        label=_("Pinned knowledge-base article"),
        queryset=ArticlePage.objects.none(),
        required=False,
    )

    def __init__(self, *args, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.fields["kb_article"].queryset = ArticlePage.objects.live().order_by(
            "title"
        )
        self.components = list(Component.objects.all())
        choices = [(NOT_AFFECTED, _("Not affected"))] + [
            c for c in State.choices if c[0] != State.OPERATIONAL
        ]
        for component in self.components:
            self.fields[f"state_{component.slug}"] = forms.ChoiceField(
                label=component.name, choices=choices, required=False
            )

    def state_fields(self):
        return [self[f"state_{c.slug}"] for c in self.components]

    def clean(self):
        data = super().clean()
        if not data.get("title_fr") and not data.get("title_en"):
            raise forms.ValidationError(_("Give a title in French or in English."))
        if self.creating and not data.get("message_fr") and not data.get("message_en"):
            self.add_error(
                "message_fr", _("Say what is known, in French or in English.")
            )
        started, resolved = data.get("started_at"), data.get("resolved_at")
        if started and resolved and resolved < started:
            self.add_error("resolved_at", _("The resolution comes after the start."))
        return data

    def states(self):
        return {
            c: self.cleaned_data.get(f"state_{c.slug}") or NOT_AFFECTED
            for c in self.components
        }

    def service_kwargs(self):
        data = self.cleaned_data
        names = (
            "kind",
            "title_fr",
            "title_en",
            "status",
            "started_at",
            "scheduled_end",
            "resolved_at",
            "postmortem_fr",
            "postmortem_en",
            "kb_article",
            "message_fr",
            "message_en",
        )
        kwargs = {name: data.get(name) for name in names}
        for name in ("title_fr", "title_en", "postmortem_fr", "postmortem_en"):
            kwargs[name] = (kwargs[name] or "").strip()
        for name in ("message_fr", "message_en"):
            kwargs[name] = (kwargs[name] or "").strip()
        kwargs["states"] = self.states()
        return kwargs


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"))
    components = forms.ModelMultipleChoiceField(
        label=_("Components"),
        queryset=Component.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every component."),
    )
