"""Forms for private support tickets."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_public_name
from config.urls_safety import safe_local_url
from support.models import Ticket, TicketMessage
from support.selectors import support_agents

# Extension → accepted leading bytes ("" = plain text, checked separately).
ACCEPTED_TYPES = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
    "pdf": (b"%PDF-",),
    "txt": (),
    "log": (),
}
ACCEPTED_LABEL = "JPEG, PNG, GIF, WebP, PDF, TXT"
MAX_SUBJECT = 200
MAX_BODY = 10_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input, each checked for size and real type."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ",".join("." + ext for ext in ACCEPTED_TYPES)}
            ),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        errors = []
        max_files = settings.TICKET_ATTACHMENT_MAX_FILES
        if len(files) > max_files:
            raise forms.ValidationError(
                _("You can attach at most %(n)d files.") % {"n": max_files}
            )
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            error = attachment_problem(upload)
            if error:
                errors.append(error)
            else:
                cleaned.append(upload)
        if errors:
            errors.append(
                _("Your text is kept: remove or replace the file and send again.")
            )
            raise forms.ValidationError(errors)
        return cleaned


def attachment_problem(upload):
    """A message explaining why ``upload`` is refused, or None."""
    name = upload.name or ""
    limit = settings.TICKET_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        return _(
            "“%(name)s” is too large (%(size)s): each file may be at most %(limit)s."
        ) % {
            "name": name,
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(limit),
        }
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ACCEPTED_TYPES:
        return _("“%(name)s” is not an accepted type. Accepted: %(types)s.") % {
            "name": name,
            "types": ACCEPTED_LABEL,
        }
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    signatures = ACCEPTED_TYPES[ext]
    if signatures:
        ok = any(head.startswith(sig) for sig in signatures)
        if ext == "webp":
            ok = ok and head[8:12] == b"WEBP"
    else:
        ok = b"\x00" not in head
    if not ok:
        return _(
            "“%(name)s” does not look like a real %(type)s file. Accepted: %(types)s."
        ) % {"name": name, "type": ext.upper(), "types": ACCEPTED_LABEL}
    return None


def attachments_help():
    return _("Up to %(n)d files of %(size)s each: %(types)s.") % {
        "n": settings.TICKET_ATTACHMENT_MAX_FILES,
        "size": filesizeformat(settings.TICKET_ATTACHMENT_MAX_BYTES),
        "types": ACCEPTED_LABEL,
    }


class HoneypotMixin(forms.Form):
    # Hidden from people (CSS + aria-hidden); bots fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self):
        return bool(self.data.get(self.add_prefix("website"), "").strip())


class TicketCreateForm(HoneypotMixin):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send the answer and a private link to your ticket here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=MAX_SUBJECT,
        help_text=_("A few words; we suggest answers as you type."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "placeholder": _("Your problem in a few words"),
            }
        ),
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        choices=[("", _("Choose a topic"))] + list(Ticket.Category.choices),
    )
    description = forms.CharField(
        label=_("Describe your problem"),
        max_length=MAX_BODY,
        help_text=_(
            "Only you and our support team can read it. Never send a password "
            "or a full card number."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachments = AttachmentsField(label=_("Attachments (optional)"))
    context = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["email", "subject", "category", "description", "attachments"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()
        if user is not None and user.is_authenticated and user.email:
            # Members are answered at their account address.
            del self.fields["email"]

    def clean_subject(self):
        subject = " ".join(self.cleaned_data["subject"].split())
        if len(subject) < 3:
            raise forms.ValidationError(_("Please give a subject of a few words."))
        return subject

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 10:
            raise forms.ValidationError(
                _("Please describe your problem in a sentence or two.")
            )
        if "\x00" in text:
            raise forms.ValidationError(_("This text contains invalid characters."))
        return text


class TicketReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = AttachmentsField(label=_("Attachments (optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()

    def clean_body(self):
        text = self.cleaned_data["body"].strip()
        if not text or "\x00" in text:
            raise forms.ValidationError(_("Please write a message."))
        return text


class AgentReplyForm(TicketReplyForm):
    kind = forms.ChoiceField(
        label=_("Visibility"),
        choices=[
            (TicketMessage.Kind.AGENT, _("Public reply (e-mailed to the requester)")),
            (TicketMessage.Kind.NOTE, _("Internal note (agents only)")),
        ],
        initial=TicketMessage.Kind.AGENT,
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(
        label=_("Then set the status to"),
        required=False,
        choices=[("", _("Default (waiting on customer after a reply)"))]
        + list(Ticket.Status.choices),
    )


class TicketUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Ticket.Priority.choices, coerce=int
    )
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"),
        queryset=None,
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = support_agents()
        self.fields["assignee"].label_from_instance = agent_label


def agent_label(user):
    return user_public_name(user)


class TicketRateForm(forms.Form):
    rating = forms.ChoiceField(choices=Ticket.Rating.choices)


class TicketAccessRequestForm(HoneypotMixin):
    email = forms.EmailField(
        label=_("The e-mail address you wrote from"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class TicketDeflectForm(forms.Form):
    url = forms.CharField(max_length=500)
    title = forms.CharField(max_length=255, required=False)
    kind = forms.CharField(max_length=10, required=False)
    subject = forms.CharField(max_length=MAX_SUBJECT, required=False)
    context = forms.CharField(required=False)

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        # Only our own pages can be "the answer"; this also blocks open redirects.
        if safe_local_url(url) is None:
            raise forms.ValidationError(_("Unknown page."))
        return url


class TicketQueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Needs an answer (new, open)")),
            ("pending", _("Not closed")),
            ("all", _("All")),
        ]
        + list(Ticket.Status.choices),
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", _("Anybody")),
            ("me", _("Me")),
            ("none", _("Nobody")),
        ] + [(str(u.pk), agent_label(u)) for u in support_agents()]
