"""Demo components of the status page (called by `manage.py load_demo`)."""

from datetime import timedelta

from django.utils import timezone

from status.models import Component, Incident, IncidentComponent, IncidentUpdate

# (slug, French name, English name, keywords that name it in posts)
DEMO_COMPONENTS = [
    (
        "internet",
        "Internet et box",
        "Internet and box",
        "box, internet, connexion, connection, fibre, fiber, adsl, vdsl, routeur, "
        "router, modem, débit, wifi, wi-fi",
    ),
    (
        "mobile",
        "Mobile",
        "Mobile",
        "mobile, 4g, 5g, sms, forfait, réseau mobile, mobile data, phone plan, "
        "carte sim, sim card, portable",
    ),
    (
        "email",
        "E-mail",
        "E-mail",
        "mail, mails, e-mail, email, courriel, messagerie, webmail, mailbox, "
        "imap, smtp, boîte mail",
    ),
    (
        "hosting",
        "Hébergement web",
        "Web hosting",
        "hébergement, hosting, site, website, ftp, php, wordpress, ssl, "
        "certificat, certificate",
    ),
    (
        "domains",
        "Noms de domaine",
        "Domain names",
        "domaine, domain, dns, whois, nom de domaine, domain name",
    ),
]


def component_keywords():
    """slug -> keyword list, as spike detection wants it."""
    return {
        slug: [k.strip() for k in keywords.split(",") if k.strip()]
        for slug, _fr, _en, keywords in DEMO_COMPONENTS
    }


def load_demo_status(stdout):
    created = 0
    for position, (slug, name_fr, name_en, keywords) in enumerate(DEMO_COMPONENTS):
        _component, new = Component.objects.get_or_create(
            slug=slug,
            defaults={
                "name_fr": name_fr,
                "name_en": name_en,
                "keywords": keywords,
                "position": position,
            },
        )
        created += new
    past = _demo_past_incident()
    stdout.write(
        f"- status: {created} components created"
        + (", one past incident with its post-mortem" if past else "")
    )


def _demo_past_incident():
    """A resolved incident twelve days ago, so the history is not empty."""
    title_fr = "Messagerie : e-mails reçus avec retard"
    if Incident.objects.filter(title_fr=title_fr).exists():
        return False
    start = timezone.now().replace(hour=8, minute=40, second=0, microsecond=0)
    start -= timedelta(days=12)
    incident = Incident.objects.create(
        title_fr=title_fr,
        title_en="E-mail: messages delivered late",
        status=Incident.Status.RESOLVED,
        started_at=start,
        resolved_at=start + timedelta(hours=2, minutes=5),
        postmortem_fr=(
            "Un disque du serveur de réception s’est rempli après une mise à jour "
            "des journaux. Les messages ont été mis en file d’attente, aucun n’a "
            "été perdu. Nous surveillons désormais l’espace libre de chaque "
            "serveur et l’alerte se déclenche à 80 %."
        ),
        postmortem_en=(
            "A disk of the receiving server filled up after a logging change. "
            "Messages were queued, none was lost. We now watch the free space of "
            "every server and alert at 80%."
        ),
    )
    IncidentComponent.objects.create(
        incident=incident,
        component=Component.objects.get(slug="email"),
        state="degraded",
    )
    for minutes, status, fr, en in [
        (
            0,
            "investigating",
            "Des e-mails arrivent avec plus d’une heure de "
            "retard. Nous cherchons la cause.",
            "Some e-mails arrive more than an hour late. We are looking for the cause.",
        ),
        (
            35,
            "identified",
            "Un disque plein sur un serveur de réception : nous libérons de la place.",
            "A full disk on a receiving server: we are freeing space.",
        ),
        (
            125,
            "resolved",
            "Tous les e-mails en attente ont été distribués.",
            "Every queued e-mail has been delivered.",
        ),
    ]:
        IncidentUpdate.objects.create(
            incident=incident,
            status=status,
            body_fr=fr,
            body_en=en,
            created_at=start + timedelta(minutes=minutes),
        )
    return True
