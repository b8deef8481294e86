"""Spike detection: more unhappy posts about a topic than usual for that hour.

Pure functions over ``Event`` rows, so the same code runs on the database
(``status.services.spikes_detect``) and on generated traffic (``bench/spikes.py``).

For each topic and each sliding window (10, 30 and 120 minutes) ending now,
the count of unhappy posts is compared with the count expected at this hour
of the week: the mean over the same window in each of the previous weeks,
shifted by -1 h, 0 and +1 h so that a quiet minute last week does not make
any post look abnormal. A floor keeps a topic that was never mentioned from
alarming on its first few posts. The test is the Poisson tail probability
P(X >= count | expected); a spike is a tail below ``ALPHA``. Many topics and
windows are tested every few minutes, hence the very small ``ALPHA``.
"""

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from search.analysis import is_stop_word, words
from social_redirect.triage.unhappiness import UNHAPPY_THRESHOLD

WINDOWS = (10, 20, 30, 60, 120)  # minutes
WEEKS = 4
SHIFTS = (-60, 0, 60)  # minutes around the same time of the week
# Expected unhappy posts per hour for a topic, at the least.
FLOOR_PER_HOUR = 0.6
ALPHA = 1e-6
WEEK = timedelta(days=7)
# Words every post about us shares: they say nothing about what broke.
_IGNORED = frozenset(
    {
        "entraide",
        "entraidetelecom",
        "https",
        "http",
        "depuis",
        "toujours",
        "encore",
        "merci",
        "vraiment",
        "still",
        "again",
        "thanks",
        "today",
        "aujourd",
        "hui",
    }
)
_KB_PATH = re.compile(r"^/(?:fr|en)/kb/([^/]+)/")


@dataclass(frozen=True)
class Event:
    """One mention or ticket, reduced to what detection needs."""

    kind: str  # "mention" or "ticket"
    pk: int
    at: datetime
    topics: frozenset
    unhappy: bool
    text: str = ""


@dataclass
class Spike:
    topic: str
    count: int
    expected: float
    window: int  # minutes
    p_value: float
    window_end: datetime
    events: list = field(default_factory=list)

    @property
    def mention_ids(self):
        return sorted(e.pk for e in self.events if e.kind == "mention")

    @property
    def ticket_ids(self):
        return sorted(e.pk for e in self.events if e.kind == "ticket")

    def as_json(self):
        return {
            "topic": self.topic,
            "count": self.count,
            "expected": round(self.expected, 3),
            "window": self.window,
            "p_value": float(f"{self.p_value:.3g}"),
            "mention_ids": self.mention_ids,
        }


def topic_word(word):
    """A readable topic for a word: folded, crude plural removed."""
    if len(word) > 4 and word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    return word


def topics_for(text, lang="fr", *, target_url="", category="", components=None):
    """Topics of one post: its matched article, that article's category, the
    meaningful words of the text and the components its words name
    (``components``: slug -> folded keywords), so that posts about one outage
    written with different words and matched to different articles add up."""
    topics = set()
    if target_url:
        topics.add(f"article:{target_url}")
        match = _KB_PATH.match(target_url)
        if match and not category:
            category = match.group(1)
    if category:
        topics.add(f"category:{category}")
    clean = re.sub(r"https?://\S+|@\w+|#", " ", text or "")
    for word in words(clean):
        if (
            len(word) < 3
            or word.isdigit()
            or word in _IGNORED
            or is_stop_word(word, "fr")
            or is_stop_word(word, "en")
        ):
            continue
        topics.add(topic_word(word))
    if components:
        folded = f" {' '.join(words(clean))} "
        for slug, keywords in components.items():
            for keyword in keywords:
                keyword = " ".join(words(keyword))
                if " " in keyword:
                    found = f" {keyword} " in folded
                else:
                    found = topic_word(keyword) in topics
                if found:
                    topics.add(f"component:{slug}")
                    break
    return frozenset(topics)


def is_unhappy(score):
    return score >= UNHAPPY_THRESHOLD


def poisson_tail(count, expected):
    """P(X >= count) for X ~ Poisson(expected)."""
    if count <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    # Sum the upper tail directly (no cancellation for tiny probabilities).
    log_term = -expected + count * math.log(expected) - math.lgamma(count + 1)
    term = math.exp(log_term)
    total, i = term, count
    while term > total * 1e-12 and i < count + 1000:
        i += 1
        term *= expected / i
        total += term
    return min(1.0, total)


