"""Optional X API v2 poller (reads are paid per post, so they are capped)."""

import tweepy
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from social_redirect.models import Mention, PollCheckpoint
from social_redirect.services.mentions import mention_create


class PollError(Exception):
    pass


def _client() -> tweepy.Client:
    return tweepy.Client(bearer_token=settings.X_BEARER_TOKEN, wait_on_rate_limit=False)


def mentions_poll(
    *, query: str, limit: int = 100, client: tweepy.Client | None = None
) -> dict[str, int]:
    """Read new posts matching ``query`` since the last checkpoint."""
    if not query:
        raise PollError("no query: set SOCIAL_X_QUERY or pass --query")
    month = timezone.now().strftime("%Y-%m")
    with transaction.atomic():
        checkpoint, _ = PollCheckpoint.objects.select_for_update().get_or_create(
            name="x_recent_search"
        )
        if checkpoint.month != month:
            checkpoint.month, checkpoint.reads_this_month = month, 0
            checkpoint.save()
    cap = settings.SOCIAL_X_MONTHLY_READ_CAP
    left = max(0, cap - checkpoint.reads_this_month)
    # The API answers 10 to 100 posts per page.
    max_results = min(100, limit, left)
    if max_results < 10:
        return {"read": 0, "created": 0, "reads_left": left}
    client = client or _client()
    params = {
        "max_results": max_results,
        "tweet_fields": ["created_at", "lang", "author_id"],
        "expansions": ["author_id"],
        "user_fields": ["username", "name", "public_metrics"],
    }
    if checkpoint.since_id:
        params["since_id"] = checkpoint.since_id
    try:
        response = client.search_recent_tweets(query, **params)
    except tweepy.TweepyException as exc:
        raise PollError(f"X API error: {exc}") from exc
    tweets = response.data or []
    users = {u.id: u for u in (response.includes or {}).get("users", [])}
    created = 0
    newest = checkpoint.since_id
    for tweet in tweets:
        user = users.get(tweet.author_id)
        handle = getattr(user, "username", "") or ""
        metrics = getattr(user, "public_metrics", None) or {}
        _mention, was_created = mention_create(
            source=Mention.Source.X_API,
            text=tweet.text,
            external_id=str(tweet.id),
            url=f"https://x.com/{handle or 'i'}/status/{tweet.id}",
            author_handle=handle,
            author_name=getattr(user, "name", "") or "",
            followers_count=metrics.get("followers_count", 0),
            lang=tweet.lang if tweet.lang in ("fr", "en") else None,
            posted_at=tweet.created_at,
        )
        created += was_created
        if not newest or int(tweet.id) > int(newest):
            newest = str(tweet.id)
    PollCheckpoint.objects.filter(pk=checkpoint.pk).update(
        since_id=newest or "",
        reads_this_month=checkpoint.reads_this_month + len(tweets),
    )
    return {"read": len(tweets), "created": created, "reads_left": left - len(tweets)}
