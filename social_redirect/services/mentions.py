"""Writes on mentions: creation from every way in, triage, reply, ignore."""

import csv
import json
import logging
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from search import embeddings
from social_redirect.models import Mention, RedirectLink
from social_redirect.services import links as link_services
from social_redirect.services.replies import reply_draft
from social_redirect.signals import mention_reply_drafting, mentions_triaged
from social_redirect.triage.confidence import confidence_level
from social_redirect.triage.decision import Triage, triage_text
from social_redirect.triage.matching import post_vectors, semantic_enabled

logger = logging.getLogger(__name__)

_X_STATUS = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/(\w{1,30})/status(?:es)?/(\d+)"
)


class MentionError(ValueError):
    """A row or payload that cannot become a mention (the message says why)."""


def parse_post_url(url: str | None) -> tuple[str, str]:
    """``(handle, status_id)`` from an X post URL, else ``("", "")``."""
    match = _X_STATUS.match((url or "").strip())
    return (match.group(1), match.group(2)) if match else ("", "")


# Anything outside this range is a typo or an attack, not a post on X.
_EARLIEST = datetime(2006, 1, 1, tzinfo=UTC)
_LATEST_AHEAD = timedelta(days=1)
# PositiveIntegerField's range on every database we support.
MAX_FOLLOWERS = 2_147_483_647


