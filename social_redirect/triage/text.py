"""Turn a post into a search query: handles and URLs out, hashtags split,
phone spelling and synonyms expanded to the words articles use."""

import re

from search.analysis import fold

_URL = re.compile(r"https?://\S+|www\.\S+", re.I)
_HANDLE = re.compile(r"(?<![\w@])@(\w{1,30})")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")

# Words a support account name is made of that say nothing about the brand.
_HANDLE_NOISE = frozenset(
    "support help helps care cares ask team us official service services sav "  # noqa: SIM905
    "assistance info hq app fr en uk".split()
)

# Spelling seen in posts → words written in articles (both languages).
SYNONYMS = {
    "en": {
        "pw": "password",
        "pwd": "password",
        "passcode": "password",
        "login": "login sign in",
        "log": "log sign",
        "signin": "sign in",
        "acct": "account",
        "acc": "account",
        "app": "app application",
        "wifi": "wifi wireless connection",
        "wi-fi": "wifi wireless connection",
        "internet": "internet connection",
        "net": "internet connection",
        "cant": "cannot",
        "can't": "cannot",
        "wont": "will not",
        "won't": "will not",
        "doesnt": "does not",
        "isnt": "is not",
        "pls": "please",
        "plz": "please",
        "msg": "message",
        "msgs": "messages",
        "dm": "message",
        "email": "email mail",
        "hacked": "hacked compromised security",
        "locked": "locked suspended",
        "banned": "banned suspended ban",
        "ban": "ban banned suspended",
        "refund": "refund money",
        "charged": "charge payment billing",
        "bill": "bill billing payment",
        "crash": "crash crashes freeze",
        "crashing": "crash crashes freeze",
        "lag": "lag connection slow",
        "slow": "slow speed",
        "outage": "outage down service status",
        "down": "down outage",
        "update": "update version",
        "reset": "reset recover",
        "forgot": "forgot reset recover",
        "delete": "delete remove close",
        "cancel": "cancel subscription",
        "sub": "subscription",
    },
    "fr": {
        "mdp": "mot de passe",
        "pwd": "mot de passe",
        "co": "connexion",
        "cnx": "connexion",
        "connex": "connexion",
        "wifi": "wifi sans fil connexion",
        "box": "box modem routeur",
        "modem": "modem box routeur",
        "net": "internet",
        "mail": "mail courriel email",
        "mails": "mail courriel email",
        "courriel": "courriel mail email",
        "tel": "téléphone",
        "tél": "téléphone",
        "portable": "mobile téléphone",
        "appli": "application",
        "app": "application",
        "pb": "problème",
        "pbm": "problème",
        "souci": "problème",
        "bug": "bug erreur",
        "rembourser": "remboursement",
        "remboursé": "remboursement",
        "facture": "facture facturation paiement",
        "débité": "prélèvement paiement",
        "prélevé": "prélèvement paiement",
        "piraté": "piratage sécurité compte",
        "lent": "lenteur débit",
        "lente": "lenteur débit",
        "débit": "débit vitesse",
        "coupé": "coupure panne",
        "coupure": "coupure panne",
        "panne": "panne coupure",
        "svp": "",
        "stp": "",
        "bjr": "",
        "slt": "",
        "résilier": "résiliation",
        "dns": "dns domaine",
        "ndd": "nom de domaine",
    },
}

_TOKEN = re.compile(r"[\w'’-]+", re.UNICODE)

# Words of conversation that say nothing of the problem: greetings, modal and
# helper verbs, question words, possessives, fillers, phone spelling of them
# (not durations: "depuis 3 jours" may be what an outage page says). A help
# article rarely uses them, so the search would reward the odd page that does
# ("je voudrais", "c'est urgent"). General language, not read off any set of
# posts (French dev hits@3 of the lexical leg: 0.74 → 0.8x).
CONVERSATION_WORDS = {
    "fr": frozenset(
        fold(w)
        for w in """
        bonjour bonsoir salut hello coucou merci svp stp bjr slt cc
        peux peut peuvent pouvez pourrais pourriez pourrait veux veut voulez
        voudrais voudrait voudrions voulons pouvoir vouloir savoir devoir
        aimerais aimerait aimerions faut fait
        faire faites fais dois doit devez devrais sais savez sait
        quoi comment pourquoi combien quel quelle quels quelles est-ce ya
        tout tous toute toutes chez ici là déjà encore toujours jamais rien
        quelqu'un quelque chose truc trucs bien bon mal juste vraiment trop peu
        beaucoup bcp très vite mon ma mes ton ta tes son sa ses notre nos votre
        vos leur leurs ça cela ceci c'est cest jai j'ai jsuis jveux jpeux pk pq
        qqn qqch tt mtn dsl oui non ok bref alors donc car mais puis enfin
        """.split()  # noqa: SIM905 - a word list reads and edits best as prose
    ),
    "en": frozenset(
        """
        hello hi hey thanks thank please pls plz dear can could would should
        will shall may might must need needs want wants wanted trying tried try
        how what why when where which who there here just really still already
        again ever never get got getting gets make made do does did doing done
        know help helping im i'm ive i've dont don't cant can't wont won't isnt
        isn't doesnt doesn't didnt didn't yes no ok okay so then also any some all
        """.split()  # noqa: SIM905 - a word list reads and edits best as prose
    ),
}


def split_words(tag):
    """ "WifiDown" → "wifi down", "panne_internet" → "panne internet"."""
    parts = []
    for chunk in re.split(r"[_\-]+", tag):
        parts.extend(m.group(0) for m in _CAMEL.finditer(chunk))
    return " ".join(p.lower() for p in parts if p)


def addressed_brand_words(text, ignore=()):
    """Words of the handles a post addresses ("@AskAcmeBank" → {"acme", "bank"}).

    Removed from the query itself, but a hint of which product the post is
    about when one knowledge base covers several brands or services.
    """
    words = set()
    ignored = {h.lstrip("@").lower() for h in ignore}
    for handle in _HANDLE.findall(text):
        if handle.lower() in ignored:
            continue
        kept = [
            w
            for w in split_words(handle).split()
            if w not in _HANDLE_NOISE and not w.isdigit()
        ]
        words.update(w for w in kept if len(w) > 2)
        if len(kept) > 1:
            # "PlayStation" is one word in articles, two in the handle.
            words.add("".join(kept))
    return words


def text_for_meaning(text):
    """The post as the sentence encoder should read it: handles and URLs
    out, hashtags split, but case, punctuation and emoji kept (they carry
    meaning for the encoder; French dev hits@1 of the embedding leg alone:
    0.52 lower-cased word list, 0.57 this)."""
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _HASHTAG.sub(lambda m: " " + split_words(m.group(1)) + " ", text)
    return " ".join(text.split())


def clean_for_search(text, lang="en", *, expand=True):
    """The words of a post worth searching for (``expand``: add synonyms and
    leave out the words of conversation)."""
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _HASHTAG.sub(lambda m: " " + split_words(m.group(1)) + " ", text)
    synonyms = SYNONYMS.get(lang, {}) if expand else {}
    chatter = CONVERSATION_WORDS.get(lang, frozenset()) if expand else frozenset()
    out = []
    for token in _TOKEN.findall(text):
        lower = token.lower().strip("'’-")
        if not lower or fold(lower) in chatter:
            continue
        if lower in synonyms:
            if synonyms[lower]:
                out.append(synonyms[lower])
            continue
        out.append(lower)
    return re.sub(r"\s+", " ", " ".join(out)).strip()
