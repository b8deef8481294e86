"""Demo components of the status page (called by `manage.py load_demo`)."""

from status.models import Component

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
    stdout.write(f"- status: {created} components created")
