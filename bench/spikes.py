#!/usr/bin/env python3
"""Spike detection on a generated month of mentions with three injected bursts.

Normal traffic: French and English posts about ten products, a daily and weekly
rhythm (quiet nights, busy evenings, calmer weekends), day-to-day variation and
small natural clusters (one person posting three times, two neighbours sharing a
local problem). Each post's unhappiness is scored by the real triage function and
two posts in three get a matched article, as triage would give them.

Bursts: a sharp box outage (posts jump to ~1.5 a minute), a slow e-mail build-up
(rising from nothing to one post a minute over an hour) and a happy
marketing campaign (two posts a minute for three hours, pleased posts).

Detection (status.spikes) runs every ``--every`` minutes over the whole month,
as the worker would; the first week only builds history. Prints the detection
delay per burst and false alarms per simulated week. Targets: outage <= 10 min,
build-up <= 30 min, no alert for the campaign, < 1 false alarm per week.

Usage: .venv/bin/python bench/spikes.py [--seed 7] [--seeds 10] [--every 3]
"""

import argparse
import math
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from social_redirect.triage import unhappiness  # noqa: E402
from status import spikes  # noqa: E402
from status.demo import component_keywords  # noqa: E402

COMPONENTS = component_keywords()
START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
DAYS = 30

# (category, article slug, French subjects, English subjects)
PRODUCTS = [
    (
        "connexion",
        "plus-d-internet",
        ["ma box", "internet", "la connexion"],
        ["my box", "the internet", "my connection"],
    ),
    ("wifi", "wifi-lent", ["le wifi", "le débit wifi"], ["the wifi", "wifi speed"]),
    (
        "messagerie",
        "mails-non-recus",
        ["ma messagerie", "les mails"],
        ["my email", "my mailbox"],
    ),
    (
        "mobile",
        "pas-de-reseau",
        ["le réseau mobile", "la 4G", "mon forfait"],
        ["mobile data", "my phone plan", "4G"],
    ),
    (
        "facture",
        "facture-erreur",
        ["ma facture", "le prélèvement"],
        ["my bill", "the direct debit"],
    ),
    ("television", "decodeur", ["le décodeur", "la télé"], ["the tv box", "my tv"]),
    (
        "hebergement",
        "site-inaccessible",
        ["mon site", "l'hébergement"],
        ["my website", "the hosting"],
    ),
    ("domaines", "dns", ["mon nom de domaine", "le DNS"], ["my domain", "the DNS"]),
    (
        "fibre",
        "raccordement-fibre",
        ["la fibre", "le raccordement"],
        ["fibre", "the fibre install"],
    ),
    (
        "telephone",
        "ligne-fixe",
        ["la ligne fixe", "le téléphone"],
        ["the landline", "my home phone"],
    ),
]
ANGRY_FR = [
    "{s} ne marche plus depuis ce matin, c'est inadmissible !!!",
    "encore {s} en panne, ras le bol",
    "{s} coupé depuis 2 heures, aucune info, nul",
    "toujours rien pour {s}, service client injoignable 😡",
    "{s} hors service, je paie pour rien",
]
NEUTRAL_FR = [
    "question sur {s} : comment faire le réglage ?",
    "quelqu'un sait comment configurer {s} ?",
    "merci pour l'aide sur {s}, ça marche",
    "{s} un peu lent ce soir, normal ?",
]
ANGRY_EN = [
    "{s} has been down all morning, this is ridiculous!!!",
    "{s} not working again, so fed up",
    "still no {s} after 2 hours, terrible service",
    "{s} broken and support never answers 😡",
]
NEUTRAL_EN = [
    "how do I set up {s}?",
    "thanks for fixing {s}, works now",
    "is {s} slow tonight or is it just me?",
]
CAMPAIGN = [
    "Génial la nouvelle offre fibre à 19,99 €, merci @EntraideTelecom ! 🎉",
    "Trop contente, je viens de passer à l'offre fibre, super prix 😍",
    "Love the new fibre offer from @EntraideTelecom, great price!",
    "Je recommande la nouvelle offre fibre, merci l'équipe 👍",
    "Enfin une offre fibre honnête, bravo !",
]

BURSTS = {
    # name: (start, duration minutes, kind)
    "sharp outage (box)": (START + timedelta(days=10, hours=14, minutes=7), 90),
    "slow build-up (e-mail)": (START + timedelta(days=17, hours=9), 150),
    "happy campaign": (START + timedelta(days=24, hours=12), 180),
}


