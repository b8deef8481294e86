"""Demo knowledge base for `manage.py load_demo`: original articles (FR + EN
translations linked) for the imaginary provider "Entraide Telecom".

Idempotent: categories and articles are found by their ``demo/…`` source key,
so running it again reports everything unchanged.
"""

from django.contrib.auth import get_user_model

from kb import services

CATEGORIES = [
    # (key, fr title, fr description, en title, en description)
    (
        "connexion",
        "Connexion",
        "Box, voyants, Wi-Fi et débit.",
        "Connection",
        "Router, lights, Wi-Fi and speed.",
    ),
    (
        "facturation",
        "Facturation",
        "Factures, paiements et remboursements.",
        "Billing",
        "Invoices, payments and refunds.",
    ),
    (
        "email",
        "E-mail",
        "Messagerie, webmail et logiciels de courrier.",
        "E-mail",
        "Mailboxes, webmail and mail apps.",
    ),
    (
        "domaines",
        "Domaines",
        "Noms de domaine et zone DNS.",
        "Domains",
        "Domain names and DNS zones.",
    ),
]
CATEGORY_SLUGS = {
    "connexion": ("connexion", "connection"),
    "facturation": ("facturation", "billing"),
    "email": ("e-mail", "e-mail"),
    "domaines": ("domaines", "domains"),
}


def _callout(text, kind="notice"):
    return ("callout", {"kind": kind, "text": text})