def parse_time(value: object) -> datetime | None:
    """An aware datetime from what exports and webhooks send: ISO 8601 (naive
    means UTC), epoch seconds or milliseconds (number or digits), X's
    ``"Tue Oct 31 22:10:47 +0000 2017"`` or an RFC 2822 date."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise MentionError("unreadable date")
    elif isinstance(value, (int, float)) or value.strip().isdigit():
        try:
            number = float(value)
            if number > 1e11:  # milliseconds, as X webhooks send them
                number /= 1000
            moment = datetime.fromtimestamp(number, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise MentionError(f"unreadable date: {str(value)[:40]!r}") from None
    else:
        text = value.strip()
        try:
            moment = parse_datetime(text.replace("Z", "+00:00"))
        except ValueError:  # well formed, impossible (month 13…)
            moment = None
        if moment is None:
            try:
                # "Tue Oct 31 22:10:47 +0000 2017" (X archive, TWCS CSV)
                moment = datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y")
            except ValueError:
                try:
                    moment = parsedate_to_datetime(text)
                except (TypeError, ValueError, IndexError):
                    raise MentionError(f"unreadable date: {text[:40]!r}") from None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    if not _EARLIEST <= moment <= timezone.now() + _LATEST_AHEAD:
        raise MentionError(f"date out of range: {moment.isoformat()[:40]}")
    return moment


def parse_followers(value: object) -> int:
    """A follower count clamped to what the column holds; junk counts as 0."""
    if isinstance(value, bool):
        return 0
    try:
        number = int(value or 0)
    except (TypeError, ValueError, OverflowError):
        return 0
    return min(max(0, number), MAX_FOLLOWERS)


def find_duplicate(*, external_id: str = "", url: str = "") -> Mention | None:
    query = Q()
    if external_id:
        query |= Q(external_id=external_id)
    if url:
        query |= Q(url=url)
    return Mention.objects.filter(query).first() if query else None


@dataclass
class _Identity:
    """What tells a post apart, as stored (see ``_identity``)."""

    text: str
    url: str
    external_id: str
    author_handle: str


def _identity(
    *, text: str, url: str = "", external_id: str = "", author_handle: str = ""
) -> _Identity:
    text = (text or "").strip()
    if not text:
        raise MentionError("empty text")
    url = (url or "").strip()
    if url and not url.startswith(("https://", "http://")):
        raise MentionError("the post URL must start with https://")
    url_handle, url_id = parse_post_url(url)
    return _Identity(
        text=text,
        url=url,
        external_id=str(external_id or url_id or "").strip()[:64],
        author_handle=(author_handle or url_handle or "").lstrip("@")[:64],
    )


def _mention_new(
    *,
    source: str,
    identity: _Identity,
    author_name: str = "",
    followers_count: int = 0,
    lang: str | None = None,
    posted_at: datetime | None = None,
) -> Mention:
    """The unsaved mention; a bad date refuses the record, never half of it."""
    return Mention(
        source=source,
        external_id=identity.external_id,
        url=identity.url[:500],
        author_handle=identity.author_handle,
        author_name=(author_name or "")[:200],
        followers_count=parse_followers(followers_count),
        text=identity.text[:5000],
        lang=lang if lang in ("fr", "en") else "",
        posted_at=parse_time(posted_at) or timezone.now(),
    )


def mention_create(
    *,
    source: str,
    text: str,
    external_id: str = "",
    url: str = "",
    author_handle: str = "",
    author_name: str = "",
    followers_count: int = 0,
    lang: str | None = None,
    posted_at: datetime | None = None,
    triage: bool = True,
    semantic: bool | None = None,
    result: Triage | None = None,
) -> tuple[Mention, bool]:
    """``(mention, created)``. A mention already stored (same external id or
    post URL) is returned untouched, so every way in is idempotent.
    ``semantic=False``: the lexical first triage of a burst (``lexical_first``),
    refined later by ``mentions_refine``. ``result``: the triage, already
    computed by the caller."""
    identity = _identity(
        text=text, url=url, external_id=external_id, author_handle=author_handle
    )
    existing = find_duplicate(external_id=identity.external_id, url=identity.url)
    if existing:
        return existing, False
    mention = _mention_new(
        source=source,
        identity=identity,
        author_name=author_name,
        followers_count=followers_count,
        lang=lang,
        posted_at=posted_at,
    )
    # Search before writing, so the write lock is held for as short as possible.
    if triage and result is None:
        result = triage_text(identity.text, mention.lang or None, semantic=semantic)
    elif not triage:
        result = None
    if result is not None:
        _triage_set(mention, result)
    # One commit per mention: the row, its triage and its link land together.
    with transaction.atomic():
        try:
            with transaction.atomic():
                mention.save(force_insert=True)
        except IntegrityError:
            # Two deliveries of the same post raced; the first one won.
            return find_duplicate(
                external_id=identity.external_id, url=identity.url
            ), False
        if result is not None:
            _triage_announce([mention])
    return mention, True


def refinement_possible() -> bool:
    """Whether a lexical first triage can be refined with the embeddings."""
    return semantic_enabled() and embeddings.available()


def lexical_first(count: int) -> bool:
    """Whether ``count`` mentions arriving together get the lexical triage
    first (a few milliseconds each) and their meaning in the background: a
    burst, or any arrival while earlier mentions still wait (a backlog)."""
    if not refinement_possible():
        return False
    return (
        count > settings.SOCIAL_REFINE_BURST
        or Mention.objects.filter(refined=False).exists()
    )


# What a triage writes on a mention (``_triage_set``).
TRIAGE_FIELDS = [
    "refined",
    "lang",
    "unhappiness",
    "private_signals",
    "confidence",
    "candidates",
    "target_kind",
    "target_url",
    "target_title",
    "target_source",
    "triaged_at",
]


def _triage_set(
    mention: Mention, result: Triage, *, refined: bool | None = None
) -> None:
    """Copy ``result`` onto the mention (not saved). A lexical triage is marked
    not refined while the embeddings could still add to it."""
    mention.refined = (
        refined if refined is not None else result.semantic or not refinement_possible()
    )
    mention.lang = result.lang
    mention.unhappiness = result.unhappiness
    mention.private_signals = result.signals
    mention.confidence = result.confidence
    mention.candidates = [c.as_dict() for c in result.candidates]
    mention.target_kind = result.target_kind
    best = result.best
    if result.target_kind in ("article", "topic") and best:
        mention.target_url, mention.target_title = best.url, best.title
        mention.target_source = best.source or ""
    else:
        mention.target_url = mention.target_title = mention.target_source = ""
    mention.triaged_at = timezone.now()


def _triage_announce(mentions: list[Mention]) -> dict[int, RedirectLink]:
    """Once the triages are saved: other apps may change the targets
    (``mentions_triaged``), then each mention needing an answer gets its
    short link. ``{mention pk: link}``."""
    mentions_triaged.send(sender=Mention, mentions=mentions)
    return links_set_target(mentions=[m for m in mentions if m.target_kind != "none"])


def mentions_triage(
    *, mentions: list[Mention], results: list[Triage], refined: bool | None = None
) -> list[RedirectLink | None]:
    """Store the triages of stored mentions, choose their targets and give
    them short links (none for a post needing no answer, all made in one
    insert); returns each mention's link."""
    with transaction.atomic():
        for mention, result in zip(mentions, results, strict=True):
            _triage_set(mention, result, refined=refined)
            # One update each: bulk_update's CASE over eleven fields costs
            # more to build than the updates it saves.
            mention.save(update_fields=TRIAGE_FIELDS)
        links = _triage_announce(mentions)
    return [links.get(mention.pk) for mention in mentions]