def hourly_rate(moment, day_factor):
    """Posts per hour: quiet nights, evening peak, calmer weekends."""
    hour = moment.hour + moment.minute / 60
    shape = (
        2
        + 14 * math.exp(-((hour - 19) ** 2) / 18)
        + 6 * math.exp(-((hour - 10) ** 2) / 8)
    )
    if moment.weekday() >= 5:
        shape *= 0.7
    return shape * day_factor


def make_post(rng, product, angry, *, lang=None):
    category, slug, subjects_fr, subjects_en = product
    lang = lang or ("fr" if rng.random() < 0.75 else "en")
    if lang == "fr":
        template = rng.choice(ANGRY_FR if angry else NEUTRAL_FR)
        text = "@EntraideTelecom " + template.format(s=rng.choice(subjects_fr))
    else:
        template = rng.choice(ANGRY_EN if angry else NEUTRAL_EN)
        text = "@EntraideTelecom " + template.format(s=rng.choice(subjects_en))
    matched = rng.random() < 0.66
    url = f"/{lang}/kb/{category}/{slug}/" if matched else ""
    return text, lang, url


class Traffic:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.events = []
        self.burst_of = {}
        self._pk = 0
        self._scores = {}

    def add(self, at, text, lang, url, burst=None):
        self._pk += 1
        score = self._scores.get((text, lang))
        if score is None:
            score = self._scores[(text, lang)] = unhappiness(text, lang)
        self.events.append(
            spikes.Event(
                kind="mention",
                pk=self._pk,
                at=at,
                topics=spikes.topics_for(
                    text, lang, target_url=url, components=COMPONENTS
                ),
                problem=spikes.is_problem(text, lang, score),
                text=text,
            )
        )
        if burst:
            self.burst_of[self._pk] = burst

    def normal(self):
        rng = self.rng
        for day in range(DAYS):
            day_factor = rng.uniform(0.7, 1.4)
            for minute in range(24 * 60):
                at = START + timedelta(days=day, minutes=minute)
                for _ in range(_poisson(rng, hourly_rate(at, day_factor) / 60)):
                    product = rng.choice(PRODUCTS)
                    angry = rng.random() < 0.4
                    post_at = at + timedelta(seconds=rng.randrange(60))
                    self.add(post_at, *make_post(rng, product, angry))
                    # Natural clusters: someone insists, a neighbour joins in.
                    if angry and rng.random() < 0.05:
                        for _extra in range(rng.randint(1, 2)):
                            later = post_at + timedelta(minutes=rng.randint(2, 25))
                            self.add(later, *make_post(rng, product, True))

    def bursts(self):
        rng = self.rng
        box, mail = PRODUCTS[0], PRODUCTS[2]
        start, minutes = BURSTS["sharp outage (box)"]
        for minute in range(minutes):
            for _ in range(_poisson(rng, 1.5)):
                at = start + timedelta(minutes=minute, seconds=rng.randrange(60))
                self.add(at, *make_post(rng, box, rng.random() < 0.9), burst=1)
        start, minutes = BURSTS["slow build-up (e-mail)"]
        for minute in range(minutes):
            rate = min(1.0, minute / 60)
            for _ in range(_poisson(rng, rate)):
                at = start + timedelta(minutes=minute, seconds=rng.randrange(60))
                self.add(at, *make_post(rng, mail, rng.random() < 0.85), burst=2)
        start, minutes = BURSTS["happy campaign"]
        for minute in range(minutes):
            for _ in range(_poisson(rng, 2.0)):
                at = start + timedelta(minutes=minute, seconds=rng.randrange(60))
                text = rng.choice(CAMPAIGN)
                lang = "en" if text.startswith("Love") else "fr"
                url = f"/{lang}/kb/fibre/raccordement-fibre/"
                self.add(at, text, lang, url if rng.random() < 0.5 else "", burst=3)


