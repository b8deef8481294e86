"""Writes of the status app: incidents, subscribers, spike alerts, and the one
function every status e-mail goes through."""

import logging
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from accounts import roles
from kb.cache import kb_cache_invalidate
from outbox.services import mail_queue
from social_redirect.models import Mention, RedirectLink
from social_redirect.services.mentions import (
    link_set_target,
    mention_mark_replied,
    short_url,
)
from social_redirect.services.replies import reply_draft
from status import spikes
from status.digest import digest
from status.models import (
    Component,
    Incident,
    IncidentComponent,
    IncidentMention,
    IncidentUpdate,
    SpikeAlert,
    State,
    Subscriber,
)
from status.selectors import BANNER_CACHE_KEY, open_incidents
from support.models import Ticket

logger = logging.getLogger(__name__)

CONFIRM_SALT = "status.subscriber.confirm"
UNSUBSCRIBE_SALT = "status.subscriber.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


# --- Mail -----------------------------------------------------------------------


def _absolute(path):
    return settings.SITE_URL + path


def _lang_url(name, lang, *args, query=None):
    with translation.override(lang):
        url = reverse(name, args=args)
    return url + (f"?{urlencode(query)}" if query else "")


# --- Incidents ------------------------------------------------------------------


def _set_states(incident, states):
    """``states``: Component -> state; operational or missing means not affected."""
    keep = []
    for component, state in states.items():
        if not state or state == State.OPERATIONAL:
            continue
        IncidentComponent.objects.update_or_create(
            incident=incident, component=component, defaults={"state": state}
        )
        keep.append(component.pk)
    incident.affected.exclude(component_id__in=keep).delete()


def _banner_changed():
    def drop():
        cache.delete(BANNER_CACHE_KEY)
        # Cached KB pages carry the banner too.
        kb_cache_invalidate()

    transaction.on_commit(drop)


def _notify(update):
    # Local import: status.tasks imports this module (mail, tokens).
    from status.tasks import incident_update_notify  # noqa: PLC0415

    transaction.on_commit(lambda: incident_update_notify.enqueue(update.pk))


@transaction.atomic
def incident_create(
    *,
    author,
    kind: str,
    title_fr: str,
    title_en: str,
    status: str,
    started_at: datetime,
    states: dict,
    message_fr: str,
    message_en: str,
    scheduled_end: datetime | None = None,
    resolved_at: datetime | None = None,
    postmortem_fr: str = "",
    postmortem_en: str = "",
    kb_article=None,
    alert: SpikeAlert | None = None,
) -> Incident:
    if status == Incident.Status.RESOLVED and resolved_at is None:
        resolved_at = timezone.now()
    incident = Incident.objects.create(
        kind=kind,
        title_fr=title_fr,
        title_en=title_en,
        status=status,
        started_at=started_at,
        scheduled_end=scheduled_end,
        resolved_at=resolved_at,
        postmortem_fr=postmortem_fr,
        postmortem_en=postmortem_en,
        kb_article=kb_article,
        created_by=author if getattr(author, "pk", None) else None,
    )
    _set_states(incident, states)
    update = IncidentUpdate.objects.create(
        incident=incident,
        status=status,
        body_fr=message_fr,
        body_en=message_en,
        author=incident.created_by,
    )
    if alert is not None:
        SpikeAlert.objects.filter(pk=alert.pk).update(incident=incident)
    _notify(update)
    _banner_changed()
    return incident


@transaction.atomic
def incident_change(
    *,
    incident: Incident,
    author,
    kind: str,
    title_fr: str,
    title_en: str,
    status: str,
    started_at: datetime,
    states: dict,
    message_fr: str = "",
    message_en: str = "",
    scheduled_end: datetime | None = None,
    resolved_at: datetime | None = None,
    postmortem_fr: str = "",
    postmortem_en: str = "",
    kb_article=None,
) -> IncidentUpdate | None:
    """Edit an incident; a message or a change of status publishes a timed
    update (mailed to subscribers). Returns that update, if any."""
    if status == Incident.Status.RESOLVED and resolved_at is None:
        resolved_at = incident.resolved_at or timezone.now()
    if resolved_at is not None:
        status = Incident.Status.RESOLVED
    status_changed = status != incident.status
    for name, value in {
        "kind": kind,
        "title_fr": title_fr,
        "title_en": title_en,
        "status": status,
        "started_at": started_at,
        "scheduled_end": scheduled_end,
        "resolved_at": resolved_at,
        "postmortem_fr": postmortem_fr,
        "postmortem_en": postmortem_en,
        "kb_article": kb_article,
    }.items():
        setattr(incident, name, value)
    incident.save()
    _set_states(incident, states)
    update = None
    if message_fr or message_en or status_changed:
        update = IncidentUpdate.objects.create(
            incident=incident,
            status=status,
            body_fr=message_fr,
            body_en=message_en,
            author=author if getattr(author, "pk", None) else None,
        )
        _notify(update)
    _banner_changed()
    return update


