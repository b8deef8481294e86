"""French or English, from function words and accents (posts are short)."""

import re

_WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ']+")

_FR = frozenset(
    """le la les un une des du de et est pas je tu il elle nous vous ils mon ma mes
    ton ta tes son sa ses ce cette ces qui que quoi dans sur pour avec sans mais ou
    donc car ne plus rien jamais toujours depuis encore aussi très trop bien merci
    bonjour salut svp stp aujourd'hui hier demain j'ai c'est n'est d'un d'une
    qu'il j'arrive impossible marche fonctionne panne ça suis êtes avez vos
    votre""".split()  # noqa: SIM905 (a word list reads best as prose)
)
_EN = frozenset(
    """the a an and is are was were not no i you he she we they my your his her our
    their this that these those what which who in on at for with without but or so
    because never always still again also very too well thanks thank hello hi please
    today yesterday tomorrow i'm it's can't don't doesn't won't isn't working work
    down been have has had does did any anyone help""".split()  # noqa: SIM905 (a word list reads best as prose)
)


def detect_language(text, default="en"):
    """Return "fr" or "en"."""
    words = _WORD.findall(text.lower())
    fr = sum(1 for w in words if w in _FR)
    en = sum(1 for w in words if w in _EN)
    # Accented letters are a strong hint of French in a post about our services.
    fr += 0.5 * len(re.findall(r"[àâçéèêëîïôùûœ]", text.lower()))
    if fr == en:
        return default
    return "fr" if fr > en else "en"
