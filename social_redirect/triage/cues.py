"""Lexical cues, in French and English, of what a post asks for.

``personal_cues`` names the personal matters only staff can act on (the
private ticket form); ``howto_cue`` says the post asks how to do something
(an article, billing questions included); ``kind_of_post`` tells thanks,
praise and news apart from problems. They describe kinds of requests any
service company receives, not one knowledge base; the embedding side of the
same decisions is in ``intents.py``.
"""

import re

_F = re.IGNORECASE

_AMOUNT = r"(\d+(?:[.,]\d{1,2})?\s?(?:€|eur(?:os?)?\b|\$|usd\b|£)|[€$£]\s?\d+)"
_TAKEN = (
    r"(d[ée]bit[ée]e?s?|pr[ée]lev[ée]e?s?|factur[ée]e?s?|pay[ée]e?s?|charged|billed|"
    r"debited|taken|withdrawn|paid)"
)
# A verb that only says what money did to the person.
_MONEY_RULES = [
    r"\b(rembours\w*|refund\w*|money back|chargeback|(un|des|les|l') ?avoirs?|"
    r"credit notes?|"
    r"r[ée]trofactur\w*)\b",
    rf"\b{_TAKEN}\b[^.!?]{{0,40}}\b(deux fois|2 fois|en double|twice|double|"
    r"two times|encore|still|again|alors que|quand m[êe]me|although|even though|"
    r"sans|without)\b",
    r"\b(paiement|pr[ée]l[èe]vement|virement|payment|charge|card)\b[^.!?]{0,40}"
    r"\b([ée]chou[ée]e?|refus[ée]e?|rejet[ée]e?|failed|declined|rejected)\b",
    r"\b(deux|2|two|double)\s+(pr[ée]l[èe]vements?|d[ée]bits?|paiements?|charges?|"
    r"payments?)\b",
    r"\b(double|doubl[ée]e?s?|twice)[- ]?(charg\w*|factur\w*|d[ée]bit\w*|pr[ée]lev\w*)",
    rf"\b(vous m'avez|vous avez|you|on m'a|they)\b[^.!?]{{0,30}}\b{_TAKEN}\b",
]
_ACCOUNT_RULES = [
    r"\b(compte|account|acc(?:oun)?t|profil|profile|acc[èe]s|access)\b[^.!?]{0,50}"
    r"\b(suspendu\w*|bloqu[ée]\w*|d[ée]sactiv[ée]\w*|ferm[ée]\w*|supprim[ée]\w*|"
    r"pirat[ée]\w*|hack\w*|compromis\w*|suspended|locked|blocked|disabled|banned|"
    r"deleted|closed|compromised|terminated|restreint\w*)\b",
    r"\b(suspendu\w*|bloqu[ée]\w*|d[ée]sactiv[ée]\w*|supprim[ée]\w*|pirat[ée]\w*|"
    r"suspended|locked|blocked|disabled|banned|deleted|hacked)\b[^.!?]{0,30}"
    r"\b(mon|ma|notre|my|our)\s+(compte|account|profil|profile)\b",
    r"\b(pirat\w*|hack(?:ed|é|er|ers)?|compromised|compromis|"
    r"s'est connect[ée] [àa] mon|logged into my|unauthori[sz]ed|usurp\w*|stolen)\b",
]
_DATA_RULES = [
    r"\b(rgpd|gdpr|ccpa|donn[ée]es (perso\w*|personnelles)|personal (data|information)|"
    r"(delete|erase|export|copy of) (all )?my data|(supprim\w*|effac\w*|export\w*|"
    r"copie de) (toutes )?mes donn[ée]es|droit (d'acc[èe]s|[àa] l'oubli|"
    r"d'effacement)|right to (be forgotten|erasure|access))\b",
]
_UNANSWERED_RULES = [
    r"\b(ticket|dossier|demande|case|request|r[ée]clamation|complaint)\b[^.!?]{0,120}"
    r"\b(sans r[ée]ponse|pas de r[ée]ponse|aucune r[ée]ponse|toujours personne|"
    r"toujours rien|no (reply|response|answer)|unanswered|still waiting|ignored)\b",
]
_IDENTIFIER_RULES = [
    r"\b(order|commande|account|compte|client|contrat|ticket|dossier|case|facture|"
    r"invoice)\s*(n[°o]\.?|num(ber|[ée]ro)?|#|:)\s*[a-z0-9-]{3,}",
    r"#\d{4,}\b",
    r"(?<![\w/.])\d{6,}(?![\w/])",
]
_CONTACT_RULES = [
    r"(?<!\d)(\+33\s?|0)[1-9]([\s.-]?\d{2}){4}(?!\d)",
    r"\b(iban|rib|carte bancaire|credit card|num[ée]ro de carte|card number)\b",
]
_RULES = {
    "money": _MONEY_RULES,
    "account": _ACCOUNT_RULES,
    "personal_data": _DATA_RULES,
    "unanswered": _UNANSWERED_RULES,
    "identifier": _IDENTIFIER_RULES,
    "contact": _CONTACT_RULES,
}
_AMOUNT_RX = re.compile(_AMOUNT, re.IGNORECASE)
_COMPILED = {
    name: [re.compile(rx, _F) for rx in rules] for name, rules in _RULES.items()
}
_URL = re.compile(r"https?://\S+|www\.\S+", _F)
_HANDLE = re.compile(r"(?<![\w@])@\w{1,30}")