def _poisson(rng, lam):
    # Knuth's method: rates here are at most a few per minute.
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def run(seed, every, verbose=True):
    """One simulated month; returns (delays by burst number, false alarms/week)."""
    say = print if verbose else (lambda *a, **k: None)
    began = time.perf_counter()
    traffic = Traffic(seed)
    traffic.normal()
    traffic.bursts()
    index = spikes.EventIndex(traffic.events)
    generated = time.perf_counter() - began
    say(
        f"seed {seed}: generated {len(traffic.events)} mentions over {DAYS} days "
        f"({len(index.events)} counted as problem reports, "
        f"{sum(1 for b in traffic.burst_of.values() if b != 3)} in the two problem "
        f"bursts) in {generated:.1f} s"
    )
    first_run = START + timedelta(days=7)
    now, step = first_run, timedelta(minutes=every)
    end = START + timedelta(days=DAYS)
    alerts = []  # (time, spike, burst number or None)
    recent = []
    runs = 0
    began = time.perf_counter()
    while now <= end:
        runs += 1
        for spike in spikes.detect(index, now, history_start=START):
            if not spikes.is_new_alert(spike, recent):
                continue
            recent.append(spike)
            bursts = [traffic.burst_of.get(e.pk) for e in spike.events]
            top = max(set(bursts), key=bursts.count)
            burst = top if bursts.count(top) >= len(bursts) / 2 else None
            alerts.append((now, spike, burst))
        recent = [s for s in recent if now - s.window_end < spikes.ALERT_COOLDOWN]
        now += step
    detect_seconds = time.perf_counter() - began
    say(
        f"{runs} detection runs (every {every} min, days 8-{DAYS}) "
        f"in {detect_seconds:.1f} s ({1000 * detect_seconds / runs:.1f} ms/run)"
    )
    targets = {1: 10, 2: 30, 3: None}
    delays = {}
    for number, (name, (start, _minutes)) in enumerate(BURSTS.items(), 1):
        hits = [(t, s) for t, s, b in alerts if b == number]
        target = targets[number]
        if target is None:
            delays[number] = len(hits)
            verdict = "OK" if not hits else "FAIL"
            say(f"  {name:24} alerts: {len(hits)}  (target: none) {verdict}")
            continue
        if not hits:
            delays[number] = None
            say(f"  {name:24} NOT DETECTED (target <= {target} min) FAIL")
            continue
        at, spike = hits[0]
        delay = delays[number] = (at - start).total_seconds() / 60
        verdict = "OK" if delay <= target else "FAIL"
        say(
            f"  {name:24} detected after {delay:3.0f} min (target <= {target}) "
            f"{verdict}  topic={spike.topic} count={spike.count} "
            f"expected={spike.expected:.2f} window={spike.window} min"
        )
    false_alarms = [(t, s) for t, s, b in alerts if b is None]
    weeks = (end - first_run).total_seconds() / (7 * 86400)
    rate = len(false_alarms) / weeks
    verdict = "OK" if rate < 1 else "FAIL"
    say(
        f"  false alarms: {len(false_alarms)} in {weeks:.1f} weeks = {rate:.2f}/week "
        f"(target < 1) {verdict}"
    )
    for at, spike in false_alarms[:10]:
        say(
            f"    {at:%a %d %H:%M} topic={spike.topic} count={spike.count} "
            f"expected={spike.expected:.2f} window={spike.window}"
        )
    return delays, rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--seeds", type=int, default=1, help="simulate this many months (seed, seed+1…)"
    )
    parser.add_argument("--every", type=int, default=3, help="minutes between runs")
    args = parser.parse_args()
    results = []
    for seed in range(args.seed, args.seed + args.seeds):
        results.append(run(seed, args.every))
        print()
    if args.seeds > 1:
        n = len(results)
        outage = [d[1] for d, _r in results if d[1] is not None]
        build = [d[2] for d, _r in results if d[2] is not None]
        print(f"over {n} simulated months:")
        print(
            f"  sharp outage   detected {len(outage)}/{n}, within 10 min "
            f"{sum(d <= 10 for d in outage)}/{n}, median delay "
            f"{statistics.median(outage) if outage else float('nan'):.0f} min"
        )
        print(
            f"  slow build-up  detected {len(build)}/{n}, within 30 min "
            f"{sum(d <= 30 for d in build)}/{n}, median delay "
            f"{statistics.median(build) if build else float('nan'):.0f} min"
        )
        print(f"  happy campaign alerts: {sum(d[3] for d, _r in results)}")
        rates = [r for _d, r in results]
        print(
            f"  false alarms per week: mean {statistics.mean(rates):.2f}, "
            f"worst month {max(rates):.2f}"
        )


if __name__ == "__main__":
    main()