ARTICLES = [
    {
        "key": "connexion/voyants-box",
        "category": "connexion",
        "tags": ["box", "voyants"],
        "fr": {
            "slug": "voyants-box",
            "title": "Ma box clignote : que signifient les voyants ?",
            "summary": "Chaque voyant de la box Entraide indique un état précis ; "
            "voici comment les lire et quoi faire quand l'un d'eux clignote.",
            "symptoms": "ma box clignote\nvoyant rouge sur la box\n"
            "le voyant internet clignote orange\nbox qui clignote sans arrêt",
            "body": [
                (
                    "markdown",
                    "## Les voyants de la box\n\n"
                    "| Voyant | Allumé fixe | Clignote |\n|---|---|---|\n"
                    "| Alimentation | La box est allumée | Démarrage en cours |\n"
                    "| Internet | Connexion établie | Recherche du signal |\n"
                    "| Wi-Fi | Wi-Fi actif | Appareil en cours d'association |\n\n"
                    "## Le voyant Internet clignote depuis plus de 10 minutes\n\n"
                    "La box ne parvient pas à joindre notre réseau.",
                ),
                (
                    "steps",
                    [
                        "Vérifiez que le câble fibre (ou ADSL) est bien enfoncé "
                        "des deux côtés.",
                        "Éteignez la box avec le bouton **Marche/Arrêt**, "
                        "attendez 30 secondes, rallumez-la.",
                        "Patientez 5 minutes : le démarrage complet peut être long.",
                        "Consultez la page [État du réseau]"
                        "(https://status.entraide.example) "
                        "pour voir si un incident est en cours dans votre zone.",
                    ],
                ),
                _callout(
                    "Ne faites **pas** de réinitialisation usine (bouton *Reset*) "
                    "sans nous contacter : vos réglages Wi-Fi seraient effacés.",
                    "warning",
                ),
                (
                    "markdown",
                    "## Le voyant Alimentation est rouge\n\n"
                    "La box a détecté une erreur matérielle. Notez le code affiché "
                    "sur l'écran de la box et ouvrez une demande au support : "
                    "un échange peut être nécessaire.",
                ),
            ],
        },
        "en": {
            "slug": "router-lights",
            "title": "My box is blinking: what do the lights mean?",
            "summary": "Each light on the Entraide box shows a specific state; "
            "here is how to read them and what to do when one blinks.",
            "symptoms": "my router is blinking\nred light on the box\n"
            "internet light blinking orange\nbox keeps flashing",
            "body": [
                (
                    "markdown",
                    "## The lights on the box\n\n"
                    "| Light | Steady | Blinking |\n|---|---|---|\n"
                    "| Power | The box is on | Starting up |\n"
                    "| Internet | Connected | Looking for the signal |\n"
                    "| Wi-Fi | Wi-Fi on | A device is pairing |\n\n"
                    "## The Internet light has been blinking for over 10 minutes\n\n"
                    "The box cannot reach our network.",
                ),
                (
                    "steps",
                    [
                        "Check that the fibre (or DSL) cable is firmly plugged in "
                        "at both ends.",
                        "Switch the box off with the **Power** button, wait "
                        "30 seconds, switch it back on.",
                        "Wait 5 minutes: a full start can take a while.",
                        "Look at the [network status page]"
                        "(https://status.entraide.example) "
                        "to see whether there is an outage in your area.",
                    ],
                ),
                _callout(
                    "Do **not** do a factory reset (*Reset* button) without "
                    "contacting us: your Wi-Fi settings would be erased.",
                    "warning",
                ),
                (
                    "markdown",
                    "## The Power light is red\n\n"
                    "The box detected a hardware fault. Write down the code shown "
                    "on the box's screen and open a support request: it may need "
                    "to be replaced.",
                ),
            ],
        },
    },
    {
        "key": "connexion/connexion-lente",
        "category": "connexion",
        "tags": ["débit", "wifi"],
        "fr": {
            "slug": "connexion-lente",
            "title": "Connexion lente : diagnostiquer et améliorer le débit",
            "summary": "Mesurez votre débit au bon endroit, puis corrigez les causes "
            "les plus fréquentes : Wi-Fi saturé, box mal placée, appareil ancien.",
            "symptoms": "internet très lent\nconnexion lente le soir\n"
            "le débit a baissé\nvidéos qui coupent",
            "body_markdown": """\
## Mesurer le débit correctement

1. Branchez un ordinateur **en câble Ethernet** sur la box.
2. Fermez les autres applications et mettez en pause les téléchargements.
3. Lancez le test sur [test.entraide.example](https://test.entraide.example).

Si le débit en câble est normal, le problème vient du Wi-Fi.

## Améliorer le Wi-Fi

- Placez la box en hauteur, hors d'un meuble fermé.
- Utilisez le réseau **5 GHz** quand vous êtes près de la box.
- Changez de canal Wi-Fi dans l'interface de la box (`http://192.168.1.1`).

## Le débit en câble est lent aussi

Redémarrez la box. Si le débit reste inférieur de moitié à celui de votre
offre pendant plus de 24 heures, contactez le support en joignant le résultat
du test.
""",
        },
        "en": {
            "slug": "slow-connection",
            "title": "Slow connection: diagnose and improve your speed",
            "summary": "Measure your speed in the right place, then fix the most "
            "common causes: crowded Wi-Fi, badly placed box, old device.",
            "symptoms": "internet very slow\nslow connection in the evening\n"
            "speed dropped\nvideos keep buffering",
            "body_markdown": """\
## Measure the speed properly

1. Plug a computer into the box **with an Ethernet cable**.
2. Close other apps and pause downloads.
3. Run the test at [test.entraide.example](https://test.entraide.example).

If the wired speed is fine, the problem is the Wi-Fi.

## Improve the Wi-Fi

- Put the box up high, not inside a closed cabinet.
- Use the **5 GHz** network when you are close to the box.
- Change the Wi-Fi channel in the box settings (`http://192.168.1.1`).

## The wired speed is slow too

Restart the box. If the speed stays below half of your plan for more than
24 hours, contact support and attach the test result.
""",
        },
    },
    {
        "key": "connexion/plus-d-internet",
        "category": "connexion",
        "tags": ["panne", "box"],
        "fr": {
            "slug": "plus-d-internet",
            "title": "Plus d'internet depuis ce matin",
            "summary": "Vérifiez d'abord s'il y a une panne dans votre zone, "
            "puis redémarrez la box et contrôlez les câbles.",
            "symptoms": "plus d'internet depuis ce matin\npas de connexion\n"
            "internet coupé\nla box ne capte plus",
            "body_markdown": """\
Avant tout, consultez la page
[État du réseau](https://status.entraide.example) : si un incident est
signalé dans votre commune, inutile de redémarrer la box, nos équipes sont
déjà dessus.

Sinon :

1. Redémarrez la box (bouton Marche/Arrêt, 30 secondes d'attente).
2. Vérifiez les câbles et la prise électrique.
3. Testez avec un autre appareil pour écarter un souci d'ordinateur.

Toujours rien après 15 minutes ? Ouvrez une demande au support : nous
pouvons tester votre ligne à distance.
""",
        },
        "en": {
            "slug": "no-internet",
            "title": "No internet since this morning",
            "summary": "First check whether there is an outage in your area, "
            "then restart the box and check the cables.",
            "symptoms": "no internet since this morning\nno connection\n"
            "internet is down\nbox lost the signal",
            "body_markdown": """\
First of all, look at the
[network status page](https://status.entraide.example): if an outage is
reported in your town, there is no need to restart the box, our teams are
already on it.

Otherwise:

1. Restart the box (Power button, wait 30 seconds).
2. Check the cables and the power socket.
3. Try another device to rule out a computer problem.

Still nothing after 15 minutes? Open a support request: we can test your
line remotely.
""",
        },
    },
    {
        "key": "connexion/wifi-mot-de-passe",
        "category": "connexion",
        "tags": ["wifi", "sécurité"],
        "fr": {
            "slug": "changer-mot-de-passe-wifi",
            "title": "Changer le nom et le mot de passe du Wi-Fi",
            "summary": "Depuis l'interface de la box, choisissez un nom de réseau "
            "et un mot de passe long ; reconnectez ensuite vos appareils.",
            "symptoms": "changer mot de passe wifi\nje veux renommer mon wifi\n"
            "quelqu'un utilise mon wifi",
            "body": [
                (
                    "steps",
                    [
                        "Ouvrez `http://192.168.1.1` depuis un appareil "
                        "connecté à la box.",
                        "Connectez-vous avec le mot de passe d'administration "
                        "imprimé sous la box.",
                        "Allez dans **Wi-Fi > Réglages**.",
                        "Saisissez le nouveau nom (SSID) et un mot de passe "
                        "d'au moins 12 caractères, puis **Enregistrer**.",
                    ],
                ),
                _callout(
                    "Tous vos appareils seront déconnectés : reconnectez-les avec "
                    "le nouveau mot de passe."
                ),
            ],
        },
        "en": {
            "slug": "change-wifi-password",
            "title": "Change the Wi-Fi name and password",
            "summary": "In the box settings, pick a network name and a long "
            "password; then reconnect your devices.",
            "symptoms": "change wifi password\nrename my wifi\n"
            "someone is using my wifi",
            "body": [
                (
                    "steps",
                    [
                        "Open `http://192.168.1.1` from a device connected to the box.",
                        "Sign in with the admin password printed under the box.",
                        "Go to **Wi-Fi > Settings**.",
                        "Enter the new name (SSID) and a password of at least "
                        "12 characters, then **Save**.",
                    ],
                ),
                _callout(
                    "All your devices will be disconnected: reconnect them with "
                    "the new password."
                ),
            ],
        },
    },
    {
        "key": "facturation/comprendre-facture",
        "category": "facturation",
        "tags": ["facture"],
        "fr": {
            "slug": "comprendre-ma-facture",
            "title": "Comprendre votre facture",
            "summary": "Votre facture mensuelle regroupe l'abonnement, les options "
            "et les consommations hors forfait ; voici comment la lire.",
            "symptoms": "facture plus chère que d'habitude\n"
            "je ne comprends pas ma facture\nmontant facture anormal",
            "body_markdown": """\
## Où trouver la facture

Dans **Espace client > Factures**, chaque facture est disponible en PDF
le 3 du mois.

## Les lignes de la facture

- **Abonnement** : le prix de votre offre, payé d'avance pour le mois qui commence.
- **Options** : bouquets TV, numéro supplémentaire, etc.
- **Hors forfait** : appels vers l'étranger ou numéros spéciaux du mois précédent.
- **Prorata** : le premier mois, ou après un changement d'offre, seule une
  partie du mois est facturée.

## Le montant a augmenté

Comparez la section *Hors forfait* avec le mois précédent. Une promotion
terminée apparaît aussi comme une hausse : sa date de fin figure sur votre
contrat.
""",
        },
        "en": {
            "slug": "understand-my-invoice",
            "title": "Understand your invoice",
            "summary": "Your monthly invoice combines the plan, the options and "
            "out-of-plan usage; here is how to read it.",
            "symptoms": "invoice higher than usual\nI don't understand my bill\n"
            "strange amount on my invoice",
            "body_markdown": """\
## Where to find the invoice

In **Customer area > Invoices**, each invoice is available as a PDF on the
3rd of the month.

## The lines of the invoice

- **Plan**: the price of your plan, paid in advance for the coming month.
- **Options**: TV packs, extra phone number, etc.
- **Out of plan**: calls abroad or premium numbers from the previous month.
- **Pro rata**: in the first month, or after a plan change, only part of the
  month is billed.

## The amount went up

Compare the *Out of plan* section with the previous month. The end of a
promotion also shows as an increase: its end date is in your contract.
""",
        },
    },
    {
        "key": "facturation/remboursement",
        "category": "facturation",
        "tags": ["remboursement", "facture"],
        "fr": {
            "slug": "obtenir-un-remboursement",
            "title": "Obtenir un remboursement",
            "summary": "Double prélèvement, résiliation ou panne longue : "
            "faites la demande depuis l'espace client, "
            "le virement arrive sous 10 jours.",
            "symptoms": "j'ai été prélevé deux fois\nremboursement\n"
            "rembourser panne\nremboursement après résiliation",
            "body_markdown": """\
## Dans quels cas ?

- Vous avez été prélevé deux fois pour la même facture.
- Vous avez résilié et payé un mois entamé.
- Votre service a été coupé plus de 48 heures par notre faute.

## Faire la demande

1. Allez dans **Espace client > Factures**.
2. Cliquez sur **Contester** à côté de la facture concernée.
3. Choisissez le motif et joignez un justificatif si besoin.

Le remboursement est fait par virement sur le compte du prélèvement, sous
10 jours ouvrés après acceptation.

<div class="callout callout-warning" markdown="1">
Ne faites pas opposition au prélèvement auprès de votre banque : cela
suspend votre ligne et retarde le remboursement.
</div>
""",
        },
        "en": {
            "slug": "get-a-refund",
            "title": "Get a refund",
            "summary": "Double charge, cancellation or long outage: ask from the "
            "customer area, the transfer arrives within 10 days.",
            "symptoms": "I was charged twice\nrefund\nrefund for outage\n"
            "refund after cancelling",
            "body_markdown": """\
## When?

- You were charged twice for the same invoice.
- You cancelled and paid for a started month.
- Your service was down for more than 48 hours because of us.

## Ask for it

1. Go to **Customer area > Invoices**.
2. Click **Dispute** next to the invoice.
3. Pick the reason and attach a proof if needed.

The refund is a bank transfer to the account that was charged, within
10 working days after approval.

<div class="callout callout-warning" markdown="1">
Do not stop the direct debit at your bank: it suspends your line and
delays the refund.
</div>
""",
        },
    },
    {
        "key": "facturation/moyen-de-paiement",
        "category": "facturation",
        "tags": ["paiement"],
        "fr": {
            "slug": "changer-moyen-de-paiement",
            "title": "Changer de moyen de paiement",
            "summary": "Remplacez votre RIB ou votre carte depuis l'espace client ; "
            "le changement s'applique à la prochaine facture.",
            "symptoms": "changer de RIB\nnouvelle carte bancaire\n"
            "changer de banque\nprélèvement refusé",
            "body_markdown": """\
1. Ouvrez **Espace client > Paiement**.
2. Choisissez **Prélèvement** (saisissez le nouvel IBAN) ou **Carte bancaire**.
3. Validez avec le code reçu par SMS.

Le nouveau moyen de paiement est utilisé pour la facture suivante. Si un
prélèvement a été refusé, vous pouvez régler la facture en attente par carte
depuis la même page.
""",
        },
        "en": {
            "slug": "change-payment-method",
            "title": "Change your payment method",
            "summary": "Replace your bank details or card in the customer area; "
            "the change applies from the next invoice.",
            "symptoms": "change bank details\nnew credit card\n"
            "changed bank\ndirect debit refused",
            "body_markdown": """\
1. Open **Customer area > Payment**.
2. Choose **Direct debit** (enter the new IBAN) or **Card**.
3. Confirm with the code sent by text message.

The new payment method is used for the next invoice. If a direct debit was
refused, you can pay the pending invoice by card from the same page.
""",
        },
    },
    {
        "key": "email/configurer-messagerie",
        "category": "email",
        "tags": ["imap", "smtp", "webmail"],
        "fr": {
            "slug": "configurer-messagerie",
            "title": "Configurer votre messagerie (webmail, Thunderbird, téléphone)",
            "summary": "Lisez vos e-mails sur le webmail ou dans votre logiciel "
            "avec les réglages IMAP et SMTP d'Entraide Telecom.",
            "symptoms": "configurer thunderbird\nmes mails n'arrivent plus sur "
            "mon téléphone\nparamètres imap\nmot de passe mail refusé",
            "body": [
                (
                    "markdown",
                    "## Webmail\n\nOuvrez [webmail.entraide.example]"
                    "(https://webmail.entraide.example) et connectez-vous avec "
                    "votre adresse complète.\n\n## Réglages pour un logiciel",
                ),
                (
                    "code",
                    {
                        "language": "text",
                        "code": "Serveur entrant (IMAP) : imap.entraide.example  "
                        "port 993  SSL/TLS\nServeur sortant (SMTP) : "
                        "smtp.entraide.example  port 465  SSL/TLS\n"
                        "Identifiant : votre adresse e-mail complète",
                    },
                ),
                (
                    "markdown",
                    "## Sur téléphone\n\nDans **Réglages > Mail > Comptes**, "
                    "choisissez *Autre*, puis saisissez les mêmes serveurs.\n\n"
                    "## Le mot de passe est refusé\n\nAprès 5 essais ratés, la "
                    "boîte est bloquée 15 minutes. Changez le mot de passe depuis "
                    "l'espace client puis mettez-le à jour sur chaque appareil.",
                ),
            ],
        },
        "en": {
            "slug": "set-up-your-mailbox",
            "title": "Set up your mailbox (webmail, Thunderbird, phone)",
            "summary": "Read your e-mail in the webmail or in your mail app with "
            "the Entraide Telecom IMAP and SMTP settings.",
            "symptoms": "configure thunderbird\nmy emails no longer arrive on my "
            "phone\nimap settings\nmail password rejected",
            "body": [
                (
                    "markdown",
                    "## Webmail\n\nOpen [webmail.entraide.example]"
                    "(https://webmail.entraide.example) and sign in with your "
                    "full address.\n\n## Settings for a mail app",
                ),
                (
                    "code",
                    {
                        "language": "text",
                        "code": "Incoming server (IMAP): imap.entraide.example  "
                        "port 993  SSL/TLS\nOutgoing server (SMTP): "
                        "smtp.entraide.example  port 465  SSL/TLS\n"
                        "Username: your full e-mail address",
                    },
                ),
                (
                    "markdown",
                    "## On a phone\n\nIn **Settings > Mail > Accounts**, choose "
                    "*Other*, then enter the same servers.\n\n"
                    "## The password is rejected\n\nAfter 5 failed attempts the "
                    "mailbox is locked for 15 minutes. Change the password in the "
                    "customer area, then update it on each device.",
                ),
            ],
        },
    },
    {
        "key": "email/spam",
        "category": "email",
        "tags": ["spam", "dns"],
        "fr": {
            "slug": "mails-en-spam",
            "title": "Mes e-mails arrivent en spam chez mes destinataires",
            "summary": "Ajoutez les enregistrements SPF, DKIM et DMARC à votre "
            "domaine pour que vos messages soient reconnus comme légitimes.",
            "symptoms": "mes mails arrivent en spam\nmes messages sont "
            "considérés comme indésirables\nspf dkim",
            "body_markdown": """\
## Pourquoi ?

Les messageries vérifient que le domaine de l'expéditeur autorise le serveur
qui envoie. Sans ces preuves, vos messages finissent en indésirables.

## Les enregistrements à ajouter

Dans **Domaines > Zone DNS**, ajoutez :

```
@       TXT  "v=spf1 include:_spf.entraide.example ~all"
_dmarc  TXT  "v=DMARC1; p=none; rua=mailto:postmaster@votre-domaine.fr"
```

La clé DKIM se génère dans **E-mail > Signature DKIM** : un clic l'ajoute à
la zone.

## Vérifier

Attendez une heure, puis envoyez un message vers une adresse de test : l'en-tête
doit indiquer `spf=pass` et `dkim=pass`.
""",
        },
        "en": {
            "slug": "emails-land-in-spam",
            "title": "My e-mails land in my recipients' spam folder",
            "summary": "Add SPF, DKIM and DMARC records to your domain so your "
            "messages are recognised as legitimate.",
            "symptoms": "my emails go to spam\nmy messages are flagged as junk\n"
            "spf dkim",
            "body_markdown": """\
## Why?

Mail providers check that the sender's domain allows the server that sends.
Without that proof, your messages end up as junk.

## Records to add

In **Domains > DNS zone**, add:

```
@       TXT  "v=spf1 include:_spf.entraide.example ~all"
_dmarc  TXT  "v=DMARC1; p=none; rua=mailto:postmaster@your-domain.com"
```

The DKIM key is generated in **E-mail > DKIM signature**: one click adds it to
the zone.

## Check

Wait an hour, then send a message to a test address: the header should show
`spf=pass` and `dkim=pass`.
""",
        },
    },
    {
        "key": "email/boite-pleine",
        "category": "email",
        "tags": ["webmail", "quota"],
        "fr": {
            "slug": "boite-mail-pleine",
            "title": "Boîte mail pleine : libérer de la place",
            "summary": "Au-delà de 5 Go, les nouveaux messages sont refusés ; videz "
            "la corbeille et les gros messages ou passez à l'option 50 Go.",
            "symptoms": "boîte mail pleine\nje ne reçois plus de mails\nquota dépassé",
            "body_markdown": """\
1. Sur le webmail, videz **Corbeille** et **Indésirables**.
2. Triez la boîte de réception par taille et supprimez les plus gros messages
   (ou enregistrez d'abord leurs pièces jointes).
3. Vérifiez l'espace utilisé en bas à gauche du webmail.

Besoin de plus ? L'option **Boîte 50 Go** s'active depuis l'espace client,
sans coupure.
""",
        },
        "en": {
            "slug": "mailbox-full",
            "title": "Mailbox full: free up space",
            "summary": "Above 5 GB new messages are refused; empty the trash and "
            "large messages or switch to the 50 GB option.",
            "symptoms": "mailbox full\nI no longer receive emails\nquota exceeded",
            "body_markdown": """\
1. In the webmail, empty **Trash** and **Junk**.
2. Sort the inbox by size and delete the largest messages (or save their
   attachments first).
3. Check the space used at the bottom left of the webmail.

Need more? The **50 GB mailbox** option can be switched on in the customer
area, with no interruption.
""",
        },
    },
    {
        "key": "domaines/enregistrements-dns",
        "category": "domaines",
        "tags": ["dns"],
        "fr": {
            "slug": "ajouter-enregistrement-dns",
            "title": "Ajouter un enregistrement DNS (A, CNAME, MX, TXT)",
            "summary": "Gérez la zone de votre domaine depuis l'espace client : "
            "choisissez le type d'enregistrement, la cible et enregistrez.",
            "symptoms": "ajouter un enregistrement dns\nfaire pointer mon domaine\n"
            "configurer mx\nmon site ne s'affiche pas avec mon domaine",
            "body_markdown": """\
## Les types d'enregistrements

| Type | Sert à | Exemple de valeur |
|---|---|---|
| A | Faire pointer un nom vers une adresse IPv4 | `203.0.113.10` |
| CNAME | Faire d'un nom l'alias d'un autre | `monsite.hebergeur.example.` |
| MX | Désigner le serveur qui reçoit le courrier | `10 mx1.entraide.example.` |
| TXT | Publier une information (SPF, vérification) | `"v=spf1 …"` |

## Ajouter l'enregistrement

1. **Domaines > votre domaine > Zone DNS**.
2. **Ajouter un enregistrement**, choisissez le type.
3. Saisissez le sous-domaine (`@` pour le domaine lui-même), la valeur, puis
   **Enregistrer**.

## Délai de propagation

Comptez de quelques minutes à quelques heures selon la durée (TTL) de
l'ancien enregistrement.
""",
        },
        "en": {
            "slug": "add-a-dns-record",
            "title": "Add a DNS record (A, CNAME, MX, TXT)",
            "summary": "Manage your domain's zone in the customer area: pick the "
            "record type, the target and save.",
            "symptoms": "add a dns record\npoint my domain\nset up mx\n"
            "my site does not show with my domain",
            "body_markdown": """\
## Record types

| Type | Used to | Example value |
|---|---|---|
| A | Point a name to an IPv4 address | `203.0.113.10` |
| CNAME | Make a name an alias of another | `mysite.host.example.` |
| MX | Name the server that receives mail | `10 mx1.entraide.example.` |
| TXT | Publish information (SPF, verification) | `"v=spf1 …"` |

## Add the record

1. **Domains > your domain > DNS zone**.
2. **Add a record**, choose the type.
3. Enter the subdomain (`@` for the domain itself), the value, then **Save**.

## Propagation time

Allow a few minutes to a few hours, depending on the lifetime (TTL) of the
old record.
""",
        },
    },
    {
        "key": "domaines/transfert",
        "category": "domaines",
        "tags": ["domaine", "transfert"],
        "fr": {
            "slug": "transferer-un-domaine",
            "title": "Transférer un domaine chez Entraide Telecom",
            "summary": "Débloquez le domaine chez l'ancien registraire, récupérez "
            "le code d'autorisation et lancez le transfert depuis l'espace client.",
            "symptoms": "transférer mon domaine\ncode auth\nchanger de registraire",
            "body_markdown": """\
1. Chez votre registraire actuel, **déverrouillez** le domaine et
   demandez le **code d'autorisation** (AuthInfo).
2. Vérifiez que l'adresse e-mail du titulaire est valide : une confirmation
   y sera envoyée.
3. Dans **Domaines > Transférer**, saisissez le domaine et le code.

Le transfert prend jusqu'à 5 jours et ajoute un an à la date d'expiration.
Votre zone DNS est copiée automatiquement : le site et les e-mails ne sont
pas coupés.
""",
        },
        "en": {
            "slug": "transfer-a-domain",
            "title": "Transfer a domain to Entraide Telecom",
            "summary": "Unlock the domain at the old registrar, get the "
            "authorisation code and start the transfer in the customer area.",
            "symptoms": "transfer my domain\nauth code\nchange registrar",
            "body_markdown": """\
1. At your current registrar, **unlock** the domain and ask for the
   **authorisation code** (AuthInfo).
2. Check that the owner's e-mail address works: a confirmation is sent there.
3. In **Domains > Transfer**, enter the domain and the code.

The transfer takes up to 5 days and adds one year to the expiry date. Your
DNS zone is copied automatically: the website and e-mail keep working.
""",
        },
    },
]