class EventIndex:
    """Unhappy events by topic, sorted by time, for fast window counts."""

    def __init__(self, events):
        unhappy = sorted((e for e in events if e.unhappy), key=lambda e: e.at)
        self.events = unhappy
        self.times = [e.at for e in unhappy]
        by_topic = defaultdict(list)
        for event in unhappy:
            for topic in event.topics:
                by_topic[topic].append(event)
        self.by_topic = {t: ([e.at for e in evs], evs) for t, evs in by_topic.items()}

    def between(self, start, end):
        return self.events[
            bisect_right(self.times, start) : bisect_right(self.times, end)
        ]

    def count(self, topic, start, end):
        times, _events = self.by_topic.get(topic, ((), ()))
        return bisect_right(times, end) - bisect_right(times, start)

    def topic_events(self, topic, start, end):
        times, events = self.by_topic.get(topic, ((), ()))
        return events[bisect_right(times, start) : bisect_right(times, end)]


def history_ranges(now):
    """The time ranges detection reads: the current windows and, for each past
    week, the same time of the week widened by the shifts."""
    longest = timedelta(minutes=max(WINDOWS))
    ranges = [(now - longest, now)]
    for week in range(1, WEEKS + 1):
        center = now - week * WEEK
        ranges.append(
            (
                center + timedelta(minutes=min(SHIFTS)) - longest,
                center + timedelta(minutes=max(SHIFTS)),
            )
        )
    return ranges


def expected_count(index, topic, now, minutes, history_start):
    """Mean count of ``topic`` over the same window in the previous weeks, with
    the floor; weeks before ``history_start`` (no data yet) are left out."""
    window = timedelta(minutes=minutes)
    samples = []
    for week in range(1, WEEKS + 1):
        for shift in SHIFTS:
            end = now - week * WEEK + timedelta(minutes=shift)
            if history_start is not None and end - window < history_start:
                continue
            samples.append(index.count(topic, end - window, end))
    mean = sum(samples) / len(samples) if samples else 0.0
    return max(mean, FLOOR_PER_HOUR * minutes / 60)


def detect(index, now, *, history_start=None):
    """Spikes in the windows ending at ``now``, one per burst: a topic whose
    posts are mostly another, stronger spike's posts is folded into it."""
    longest = timedelta(minutes=max(WINDOWS))
    recent = index.between(now - longest, now)
    if not recent:
        return []
    candidates = Counter(t for e in recent for t in e.topics)
    best = {}
    for topic in candidates:
        for minutes in WINDOWS:
            start = now - timedelta(minutes=minutes)
            count = index.count(topic, start, now)
            if count < 3:
                continue
            expected = expected_count(index, topic, now, minutes, history_start)
            p_value = poisson_tail(count, expected)
            if p_value < ALPHA and (topic not in best or p_value < best[topic].p_value):
                best[topic] = Spike(
                    topic=topic,
                    count=count,
                    expected=expected,
                    window=minutes,
                    p_value=p_value,
                    window_end=now,
                    events=index.topic_events(topic, start, now),
                )
    kept = []
    # Strongest first; an article or category names a burst better than a word.
    order = sorted(
        best.values(),
        key=lambda s: (s.p_value, 0 if ":" in s.topic else 1, s.topic),
    )
    for spike in order:
        ids = {(e.kind, e.pk) for e in spike.events}
        if any(
            len(ids & {(e.kind, e.pk) for e in other.events}) >= len(ids) / 2
            for other in kept
        ):
            continue
        kept.append(spike)
    return kept


# A burst lasts: while its alert is recent, the same burst raises no new one.
ALERT_COOLDOWN = timedelta(hours=6)


def is_new_alert(spike, recent):
    """False when ``spike`` is the same burst as a recent alert: same topic, or
    half of its posts already counted there. ``recent`` holds objects with
    ``topic`` and either ``events`` or ``mention_ids``/``ticket_ids``."""
    ids = {(e.kind, e.pk) for e in spike.events}
    for other in recent:
        if other.topic == spike.topic:
            return False
        other_ids = {("mention", pk) for pk in other.mention_ids} | {
            ("ticket", pk) for pk in other.ticket_ids
        }
        if ids and len(ids & other_ids) >= len(ids) / 2:
            return False
    return True
