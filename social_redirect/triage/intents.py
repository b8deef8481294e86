"""What a post asks for, read from its meaning: short descriptions of kinds of
requests, in French and English, compared with the post's embedding.

The descriptions name the personal matters of the founders' rules (money
taken or owed, an account suspended, hacked or deleted, personal data, a
specific invoice, order or domain of theirs, a ticket unanswered), the
how-to questions that articles answer (billing ones included), and posts
that need no answer. They are written for any service company, from those
rules, not from any evaluation set: a new post in other words still lands
near the description of what it asks, in either language, because the
multilingual encoder places paraphrases and translations together.
"""

from functools import lru_cache

import numpy as np

from search import embeddings

PERSONAL = [
    "Vous m'avez prélevé deux fois, je veux être remboursé.",
    "You charged me twice, I want my money back.",
    "J'ai été débité alors que j'avais résilié, remboursez-moi.",
    "I was billed after cancelling, please refund me.",
    "Mon paiement a échoué ou a été refusé, réactivez mon service.",
    "My payment failed and my service was cut off, please restore it.",
    "Mon compte a été suspendu ou bloqué, débloquez-le.",
    "My account was suspended or locked, please unlock it.",
    "Mon compte a été piraté, quelqu'un s'est connecté à ma place.",
    "My account was hacked, someone logged in and changed my password.",
    "Mon compte a été supprimé par erreur, pouvez-vous le restaurer ?",
    "My account was deleted by mistake, can you restore it?",
    "Supprimez toutes mes données personnelles (RGPD).",
    "Delete all my personal data, GDPR request.",
    "Envoyez-moi une copie de mes données personnelles.",
    "Send me a copy of the personal data you hold about me.",
    "Ma facture est fausse, corrigez-la et envoyez-moi un avoir.",
    "My invoice is wrong, please correct it and issue a credit note.",
    "Ma commande ou mon nom de domaine est bloqué chez vous, débloquez-le.",
    "My order or my domain name is stuck on your side, please fix it.",
    "Mon ticket au support est resté sans réponse depuis des jours.",
    "My support ticket has had no answer for days.",
]
HOWTO = [
    "Comment télécharger mes factures ?",
    "How do I download my invoices?",
    "Comment changer de moyen de paiement ?",
    "How do I change my payment method?",
    "Comment fonctionne la facturation ?",
    "How does billing work?",
    "Comment configurer ce service ?",
    "How do I set up this service?",
    "Ça ne marche pas, que dois-je vérifier ?",
    "It does not work, what should I check?",
    "Comment résilier mon abonnement ou fermer mon compte ?",
    "How do I cancel my subscription or close my account?",
    "Où trouver ce réglage dans l'interface ?",
    "Where do I find this setting?",
]
NO_ANSWER = [
    "Merci beaucoup, tout fonctionne parfaitement maintenant !",
    "Thank you so much, everything works perfectly now!",
    "Bravo à l'équipe, service au top.",
    "Great job team, excellent service.",
    "Nouvelle fonctionnalité annoncée aujourd'hui.",
    "New feature announced today.",
    "Bonne année à tous !",
    "Happy new year everyone!",
]
PROBLEM = [
    "Ça ne marche pas, j'ai un problème, aidez-moi.",
    "It does not work, I have a problem, please help.",
    "Pourquoi est-ce que c'est en panne depuis ce matin ?",
    "Why has it been down since this morning?",
    "Comment faire pour régler ce souci ?",
    "How do I fix this issue?",
]


@lru_cache(maxsize=1)
def _anchors() -> dict[str, np.ndarray] | None:
    groups = {
        "personal": PERSONAL,
        "howto": HOWTO,
        "no_answer": NO_ANSWER,
        "problem": PROBLEM,
    }
    vectors = {name: embeddings.embed(texts) for name, texts in groups.items()}
    if any(v is None for v in vectors.values()):
        return None
    return vectors


def intent_scores(vector: np.ndarray | None) -> dict[str, float]:
    """Best cosine similarity of the post (its matching vector) to each group
    (empty without the models)."""
    anchors = _anchors() if vector is not None else None
    if anchors is None:
        return {}
    vector = embeddings.sentence_part(vector)
    return {name: float((m @ vector).max()) for name, m in anchors.items()}