def _demo_user():
    user_model = get_user_model()
    return user_model.objects.filter(username="trusted").first()


def load_demo_articles(stdout):
    """Create or refresh the demo articles; prints a one-line report."""
    user = _demo_user()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    categories = {}
    for key, fr_title, fr_desc, en_title, en_desc in CATEGORIES:
        fr_slug, en_slug = CATEGORY_SLUGS[key]
        cat_fr, _s = services.category_upsert(
            parent=services.kb_root("fr"),
            title=fr_title,
            slug=fr_slug,
            description=fr_desc,
            source_key=f"demo/{key}",
        )
        cat_en, _s = services.category_upsert(
            parent=services.kb_root("en"),
            title=en_title,
            slug=en_slug,
            description=en_desc,
            source_key=f"demo/{key}",
            translation_of=cat_fr,
        )
        categories[key] = {"fr": cat_fr, "en": cat_en}
    for article in ARTICLES:
        french = None
        for lang in ("fr", "en"):
            data = article[lang]
            page, status = services.article_upsert(
                parent=categories[article["category"]][lang],
                title=data["title"],
                slug=data["slug"],
                summary=data["summary"],
                body_markdown=data.get("body_markdown"),
                body=data.get("body"),
                tags=article["tags"],
                symptoms=data["symptoms"],
                source_key=f"demo/{article['key']}",
                translation_of=french,
                user=user,
                summary_of_change="Demo content",
            )
            counts[status] += 1
            french = french or page
    stdout.write(
        "KB demo: {created} created, {updated} updated, {unchanged} unchanged "
        "articles.\n".format(**counts)
    )
    return counts
