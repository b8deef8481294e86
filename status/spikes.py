"""Spike detection: more problem posts about a topic than usual for that hour.

Pure functions over ``Event`` rows, so the same code runs on the database
(``status.services.spikes_detect``) and on generated traffic (``bench/spikes.py``).

For each topic and each sliding window (10 minutes to 2 hours) ending now, the
count of problem posts (unhappy or flat, not pleased) is compared with the
count expected at this hour of the week: the topic's rate in the previous weeks
from an hour before to an hour after the same time, taken at the upper bound of
its confidence interval (a few weeks of a quiet topic say little). A floor keeps
a topic never mentioned before from alarming on its first few posts. The test
is the Poisson tail probability P(X >= count | expected); a spike is a tail
below its family's threshold. Every run tests each topic in five windows,
every few minutes, hence very small thresholds; words are hundreds of topics
while components, categories and articles are a few dozen, so words get a
threshold a hundred times smaller (a Bonferroni-style share of one budget).
"""

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from search.analysis import is_stop_word, words
from social_redirect.triage.unhappiness import (
    UNHAPPY_THRESHOLD,
    french_score,
    sentiment_analyzer,
)

WINDOWS = (10, 20, 30, 60, 120)  # minutes
WEEKS = 4
SHIFTS = (-60, 0, 60)  # minutes around the same time of the week
# Expected problem posts per hour for a topic, at the least.
FLOOR_PER_HOUR = 0.6
ALPHA = {"structured": 1e-5, "word": 1e-7}
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
    problem: bool
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


# Above this, a post reads pleased (a campaign, thanks), not a problem report.
PLEASED = 0.15


def is_problem(text, lang, unhappiness):
    """Does this post count towards a spike? Unhappy posts do, and so do flat
    ones ("mon site est hors service" carries no angry word); pleased posts do
    not, so a happy marketing campaign never looks like an outage."""
    if unhappiness >= UNHAPPY_THRESHOLD:
        return True
    clean = re.sub(r"https?://\S+|@\w+", " ", text or "")
    tone = sentiment_analyzer().polarity_scores(clean)["compound"]
    if lang == "fr":
        tone = max(tone, french_score(clean))
    return tone <= PLEASED


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
    """Problem posts by topic, sorted by time, for fast window counts."""

    def __init__(self, events):
        problems = sorted((e for e in events if e.problem), key=lambda e: e.at)
        self.events = problems
        self.times = [e.at for e in problems]
        by_topic = defaultdict(list)
        for event in problems:
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


def poisson_upper(count, z=1.2816):
    """Upper confidence bound (one-sided, 90 % for the default ``z``) of a
    Poisson mean after observing ``count`` (Wilson-Hilferty chi-square)."""
    k = 2 * count + 2
    return k / 2 * (1 - 2 / (9 * k) + z * math.sqrt(2 / (9 * k))) ** 3


def expected_count(index, topic, now, minutes, history_start):
    """Posts expected for ``topic`` in a window this long at this time of the
    week: its rate over the previous weeks from an hour before to an hour
    after the same time (steadier than short samples), scaled to the window,
    with the floor. The rate is the upper confidence bound of what was seen,
    not the mean: two or three weeks of history say little about a quiet
    topic, and a busy day is not an incident. Weeks before ``history_start``
    (no data yet) are left out."""
    before = timedelta(minutes=-min(SHIFTS) + minutes)
    after = timedelta(minutes=max(SHIFTS))
    span = (before + after).total_seconds() / 60
    seen = weeks = 0
    for week in range(1, WEEKS + 1):
        center = now - week * WEEK
        if history_start is not None and center - before < history_start:
            continue
        weeks += 1
        seen += index.count(topic, center - before, center + after)
    rate = poisson_upper(seen) / (weeks * span) if weeks else 0.0
    return max(rate * minutes, FLOOR_PER_HOUR * minutes / 60)


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
            alpha = ALPHA["structured" if ":" in topic else "word"]
            if p_value < alpha and (topic not in best or p_value < best[topic].p_value):
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