def mention_triage(
    *, mention: Mention, result: Triage | None = None, refined: bool | None = None
) -> tuple[Triage, RedirectLink | None]:
    """Score the mention, choose its target and give it a short link (none
    when the post needs no answer); see ``mentions_triage``."""
    result = result or triage_text(mention.text, mention.lang or None)
    [link] = mentions_triage(mentions=[mention], results=[result], refined=refined)
    return result, link


# Posts embedded per model call: batching divides the cost per post by about
# two (bench/triage_speed.py), larger batches add nothing.
REFINE_BATCH = 32


def mentions_refine(*, batch_size: int = REFINE_BATCH, limit: int | None = None) -> int:
    """Refine the mentions stored with the lexical first triage: embed them a
    batch at a time and triage them again with both legs. A mention a
    community manager already handled keeps the target they chose. Returns
    how many mentions were refined."""
    done = 0
    while limit is None or done < limit:
        size = batch_size if limit is None else min(batch_size, limit - done)
        batch = list(
            Mention.objects.filter(refined=False).order_by("received_at", "pk")[:size]
        )
        if not batch:
            break
        vectors = (
            post_vectors([(m.text, m.lang or "en") for m in batch])
            if refinement_possible()
            else None
        )
        results = {}
        if vectors is not None:
            # Searched before the write transaction, as in mention_create.
            for mention, vector in zip(batch, vectors, strict=True):
                results[mention.pk] = triage_text(
                    mention.text, mention.lang or None, semantic=True, vector=vector
                )
        with transaction.atomic():
            fresh = list(
                Mention.objects.select_for_update().filter(
                    pk__in=[m.pk for m in batch], refined=False
                )
            )
            todo = [
                mention
                for mention in fresh
                if mention.pk in results
                and not mention.acted_at
                and mention.status == Mention.Status.NEW
            ]
            # Nothing to add (the model went away) or already handled.
            skipped = {m.pk for m in fresh} - {m.pk for m in todo}
            if skipped:
                Mention.objects.filter(pk__in=skipped).update(refined=True)
            if todo:
                mentions_triage(
                    mentions=todo,
                    results=[results[m.pk] for m in todo],
                    refined=True,
                )
        done += len(batch)
    return done


def links_set_target(*, mentions: list[Mention]) -> dict[int, RedirectLink]:
    """Each mention's current link (``{pk: link}``), made anew, all in one
    insert, where the mention's target changed."""
    if not mentions:
        return {}
    current: dict[int, RedirectLink] = {}
    # Newest first: the first link seen of a mention is its current one.
    for link in RedirectLink.objects.filter(mention__in=mentions).order_by(
        "-created_at", "-pk"
    ):
        current.setdefault(link.mention_id, link)
    wanted = []
    for mention in mentions:
        link = current.get(mention.pk)
        kind, path = mention.target_kind, mention.target_url
        if not (
            link
            and link.kind == kind
            and (kind == RedirectLink.Kind.TICKET or link.target_path == path)
        ):
            wanted.append(
                link_services.LinkTarget(mention, kind, path, mention.target_title)
            )
    for link in link_services.links_create(targets=wanted):
        current[link.mention_id] = link
    return {mention.pk: current[mention.pk] for mention in mentions}


def link_set_target(*, mention: Mention) -> RedirectLink:
    """The mention's link to its current target, made anew when the target
    changed."""
    return links_set_target(mentions=[mention])[mention.pk]


def mention_choose_target(
    *, mention: Mention, candidate_url: str, user: AbstractBaseUser | None = None
) -> RedirectLink:
    """A community manager picks an alternative (or the ticket form)."""
    if candidate_url == "ticket":
        mention.target_kind = "ticket"
        mention.target_url = mention.target_title = mention.target_source = ""
    else:
        chosen = next(
            (c for c in mention.candidates if c["url"] == candidate_url), None
        )
        if chosen is None:
            raise MentionError("not one of the suggested targets")
        mention.target_kind = chosen["kind"]
        mention.target_url = chosen["url"]
        mention.target_title = chosen["title"]
        mention.target_source = chosen.get("source") or ""
    # A person chose: the reply no longer waits on the match's confidence,
    # and the background refinement leaves their choice alone.
    mention.confidence = 1.0
    mention.refined = True
    mention.save(
        update_fields=[
            "target_kind",
            "target_url",
            "target_title",
            "target_source",
            "confidence",
            "refined",
        ]
    )
    return link_set_target(mention=mention)