# The reasons shown to community managers (translated in the template tag).
PERSONAL_REASONS = tuple(_RULES)

_HOWTO = re.compile(
    r"\b(comment (faire|on|je|puis|peut|modifier|changer|t[ée]l[ée]charger|obtenir|"
    r"configurer|activer|ajouter|supprimer|cr[ée]er|installer|r[ée]cup[ée]rer)|"
    r"how (do|can|to|should|does)|o[uù] (trouver|trouve-t-on|est|sont|se trouve)|"
    r"where (do|can|is|are)|quelle est la (proc[ée]dure|marche)|"
    r"what is the (procedure|way)|tuto\w*|expliqu\w+|explain)\b",
    _F,
)
_THANKS = re.compile(
    r"\b(merci(?! de\b| d')|thanks?|thank you|thx|ty|bravo|kudos|congrat\w*|"
    r"f[ée]licitations?|great job|well done|au top|you rock|love (you|it|this)|"
    r"chapeau)\b",
    _F,
)
_PRAISE = re.compile(
    r"\b(super|g[ée]nial|parfait|excellent\w*|top|great|awesome|amazing|perfect|"
    r"fantastic|impeccable|efficaces?|rapides?|r[ée]activit[ée]|nickel|"
    r"(tout )?(marche|fonctionne) (bien|parfaitement|nickel)|works (great|fine|"
    r"perfectly)|enfin (install|r[ée]par|r[ée]tabl|r[ée]solu)\w*|"
    r"(is|are|now) (fixed|working|back)|"
    r"problem (solved|fixed)|probl[èe]me (r[ée]solu|r[ée]gl[ée]))\b",
    _F,
)
_PROBLEM = re.compile(
    r"\b(ne\s+\w+\s+(pas|plus|jamais)|n'\w+\s+(pas|plus|jamais)|pas de|plus de|"
    r"toujours pas|aucune?|impossible|erreur|error|panne|bug\w*|bloqu\w*|"
    r"cass[ée]|plant\w*|coup[ée]|lent\w*|down|broken|not|no longer|can't|cannot|"
    r"won't|doesn't|didn't|isn't|fail\w*|issue|problem|probl[èe]me|souci|help|"
    r"aide|urgent|still|encore|why|pourquoi)\b",
    _F,
)


def _clean(text: str) -> str:
    text = (text or "").replace("’", "'")
    return _HANDLE.sub(" ", _URL.sub(" ", text))


def personal_cues(text: str) -> list[str]:
    """Which personal matters the post's words name (empty: none)."""
    clean = _clean(text)
    return [
        name
        for name, rules in _COMPILED.items()
        if any(rx.search(clean) for rx in rules)
    ]


def amount_cue(text: str) -> bool:
    """A sum of money in the post: with a problem, a payment of theirs."""
    return bool(_AMOUNT_RX.search(_clean(text)))


def howto_cue(text: str) -> bool:
    return bool(_HOWTO.search(_clean(text)))


def kind_of_post(text: str) -> str:
    """ "thanks" (thanks or praise, no problem stated), "problem" or "other"."""
    clean = _clean(text)
    problem = bool(_PROBLEM.search(clean)) or "?" in clean
    if personal_cues(clean):
        return "problem"
    if not problem and (_THANKS.search(clean) or _PRAISE.search(clean)):
        return "thanks"
    return "problem" if problem else "other"
