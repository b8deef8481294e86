"""Signals that a problem is personal and belongs in a private ticket."""

import re

from django.utils.translation import gettext_lazy as _

_RULES = [
    ("refund", r"\b(refund\w*|rembours\w*|money back|chargeback)\b"),
    (
        "charged",
        r"\b(charged|overcharged|double[- ]charged|d[ée]bit[ée]e?s?|"
        r"pr[ée]lev[ée]e?s?|factur[ée]e?s?)\b",
    ),
    ("invoice", r"\b(invoices?|bill(ing|ed)?|factures?|facturation)\b"),
    (
        "hacked",
        r"\b(hack(ed|é)?|pirat[ée]e?s?|compromis\w*|compromised|stolen|vol[ée]e?)\b",
    ),
    (
        "account_number",
        r"\b(order|commande|account|compte|client|contrat|ticket|dossier|case)"
        r"\s*(n[°o]\.?|num(ber|[ée]ro)?|#|:)\s*[a-z0-9-]{4,}",
    ),
    ("long_number", r"(?<![\w/.])\d{6,}(?![\w/])"),
    (
        "personal_data",
        r"\b(rgpd|gdpr|donn[ée]es personnelles|personal data|my address|"
        r"mon adresse|iban|rib|date of birth|date de naissance|carte bancaire|"
        r"credit card)\b",
    ),
    ("email", r"[\w.+-]+@[\w-]+\.[\w.]+"),
    ("phone", r"(?<!\d)(\+33\s?|0)[1-9]([\s.-]?\d{2}){4}(?!\d)"),
]
# What the community manager reads for each signal (the names are codes).
SIGNAL_LABELS = {
    "refund": _("refund"),
    "charged": _("charge"),
    "invoice": _("invoice"),
    "hacked": _("hacked account"),
    "account_number": _("account or order number"),
    "long_number": _("long number"),
    "personal_data": _("personal data"),
    "email": _("e-mail address"),
    "phone": _("phone number"),
}
_COMPILED = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in _RULES]
_URL = re.compile(r"https?://\S+")


def private_signals(text):
    """Names of the private signals found in ``text`` (empty list: none)."""
    text = _URL.sub(" ", text)
    return [name for name, rx in _COMPILED if rx.search(text)]