def short_url(link: RedirectLink) -> str:
    base = getattr(settings, "SOCIAL_SHORT_LINK_BASE", "") or settings.SITE_URL
    return f"{base.rstrip('/')}/r/{link.code}"


def mention_reply_variant(mention: Mention) -> str | None:
    """Which reply a mention gets by default: ``thanks`` when it needs no
    answer, ``ticket``, ``article``, or None when the match is too unsure to
    name an article ("choose": the community manager picks one first)."""
    if mention.target_kind == "none":
        return "thanks"
    if mention.target_kind == "ticket":
        return "ticket"
    if mention.target_kind == RedirectLink.Kind.INCIDENT:
        return "article"  # an open incident is certain, whatever the match said
    if confidence_level(mention.confidence) == "choose":
        return None
    return "article"


def mention_reply(
    mention: Mention,
    *,
    variant: str | None = None,
    link: RedirectLink | None = None,
    template: str | None = None,
) -> str:
    """The reply draft for a mention (``variant`` defaults to its target;
    ``template`` saves reading the stored one, for lists).

    Empty when the match is too unsure to name an article ("choose").
    """
    if variant is None:
        variant = mention_reply_variant(mention)
        if variant is None:
            return ""
    if variant == "thanks":
        link = None
    elif link is None:
        # Newest first (RedirectLink's ordering); no query when prefetched.
        links = list(mention.links.all())
        link = links[0] if links else None
    if mention.target_kind == RedirectLink.Kind.INCIDENT and variant != "thanks":
        responses = mention_reply_drafting.send(
            sender=Mention,
            mention=mention,
            link=link,
            automatic=variant == "automatic",
        )
        text = next((text for _receiver, text in responses if text), "")
        if text:
            return text
    return reply_draft(
        variant=variant,
        lang=mention.lang,
        handle=mention.author_handle,
        link=short_url(link) if link else "",
        title=mention.target_title,
        template=template,
    )


def mention_mark_replied(*, mention: Mention, user: AbstractBaseUser) -> None:
    now = timezone.now()
    mention.acted_by = user
    mention.acted_at = now
    mention.response_seconds = max(0, int((now - mention.posted_at).total_seconds()))
    if mention.status in (Mention.Status.NEW, Mention.Status.IGNORED):
        mention.status = Mention.Status.ACKNOWLEDGED
    mention.save(update_fields=["acted_by", "acted_at", "response_seconds", "status"])


def mention_ignore(*, mention: Mention, user: AbstractBaseUser) -> None:
    mention.status = Mention.Status.IGNORED
    mention.acted_by = user
    mention.acted_at = timezone.now()
    mention.save(update_fields=["status", "acted_by", "acted_at"])


# --- Import and webhook payloads ----------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    duplicates: int = 0
    errors: list = None

    def __post_init__(self):
        self.errors = self.errors or []


def _first(row: dict[str, Any], *keys: str) -> str | int | float | None:
    """The first present value among ``keys``; only scalars count (a signed
    but malformed payload may put an object anywhere)."""
    for key in keys:
        value = row.get(key)
        if value not in (None, "") and isinstance(value, (str, int, float)):
            return value
    return None


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def row_to_fields(row: object) -> dict[str, Any]:
    """Map one record of a known export to mention fields.

    Understood: our own JSONL (``id, text, lang, author, created_at, url``),
    the X archive (``tweet`` wrapper, ``id_str``, ``full_text``), API v2
    (``author_id``, ``public_metrics``), X webhook tweets (``user`` object) and
    the "Customer Support on Twitter" CSV (``tweet_id, author_id, inbound,
    created_at, text``).
    """
    if not isinstance(row, dict):
        raise MentionError("not an object")
    if isinstance(row.get("tweet"), dict):
        row = row["tweet"]
    inbound = str(row.get("inbound", "true")).strip().lower()
    if inbound in ("false", "0", "no"):
        raise MentionError("outbound reply from the brand (inbound=False)")
    text = _first(row, "full_text", "text", "body", "content")
    if not isinstance(text, str) or not text.strip():
        raise MentionError("no text")
    user = _object(row.get("user"))
    metrics = _object(user.get("public_metrics"))
    handle = _first(user, "screen_name", "username") or _first(
        row, "author", "author_handle", "screen_name", "username", "author_id"
    )
    external_id = _first(row, "id_str", "tweet_id", "id", "external_id")
    if isinstance(external_id, float):
        raise MentionError("id must be a string or a whole number")
    url = _first(row, "url", "post_url") or ""
    if not isinstance(url, str):
        raise MentionError("url must be a string")
    if (
        not url
        and external_id
        and handle
        and str(external_id).isdigit()
        and not str(handle).isdigit()
    ):
        url = f"https://x.com/{str(handle).lstrip('@')}/status/{external_id}"
    lang = _first(row, "lang")
    return {
        "external_id": str(external_id or ""),
        "url": url,
        "author_handle": str(handle or "").lstrip("@"),
        "author_name": str(
            _first(user, "name") or _first(row, "author_name", "name") or ""
        ),
        "followers_count": _first(user, "followers_count")
        or _first(metrics, "followers_count")
        or _first(row, "followers", "followers_count")
        or 0,
        "text": text,
        "lang": lang if isinstance(lang, str) else None,
        "posted_at": _first(row, "created_at", "timestamp_ms", "posted_at", "date"),
    }