# --- Subscribers ----------------------------------------------------------------


def subscriber_token(subscriber: Subscriber, salt: str, **extra) -> str:
    return signing.dumps(
        {"id": subscriber.pk, "e": subscriber.email, **extra}, salt=salt
    )


def _token_data(token, salt, max_age=None):
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None, None
    if not isinstance(data, dict):
        return None, None
    subscriber = Subscriber.objects.filter(
        pk=data.get("id"), email=data.get("e")
    ).first()
    return subscriber, data


def unsubscribe_url(subscriber: Subscriber) -> str:
    return _absolute(
        _lang_url(
            "status:unsubscribe",
            subscriber.language,
            subscriber_token(subscriber, UNSUBSCRIBE_SALT),
        )
    )


def _unsubscribe_headers(subscriber):
    url = unsubscribe_url(subscriber)
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def subscriber_subscribe(
    *, email: str, language: str, components: list[Component]
) -> Subscriber:
    """Mail a confirmation link carrying the chosen language and components;
    nothing else is sent, and nothing about an existing subscription changes,
    until the link is opened (double opt-in)."""
    email = email.strip().lower()
    subscriber, _created = Subscriber.objects.get_or_create(
        email=email, defaults={"language": language}
    )
    if subscriber.confirmed_at is None:
        subscriber.language = language
        subscriber.save(update_fields=["language"])
        subscriber.components.set(components)
    confirm_url = _absolute(
        _lang_url(
            "status:confirm",
            language,
            subscriber_token(
                subscriber,
                CONFIRM_SALT,
                l=language,
                c=sorted(c.pk for c in components),
            ),
        )
    )
    with translation.override(language):
        subject = render_to_string("status/email/confirm_subject.txt").strip()
        body = render_to_string(
            "status/email/confirm.txt",
            {
                "confirm_url": confirm_url,
                "unsubscribe_url": unsubscribe_url(subscriber),
                "components": components,
                "SITE_NAME": settings.SITE_NAME,
            },
        )
    mail_queue(
        to=[email],
        subject=subject,
        body=body,
        kind="status_confirm",
        language=language,
        headers=_unsubscribe_headers(subscriber),
    )
    return subscriber


