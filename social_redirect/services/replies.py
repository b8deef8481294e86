"""Reply drafts for X: acknowledgement + short link, at most 280 characters
as X counts them (any URL counts 23), in the mention's language."""

import re

from django.utils.translation import gettext_lazy as _

from social_redirect.models import ReplyTemplate

MAX_LENGTH = 280
URL_LENGTH = 23
_URL = re.compile(r"https?://\S+")

AUTOMATIC_LABEL = {"fr": "Réponse automatique", "en": "Automated reply"}

DEFAULT_TEMPLATES = {
    ("article", "fr"): (
        "{name} Bonjour, désolés pour ce souci. Cet article devrait vous aider : "
        "« {title} » {link} Si ce n'est pas le cas, la page vous permet d'ouvrir "
        "un ticket privé."
    ),
    ("article", "en"): (
        "{name} Hi, sorry for the trouble. This article should help: "
        '"{title}" {link} If it doesn\'t, the page lets you open a private ticket.'
    ),
    ("ticket", "fr"): (
        "{name} Bonjour, désolés pour ce désagrément. Pour regarder votre dossier "
        "en toute confidentialité, ouvrez un ticket privé ici, sans partager de "
        "données personnelles en public : {link}"
    ),
    ("ticket", "en"): (
        "{name} Hi, sorry about this. So we can look at your account privately, "
        "please open a private ticket here (no personal details in public): {link}"
    ),
    ("thanks", "fr"): (
        "{name} Merci beaucoup pour votre message, ça fait plaisir à toute l'équipe !"
    ),
    ("thanks", "en"): (
        "{name} Thank you so much for your message, the whole team appreciates it!"
    ),
    ("automatic", "fr"): (
        "[Réponse automatique] {name} Merci pour votre message, nous l'avons bien "
        "reçu et revenons vers vous très vite. En attendant : {link}"
    ),
    ("automatic", "en"): (
        "[Automated reply] {name} Thanks for your message, we got it and will be "
        "back to you shortly. Meanwhile: {link}"
    ),
}

VARIANT_LABELS = {
    "article": _("Article"),
    "ticket": _("Private ticket"),
    "automatic": _("Automatic acknowledgement"),
    "thanks": _("Thank-you (no answer needed)"),
}


def x_length(text: str) -> int:
    """Length as X counts it: every URL is 23 characters."""
    urls = _URL.findall(text)
    return len(_URL.sub("", text)) + URL_LENGTH * len(urls)


def reply_template_text(variant: str, lang: str | None) -> str:
    lang = lang if lang in ("fr", "en") else "en"
    stored = (
        ReplyTemplate.objects.filter(variant=variant, lang=lang)
        .values_list("text", flat=True)
        .first()
    )
    return stored or DEFAULT_TEMPLATES[(variant, lang)]


def reply_draft(
    *,
    variant: str,
    lang: str | None,
    handle: str = "",
    link: str = "",
    title: str = "",
    template: str | None = None,
) -> str:
    """The reply text, never over 280 X characters."""
    lang = lang if lang in ("fr", "en") else "en"
    template = template or reply_template_text(variant, lang)
    name = f"@{handle.lstrip('@')}" if handle else ""
    values = {"name": name, "link": link, "title": title}
    text = _render(template, values)
    if x_length(text) > MAX_LENGTH and title:
        # The title is the part we can shorten without losing the meaning.
        over = x_length(text) - MAX_LENGTH
        short = title[: max(0, len(title) - over - 1)].rstrip() + "…"
        text = _render(template, {**values, "title": short})
    if variant == "automatic" and AUTOMATIC_LABEL[lang].lower() not in text.lower():
        # People must be able to tell a bot from a person, whatever staff wrote.
        text = f"[{AUTOMATIC_LABEL[lang]}] {text}"
    if x_length(text) > MAX_LENGTH:
        keep_link = link and link in text
        body = text.replace(link, "").strip() if keep_link else text
        room = MAX_LENGTH - (URL_LENGTH + 1 if keep_link else 0) - 1
        body = body[:room].rstrip() + "…"
        text = f"{body} {link}" if keep_link else body
    return " ".join(text.split())


def _render(template: str, values: dict[str, str]) -> str:
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return out


def reply_template_save(*, variant: str, lang: str, text: str) -> ReplyTemplate:
    template, _created = ReplyTemplate.objects.update_or_create(
        variant=variant, lang=lang, defaults={"text": text.strip()}
    )
    return template