def read_rows(path: str | Path) -> Iterator[tuple[int, object]]:
    """Yield ``(line_number, record or exception)`` from a CSV/JSON/JSONL file."""
    name = str(path).lower()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        if name.endswith(".csv"):
            for number, row in enumerate(csv.DictReader(handle), start=2):
                yield number, row
            return
        head = handle.read(1)
        handle.seek(0)
        if name.endswith(".json") or head == "[":
            content = handle.read()
            # X archives wrap their JSON in "window.YTD.tweets.part0 = [...]".
            content = re.sub(r"^\s*window\.[\w.]+\s*=\s*", "", content)
            try:
                records = json.loads(content)
            except json.JSONDecodeError as exc:
                yield 1, MentionError(f"invalid JSON: {exc}")
                return
            for number, row in enumerate(
                records if isinstance(records, list) else [records], 1
            ):
                yield number, row
            return
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, MentionError(f"invalid JSON: {exc.msg}")


def mention_import_record(
    *,
    row: object,
    source: str = Mention.Source.IMPORT,
    triage: bool = True,
    semantic: bool | None = None,
) -> tuple[Mention, bool]:
    fields = row_to_fields(row)
    return mention_create(source=source, triage=triage, semantic=semantic, **fields)


# One delivery is at most 1 MB (the view's limit); this bounds the triage work.
MAX_RECORDS_PER_DELIVERY = 500


@dataclass
class DeliveryReport:
    created: int = 0
    duplicates: int = 0
    errors: list = None  # [{"index": i, "error": "..."}]
    # Created with the lexical first triage: enqueue tasks.mentions_refine.
    to_refine: int = 0

    def __post_init__(self):
        self.errors = self.errors or []

    @property
    def stored(self):
        return self.created + self.duplicates


def _own_tweet(record: object, own_id: str) -> bool:
    user = _object(record.get("user")) if isinstance(record, dict) else {}
    return bool(own_id) and str(user.get("id_str", "")) == own_id