def subscriber_confirm(*, token: str) -> Subscriber | None:
    """Open the confirmation link: the address is proven, the preferences in
    the link apply."""
    subscriber, data = _token_data(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    if subscriber is None:
        return None
    if data.get("l") in ("fr", "en"):
        subscriber.language = data["l"]
    subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
    subscriber.save(update_fields=["language", "confirmed_at"])
    if isinstance(data.get("c"), list):
        subscriber.components.set(Component.objects.filter(pk__in=data["c"]))
    return subscriber


def subscriber_unsubscribe(*, token: str) -> bool:
    subscriber, _data = _token_data(token, UNSUBSCRIBE_SALT)
    if subscriber is None:
        return False
    subscriber.delete()
    return True


def incident_update_mail(*, update: IncidentUpdate) -> int:
    """Mail one update to every confirmed subscriber of an affected component
    (or of everything), each in their language. Returns the number sent."""
    incident = update.incident
    affected = list(incident.affected.values_list("component_id", flat=True))
    subscribers = (
        Subscriber.objects.filter(confirmed_at__isnull=False)
        .filter(Q(components__isnull=True) | Q(components__in=affected))
        .distinct()
    )
    is_first = not incident.updates.filter(created_at__lt=update.created_at).exists()
    sent = 0
    for subscriber in subscribers:
        lang = subscriber.language
        title, title_lang = incident.title_in(lang)
        body, body_lang = update.body_in(lang)
        context = {
            "incident": incident,
            "title": title,
            "body": body,
            "translated_later": title_lang != lang or (body and body_lang != lang),
            "status_label": Incident.Status(update.status).label,
            "is_first": is_first,
            "incident_url": _absolute(_lang_url("status:incident", lang, incident.pk)),
            "unsubscribe_url": unsubscribe_url(subscriber),
            "components": [a.component for a in incident.affected.all()],
            "SITE_NAME": settings.SITE_NAME,
        }
        with translation.override(lang):
            subject = render_to_string("status/email/update_subject.txt", context)
            body_text = render_to_string("status/email/update.txt", context)
        mail_queue(
            to=[subscriber.email],
            subject=" ".join(subject.split()),
            body=body_text,
            kind="status_update",
            language=lang,
            headers=_unsubscribe_headers(subscriber),
        )
        sent += 1
    return sent


# --- Spike alerts ---------------------------------------------------------------


def _component_keywords():
    return {c.slug: c.keyword_list() for c in Component.objects.all()}


def _events(now):
    ranges = spikes.history_ranges(now)
    when = Q()
    for start, end in ranges:
        when |= Q(posted_at__gt=start, posted_at__lte=end)
    components = _component_keywords()
    events = []
    mentions = Mention.objects.filter(when).only(
        "pk", "posted_at", "text", "lang", "target_url", "unhappiness"
    )
    for mention in mentions.iterator():
        events.append(
            spikes.Event(
                kind="mention",
                pk=mention.pk,
                at=mention.posted_at,
                topics=spikes.topics_for(
                    mention.text,
                    mention.lang or "fr",
                    target_url=mention.target_url,
                    components=components,
                ),
                problem=spikes.is_problem(
                    mention.text, mention.lang, mention.unhappiness
                ),
                text=mention.text,
            )
        )
    ticket_when = Q()
    for start, end in ranges:
        ticket_when |= Q(created_at__gt=start, created_at__lte=end)
    tickets = Ticket.objects.filter(ticket_when).only(
        "pk", "created_at", "subject", "category", "language"
    )
    for ticket in tickets.iterator():
        events.append(
            spikes.Event(
                kind="ticket",
                pk=ticket.pk,
                at=ticket.created_at,
                topics=spikes.topics_for(
                    ticket.subject,
                    ticket.language,
                    category=ticket.category,
                    components=components,
                ),
                # Someone who opens a ticket has a problem, whatever the tone.
                problem=True,
                text=ticket.subject,
            )
        )
    return events


def likely_component(spike) -> Component | None:
    if spike.topic.startswith("component:"):
        slug = spike.topic.split(":", 1)[1]
        return Component.objects.filter(slug=slug).first()
    counts = {}
    for event in spike.events:
        for topic in event.topics:
            if topic.startswith("component:"):
                counts[topic] = counts.get(topic, 0) + 1
    if not counts:
        return None
    best = max(counts, key=counts.get)
    return Component.objects.filter(slug=best.split(":", 1)[1]).first()


def spike_alert_url(alert: SpikeAlert, lang: str = "fr") -> str:
    """The new-incident form prefilled from this alert."""
    return _lang_url("status:incident_create", lang, query={"alert": alert.pk})


def _staff_emails():
    User = get_user_model()
    users = User.objects.filter(is_active=True).filter(
        Q(is_staff=True) | Q(groups__name=roles.STAFF)
    )
    return sorted({u.email for u in users.distinct() if u.email})


def _spike_alert_mail(alert, spike):
    to = _staff_emails()
    if not to:
        return
    lang = settings.LANGUAGE_CODE
    with translation.override(lang):
        body = render_to_string(
            "status/email/spike.txt",
            {
                "alert": alert,
                "samples": [e.text for e in spike.events[:5]],
                "incident_url": _absolute(spike_alert_url(alert, lang)),
                "SITE_NAME": settings.SITE_NAME,
            },
        )
        subject = render_to_string("status/email/spike_subject.txt", {"alert": alert})
    mail_queue(
        to=to,
        subject=" ".join(subject.split()),
        body=body,
        kind="status_spike",
        language=lang,
    )


def spikes_detect(*, now: datetime | None = None, notify: bool = True) -> list:
    """Run detection once. Returns ``(spike, alert, created)`` per spike; a
    spike that continues a recent alert's burst does not raise a new one."""
    now = now or timezone.now()
    first = Mention.objects.aggregate(first=Min("posted_at"))["first"]
    index = spikes.EventIndex(_events(now))
    found = spikes.detect(index, now, history_start=first)
    recent = list(
        SpikeAlert.objects.filter(created_at__gte=now - spikes.ALERT_COOLDOWN)
    )
    out = []
    for spike in found:
        created = spikes.is_new_alert(spike, recent)
        if created:
            alert = SpikeAlert.objects.create(
                topic=spike.topic[:200],
                window_minutes=spike.window,
                count=spike.count,
                expected=spike.expected,
                p_value=spike.p_value,
                window_end=spike.window_end,
                mention_ids=spike.mention_ids,
                ticket_ids=spike.ticket_ids,
                component=likely_component(spike),
                created_at=now,
            )
            recent.append(alert)
            if notify:
                _spike_alert_mail(alert, spike)
        else:
            alert = next(
                (
                    a
                    for a in recent
                    if a.topic == spike.topic
                    or set(a.mention_ids) & set(spike.mention_ids)
                ),
                None,
            )
        out.append((spike, alert, created))
    return out


# --- Replying during an incident ------------------------------------------------

# When the next update is promised in replies, after the latest one.
NEXT_UPDATE_MINUTES = 30
# Mentions of an open incident and their links point to the incident page.
INCIDENT_LINK_KIND = RedirectLink.Kind.INCIDENT
MATCH_LIMIT = 500

_REPLY = {
    ("ack", "fr"): (
        "{name} Bonjour, nous sommes au courant : « {title} ». Nos équipes sont "
        "dessus, prochain point vers {next}. Suivez l’incident ici : {link}"
    ),
    ("ack", "en"): (
        '{name} Hi, we know about it: "{title}". Our teams are on it, next update '
        "around {next}. Follow the incident here: {link}"
    ),
    ("followup", "fr"): (
        "{name} Bonne nouvelle : « {title} » est résolu. Si le souci persiste chez "
        "vous, dites-le-nous depuis cette page : {link}"
    ),
    ("followup", "en"): (
        '{name} Good news: "{title}" is resolved. If it still fails for you, tell '
        "us from this page: {link}"
    ),
}


def _incident_topics(incident):
    topics = {f"component:{a.component.slug}" for a in incident.affected.all()}
    if incident.kb_article_id:
        topics.add(f"article:{incident.kb_article.url}")
    return topics


def _incident_paths(incident):
    return {_lang_url("status:incident", lang, incident.pk) for lang in ("fr", "en")}


def _mention_topics(mention, keywords):
    return spikes.topics_for(
        mention.text,
        mention.lang or "fr",
        target_url=mention.target_url,
        components=keywords,
    )


def incidents_for_mentions(*, mentions: list[Mention]) -> dict[int, Incident]:
    """``{mention pk: the newest open incident it is about}`` (same matching
    as the dashboard groups); the open incidents are read once for all."""
    if not mentions:
        return {}
    incidents = open_incidents()
    if not incidents:
        return {}
    keywords = _component_keywords()
    topics = {incident.pk: _incident_topics(incident) for incident in incidents}
    found = {}
    for mention in mentions:
        recent = [
            incident
            for incident in incidents
            if mention.posted_at >= incident.started_at - timedelta(minutes=30)
        ]
        if not recent:
            continue
        about = _mention_topics(mention, keywords)
        incident = next((i for i in recent if topics[i.pk] & about), None)
        if incident is not None:
            found[mention.pk] = incident
    return found


def incident_of_target(*, path: str) -> Incident | None:
    """The incident whose page is ``path`` (a mention's target), or None."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    if match.view_name != "status:incident":
        return None
    return Incident.objects.filter(pk=match.kwargs.get("pk")).first()


def _incident_link(mention, incident):
    lang = mention.lang if mention.lang in ("fr", "en") else "fr"
    return _lang_url("status:incident", lang, incident.pk), incident.title_in(lang)[0]


_TARGET_FIELDS = ["target_kind", "target_url", "target_title", "target_source"]


def _incident_target_set(mention: Mention, incident: Incident) -> None:
    path, title = _incident_link(mention, incident)
    mention.target_kind = INCIDENT_LINK_KIND
    mention.target_url, mention.target_title, mention.target_source = path, title, ""


def mention_target_incident(*, mention: Mention, incident: Incident) -> RedirectLink:
    """Point the mention to the incident page with its own short link (the
    funnel counts it as any other)."""
    _incident_target_set(mention, incident)
    mention.save(update_fields=_TARGET_FIELDS)
    return link_set_target(mention=mention)


def mentions_target_open_incident(*, mentions: list[Mention]) -> None:
    """Point the mentions about an open incident to its page, in one update.
    Their links are made by the triage that announced them
    (``social_redirect.signals.mentions_triaged``)."""
    incidents = incidents_for_mentions(mentions=mentions)
    # One update per incident page (and language) the mentions point to.
    pages: dict[tuple, list[int]] = {}
    for mention in mentions:
        if mention.pk in incidents:
            _incident_target_set(mention, incidents[mention.pk])
            target = tuple(getattr(mention, field) for field in _TARGET_FIELDS)
            pages.setdefault(target, []).append(mention.pk)
    for target, pks in pages.items():
        Mention.objects.filter(pk__in=pks).update(
            **dict(zip(_TARGET_FIELDS, target, strict=True))
        )


def incident_matching_mentions(*, incident: Incident) -> list:
    """Unanswered mentions since the incident began that are about one of its
    components (or its pinned article)."""
    wanted = _incident_topics(incident)
    if not wanted:
        return []
    grouped = IncidentMention.objects.filter(incident=incident).values("mention_id")
    keywords = _component_keywords()
    since = incident.started_at - timedelta(minutes=30)
    candidates = (
        Mention.objects.filter(status=Mention.Status.NEW, posted_at__gte=since)
        .exclude(pk__in=grouped)
        .order_by("posted_at")[:MATCH_LIMIT]
    )
    # Already pointed to this incident at triage (a pinned-article match no
    # longer shows in the target).
    paths = _incident_paths(incident)
    return [
        m
        for m in candidates
        if (m.target_kind == INCIDENT_LINK_KIND and m.target_url in paths)
        or wanted & _mention_topics(m, keywords)
    ]


def _next_update(incident):
    latest = incident.updates.order_by("-created_at").first()
    base = max(latest.created_at if latest else timezone.now(), timezone.now())
    moment = timezone.localtime(base + timedelta(minutes=NEXT_UPDATE_MINUTES))
    # Round up to the quarter hour: people read "vers 14 h 30", not 14 h 27.
    extra = (-moment.minute) % 15
    moment = (moment + timedelta(minutes=extra)).replace(second=0, microsecond=0)
    return moment.strftime("%H h %M") if moment.minute else moment.strftime("%H h")


def incident_reply_draft(
    *, incident: Incident, mention, link, automatic: bool = False
) -> str:
    """The reply for one mention of the group: what is known and when the next
    update comes, or, once resolved, the follow-up. Labelled as automated when
    it is sent as an automatic acknowledgement."""
    lang = mention.lang if mention.lang in ("fr", "en") else "en"
    kind = "followup" if incident.resolved_at else "ack"
    template = _REPLY[(kind, lang)].replace("{next}", _next_update(incident))
    return reply_draft(
        variant="automatic" if automatic else "article",
        lang=lang,
        handle=mention.author_handle,
        link=short_url(link) if link else "",
        title=incident.title_in(lang)[0],
        template=template,
    )


@transaction.atomic
def incident_mentions_acknowledge(*, incident: Incident, user) -> list:
    """Answer every matching mention at once: one link to the incident page per
    mention (in its language, funnel counted as usual), all marked replied.
    Returns the new ``IncidentMention`` rows."""
    rows = []
    for mention in incident_matching_mentions(incident=incident):
        # The link made at triage when the mention already targets the page.
        link = mention_target_incident(mention=mention, incident=incident)
        mention_mark_replied(mention=mention, user=user)
        rows.append(
            IncidentMention.objects.create(
                incident=incident, mention=mention, link=link, acknowledged_by=user
            )
        )
    return rows


# --- Daily digest ---------------------------------------------------------------


def digest_mail(*, send: bool = True) -> tuple[list[str], str, str]:
    """The escalation digest as a plain-text e-mail to staff (the page has the
    charts). Returns ``(recipients, subject, body)``."""
    lang = settings.LANGUAGE_CODE
    with translation.override(lang):
        context = digest()
        context["page_url"] = _absolute(_lang_url("status:digest", lang))
        context["SITE_NAME"] = settings.SITE_NAME
        subject = " ".join(
            render_to_string("status/email/digest_subject.txt", context).split()
        )
        body = render_to_string("status/email/digest.txt", context)
    to = _staff_emails()
    if send and to:
        mail_queue(
            to=to, subject=subject, body=body, kind="status_digest", language=lang
        )
    return to, subject, body
