"""Demo forum for `manage.py load_demo`: categories per language and a few topics.

Original content about the imaginary ISP "Entraide Telecom". Idempotent: forums
and topics are looked up by name and created only when missing.
"""

from django.db import transaction
from machina.apps.forum_conversation.models import Topic

from accounts.demo import demo_users
from forum.models import TopicSolution
from forum.permissions import forum_permissions_sync
from forum.services import forum_create, post_create, topic_create

CATEGORIES = {
    "fr": (
        "Entraide Telecom — Communauté",
        "Les questions des clients, les réponses de la communauté.",
        [
            ("Internet et box", "Connexion, Wi-Fi, box et fibre."),
            ("Téléphonie mobile", "Forfaits, réseau, itinérance."),
            ("Hébergement web et e-mail", "Sites, noms de domaine et messagerie."),
        ],
    ),
    "en": (
        "Entraide Telecom — Community",
        "Customers' questions, answered by the community.",
        [
            ("Internet and router", "Connection, Wi-Fi, router and fibre."),
            ("Mobile", "Plans, network coverage, roaming."),
            ("Web hosting and e-mail", "Websites, domain names and mailboxes."),
        ],
    ),
}

# (lang, forum index, author, subject, question, [(author, reply)], solution index)
TOPICS = [
    (
        "fr",
        0,
        "member",
        "Ma box redémarre toute seule chaque nuit",
        "Depuis une semaine, ma box Entraide redémarre vers 3 h du matin. "
        "Le voyant devient orange puis tout revient au bout de cinq minutes. "
        "C'est gênant car mon NAS fait ses sauvegardes la nuit. Quelqu'un a une idée ?",
        [
            (
                "trusted",
                "C'est le redémarrage programmé de la box. Dans l'interface "
                "(adresse 192.168.1.1, menu **Système › Maintenance**), décochez "
                "*Redémarrage automatique* ou choisissez une autre heure. "
                "Les mises à jour continuent de s'installer normalement.",
            ),
            ("member", "Merci, c'était exactement ça ! Je l'ai déplacé à 6 h."),
        ],
        0,
    ),
    (
        "fr",
        0,
        "trusted",
        "Plus de tonalité sur la ligne fixe depuis la mise à jour",
        "Depuis la mise à jour de la box hier soir, le téléphone fixe ne donne plus "
        "de tonalité. Internet fonctionne. J'ai déjà débranché et rebranché le "
        "combiné sur le port **Tél 1**.",
        [
            (
                "agent",
                "Merci pour le signalement. Pouvez-vous vérifier dans "
                "**Téléphonie › État de la ligne** si la ligne apparaît « "
                "Enregistrée » ? "
                "Si ce n'est pas le cas, ouvrez un ticket privé pour que nous "
                "vérifiions votre ligne.",
            ),
        ],
        None,
    ),
    (
        "fr",
        2,
        "member",
        "Configurer ma messagerie Entraide dans Thunderbird",
        "Je voudrais lire mes e-mails Entraide dans Thunderbird, mais la "
        "configuration automatique échoue. Quels réglages faut-il saisir ?",
        [
            (
                "moderator",
                "Choisissez la configuration manuelle :\n\n"
                "- Entrant : IMAP, serveur `imap.entraide.example`, port 993, SSL/TLS\n"
                "- Sortant : SMTP, serveur `smtp.entraide.example`, port 465, SSL/TLS\n"
                "- Identifiant : votre adresse e-mail complète\n\n"
                "Le mot de passe est celui de la messagerie, pas celui de "
                "l'espace client.",
            ),
        ],
        0,
    ),
    (
        "en",
        0,
        "member",
        "Wi-Fi drops every evening around 8 pm",
        "Every evening my Wi-Fi disconnects for a few seconds, several times in a "
        "row. Cable connections are fine. I live in a block of flats.",
        [
            (
                "trusted",
                "In a block of flats the 2.4 GHz channels get crowded in the evening. "
                "Open the router settings, **Wi-Fi › Advanced**, and pick channel 1, 6 "
                "or 11 instead of *Automatic*, or connect your devices to the 5 GHz "
                "network, which has more room.",
            ),
            ("member", "Switching to channel 11 fixed it. Thanks!"),
        ],
        0,
    ),
    (
        "en",
        1,
        "trusted",
        "Mobile data not working abroad",
        "I arrived in Spain this morning: calls work but mobile data does not. "
        "Roaming is included in my plan.",
        [
            (
                "agent",
                "Please check that **Data roaming** is switched on in your phone's "
                "settings (it is off by default on many phones), then "
                "restart the phone. "
                "If it still fails, choose the network manually in the "
                "network settings.",
            ),
        ],
        None,
    ),
    (
        "en",
        2,
        "member",
        "Point my domain name to my Entraide hosting",
        "I bought my domain elsewhere. What do I need to change so that it shows "
        "my website hosted at Entraide Telecom?",
        [
            (
                "moderator",
                "At your registrar, replace the name servers with "
                "`ns1.entraide.example` and `ns2.entraide.example`. The "
                "change can take "
                "up to 24 hours. Then add the domain in your hosting panel under "
                "**Domains › Add**.",
            ),
        ],
        0,
    ),
]


def _users():
    return demo_users(
        {author for topic in TOPICS for author in [topic[2]] + [r[0] for r in topic[5]]}
    )


def _forums():
    forums = {}
    for lang, (name, description, children) in CATEGORIES.items():
        category = forum_create(
            name=name, lang=lang, category=True, description=description
        )
        forums[lang] = [
            forum_create(
                name=child,
                lang=lang,
                parent=category,
                description=child_description,
                is_default=index == 0,
            )
            for index, (child, child_description) in enumerate(children)
        ]
    return forums


@transaction.atomic
def load_demo_topics(stdout):
    forum_permissions_sync()
    forums = _forums()
    users = _users()
    created = 0
    for lang, forum_index, author, subject, question, replies, solution in TOPICS:
        forum = forums[lang][forum_index]
        if Topic.objects.filter(forum=forum, subject=subject).exists():
            continue
        needed = {author} | {reply_author for reply_author, _text in replies}
        if not needed <= users.keys():
            stdout.write(f"- forum: demo users missing, topic skipped: {subject}")
            continue
        topic = topic_create(
            forum=forum,
            user=users[author],
            subject=subject,
            content=question,
            preapproved=True,
        )
        posts = [
            # Demo replies notify nobody.
            post_create(
                topic=topic,
                user=users[reply_author],
                content=text,
                preapproved=True,
                notify=False,
            )
            for reply_author, text in replies
        ]
        if solution is not None:
            TopicSolution.objects.get_or_create(
                topic=topic,
                defaults={"post": posts[solution], "marked_by": users[author]},
            )
        created += 1
    stdout.write(f"- forum: {created} demo topic(s) created")