def mentions_from_webhook(
    *, payload: object, source: str = Mention.Source.WEBHOOK
) -> DeliveryReport:
    """Store each record of a listening tool's or X's delivery on its own: a
    bad record is reported in ``errors`` and never stops the others. Raises
    ``MentionError`` only when the delivery itself has no readable shape."""
    if isinstance(payload, dict) and "tweet_create_events" in payload:
        records = payload["tweet_create_events"]
        if not isinstance(records, list):
            raise MentionError("tweet_create_events must be a list")
        own = str(payload.get("for_user_id", "") or "")
        # Our own tweets come back in the activity feed too.
        records = [r for r in records if not _own_tweet(r, own)]
        source = Mention.Source.X_API if source == Mention.Source.WEBHOOK else source
    elif isinstance(payload, dict) and "mentions" in payload:
        records = payload["mentions"]
        if not isinstance(records, list):
            raise MentionError("mentions must be a list")
    elif isinstance(payload, list):
        records = payload
    elif isinstance(payload, dict):
        records = [payload]
    else:
        raise MentionError("expected a JSON object or list")
    if len(records) > MAX_RECORDS_PER_DELIVERY:
        raise MentionError(f"at most {MAX_RECORDS_PER_DELIVERY} records per delivery")
    report = DeliveryReport()
    fast = lexical_first(len(records))
    readable = []
    for index, record in enumerate(records):
        try:
            fields = row_to_fields(record)
            identity = _identity(
                text=fields["text"],
                url=fields["url"],
                external_id=fields["external_id"],
                author_handle=fields["author_handle"],
            )
        except Exception as exc:  # one record must never cost the others
            report.errors.append(_record_error(index, exc, doing="read"))
            continue
        readable.append((index, fields, identity))
    # Triage first (reads only, duplicates found in one query), then write
    # in chunks: one commit and a handful of queries per chunk (the rows with
    # their triage in one insert, their links in another) instead of a dozen
    # queries per mention, and the write lock is held for the writes only.
    seen = _stored_keys([identity for _index, _fields, identity in readable])
    prepared = []
    for index, fields, identity in readable:
        keys = _keys(external_id=identity.external_id, url=identity.url)
        if keys & seen:  # stored already, or earlier in this delivery
            report.duplicates += 1
            continue
        try:
            mention = _mention_new(
                source=source,
                identity=identity,
                author_name=fields["author_name"],
                followers_count=fields["followers_count"],
                lang=fields["lang"],
                posted_at=fields["posted_at"],
            )
            result = triage_text(
                identity.text, mention.lang or None, semantic=False if fast else None
            )
        except Exception as exc:  # one record must never cost the others
            report.errors.append(_record_error(index, exc, doing="triaged"))
            continue
        _triage_set(mention, result)
        seen |= keys
        prepared.append((index, fields, mention, result))
    for start in range(0, len(prepared), WRITE_CHUNK):
        chunk = prepared[start : start + WRITE_CHUNK]
        mentions = [mention for _index, _fields, mention, _result in chunk]
        try:
            with transaction.atomic():
                Mention.objects.bulk_create(mentions)
                _triage_announce(mentions)
        except Exception as exc:
            # A record the database refuses (the same post stored meanwhile
            # by another delivery…) must not cost the others: store the chunk
            # again one record at a time.
            logger.info("webhook chunk stored record by record: %r", exc)
            _store_each(chunk, source=source, fast=fast, report=report)
            continue
        report.created += len(chunk)
        report.to_refine += len(chunk) if fast else 0
    report.errors.sort(key=lambda e: e["index"])
    return report


WRITE_CHUNK = 100


def _keys(*, external_id: str, url: str) -> set[tuple[str, str]]:
    """What makes two records the same post (as in ``find_duplicate``)."""
    keys = set()
    if external_id:
        keys.add(("id", external_id))
    if url:
        keys.add(("url", url))
    return keys


def _stored_keys(identities: list[_Identity]) -> set[tuple[str, str]]:
    """The keys of ``identities`` already stored, in one query."""
    ids = {i.external_id for i in identities if i.external_id}
    urls = {i.url for i in identities if i.url}
    if not ids and not urls:
        return set()
    rows = Mention.objects.filter(Q(external_id__in=ids) | Q(url__in=urls))
    keys = set()
    for external_id, url in rows.values_list("external_id", "url"):
        keys |= _keys(external_id=external_id, url=url)
    return keys


def _record_error(index: int, exc: Exception, *, doing: str) -> dict:
    """What the sender is told about one record that failed: our own message
    for a record we refuse, a generic one (and a logged trace) for a bug."""
    if isinstance(exc, MentionError):
        return {"index": index, "error": str(exc)}
    logger.error("webhook record %d could not be %s", index, doing, exc_info=exc)
    return {"index": index, "error": "could not be stored"}


def _store_each(
    chunk: list, *, source: str, fast: bool, report: DeliveryReport
) -> None:
    """Store a chunk's records one by one, each in its own savepoint."""
    with transaction.atomic():
        for index, fields, _mention, result in chunk:
            try:
                with transaction.atomic():
                    _stored, was_created = mention_create(
                        source=source, result=result, **fields
                    )
            except Exception as exc:  # one record must never cost the others
                report.errors.append(_record_error(index, exc, doing="stored"))
                continue
            report.created += was_created
            report.duplicates += not was_created
            report.to_refine += was_created and fast


def urgency(mention: Mention, now: datetime | None = None) -> float:
    """Unhappiness × reach × age against the acknowledgement target."""
    now = now or timezone.now()
    target = timedelta(minutes=settings.SOCIAL_ACK_TARGET_MINUTES).total_seconds()
    age = max(0.0, (now - mention.posted_at).total_seconds()) / target
    reach = 1 + math.log10(1 + mention.followers_count)
    return round((0.2 + mention.unhappiness) * reach * (0.5 + min(age, 4.0)), 3)
