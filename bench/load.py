"""Load test of `make prod` (nginx on 127.0.0.1:8080): mixed traffic, then the
anonymous article pages (page files, then the micro-cache) against nginx serving
a static file of the same size.

    SEARCH_RATE_LIMIT_PER_MINUTE=0 make prod
    .venv/bin/python bench/load.py [--duration 60] [--clients 64]

Traffic: 60 % anonymous article and category pages, 15 % search API, 10 % /r/
short links, 10 % forum pages, 5 % signed-in pages. Prints requests/s, p50/p99
per kind, errors, and clicks counted against redirects served. The cache ratio
is measured with wrk (Debian package) when present, else with this client.
Only ever talks to 127.0.0.1. Its 64 clients share one address, so the per-address
search limit must be off in the measured site (else the search kind gets 429s).
"""

import argparse
import asyncio
import http.cookiejar
import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROD = ROOT / "var" / "prod"
HOST = "127.0.0.1"
PORT = int(os.environ.get("PROD_PORT", "8080"))
BASE = f"http://{HOST}:{PORT}"
UA = "Mozilla/5.0 (X11; Linux x86_64) EntraideBench/1.0"
QUERIES = [
    "box",
    "mot de passe",
    "facture",
    "wifi lent",
    "mail spam",
    "dns",
    "password",
    "roaming",
    "internet coupé",
    "boite pleine",
]
MIX = [
    ("article", 45),
    ("category", 15),
    ("search", 15),
    ("redirect", 10),
    ("forum", 10),
    ("signed_in", 5),
]
EXPECTED = {"redirect": {302}, "signed_in": {200}}


def prod_env():
    env = {}
    path = PROD / "env"
    if not path.exists():
        sys.exit("var/prod/env not found: run `make prod` first.")
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    return env


def psql(sql):
    db = prod_env()["DATABASE_URL"].rsplit("/", 1)[1]
    out = subprocess.run(
        ["psql", "-h", HOST, "-U", "postgres", db, "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in out.splitlines() if line]


def get(url, opener=None):
    opener = opener or urllib.request.build_opener()
    request = urllib.request.Request(url, headers={"User-Agent": UA})
    with opener.open(request, timeout=30) as response:
        return response.read().decode()


def links(html, pattern):
    return sorted(set(re.findall(r'href="(' + pattern + r')"', html)))


def discover():
    """The URLs of each kind, read from the demo site itself."""
    articles, categories = [], []
    for lang in ("fr", "en"):
        index = get(f"{BASE}/{lang}/kb/")
        cats = [
            u for u in links(index, rf"/{lang}/kb/[^/\"?#]+/") if "/kb/stats/" not in u
        ]
        categories += cats
        for cat in cats:
            articles += links(get(BASE + cat), re.escape(cat) + r'[^/"?#]+/')
    forum_index = get(f"{BASE}/fr/forum/")
    forum = links(forum_index, r"/fr/forum/forum/[^\"?#]+/")
    forum = [u.replace("&amp;", "&") for u in forum] + ["/fr/forum/"]
    codes = psql("select code from social_redirect_redirectlink")
    if not (articles and categories and forum and codes):
        sys.exit("Demo content missing: run `make prod` (it loads the demo).")
    return {
        "article": sorted(set(articles)),
        "category": categories,
        "forum": forum,
        "redirect": [f"/r/{code}" for code in codes],
        "search": [
            "/api/search?" + urllib.parse.urlencode({"q": q, "lang": "fr"})
            for q in QUERIES
        ],
    }


def signed_in_cookies(count=4):
    """Session cookies of demo members, signed in through the login form."""
    emails = psql(
        "select email from account_emailaddress where verified "
        f"order by id limit {count}"
    )
    cookies = []
    for email in emails:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = get(f"{BASE}/fr/accounts/login/", opener)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"login": email, "password": "entraide-demo", "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            f"{BASE}/fr/accounts/login/",
            data=data,
            headers={"User-Agent": UA, "Referer": f"{BASE}/fr/accounts/login/"},
        )
        opener.open(request, timeout=30).read()
        jar_cookies = {c.name: c.value for c in jar}
        if "sessionid" in jar_cookies:
            cookies.append("; ".join(f"{k}={v}" for k, v in jar_cookies.items()))
    if not cookies:
        sys.exit("Could not sign in a demo member.")
    return cookies


# --- a small keep-alive HTTP/1.1 client ------------------------------------


class Connection:
    def __init__(self):
        self.reader = self.writer = None

    async def request(self, path, cookie=None, timeout=30):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, PORT)
        head = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nUser-Agent: {UA}\r\n"
        if cookie:
            head += f"Cookie: {cookie}\r\n"
        self.writer.write((head + "\r\n").encode())
        try:
            return await asyncio.wait_for(self._response(), timeout)
        except BaseException:
            self.close()
            raise

    async def _response(self):
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Stats:
    def __init__(self):
        self.latency = defaultdict(list)
        self.status = defaultdict(Counter)
        self.cache = Counter()
        self.errors = Counter()
        self.redirects = 0
        self.started = self.ended = time.monotonic()

    def total(self):
        return sum(sum(c.values()) for c in self.status.values())


def ok(kind, status):
    return status in EXPECTED.get(kind, {200})


async def client(urls, cookies, stats, deadline, rng, stop):
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    conn = Connection()
    while time.monotonic() < deadline and not stop.is_set():
        kind = rng.choices(kinds, weights)[0]
        if kind == "signed_in":
            path = rng.choice(urls["article"] + urls["forum"] + ["/fr/"])
            cookie = rng.choice(cookies)
        else:
            path, cookie = rng.choice(urls[kind]), None
        started = time.monotonic()
        try:
            status, headers, _ = await conn.request(path, cookie)
        except Exception as exc:
            stats.status[kind][type(exc).__name__] += 1
            stats.errors[kind] += 1
            await asyncio.sleep(0.05)
            continue
        stats.latency[kind].append(time.monotonic() - started)
        stats.status[kind][status] += 1
        if not ok(kind, status):
            stats.errors[kind] += 1
        if kind == "redirect" and status == 302:
            stats.redirects += 1
        if kind == "article":
            stats.cache[headers.get("x-cache-status", "-")] += 1
    conn.close()


async def _run(urls, cookies, duration, clients, stop, seed):
    stats = Stats()
    deadline = time.monotonic() + duration
    rng = random.Random(seed)
    tasks = [
        client(urls, cookies, stats, deadline, random.Random(rng.random()), stop)
        for _ in range(clients)
    ]
    stats.started = time.monotonic()
    await asyncio.gather(*tasks)
    stats.ended = time.monotonic()
    return stats


def run_load(urls, cookies, *, duration, clients, stop=None, seed=1):
    """Mixed traffic for ``duration`` seconds (or until ``stop`` is set)."""
    import threading

    stop = stop or threading.Event()
    return asyncio.run(_run(urls, cookies, duration, clients, stop, seed))


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def report(stats, title="Mixed load"):
    elapsed = stats.ended - stats.started
    total = stats.total()
    print(
        f"\n{title}: {total} requests in {elapsed:.1f}s = {total / elapsed:.0f} req/s"
    )
    print(
        f"{'kind':10} {'req':>7} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7}  statuses"
    )
    for kind, _ in MIX:
        lat = stats.latency[kind]
        n = sum(stats.status[kind].values())
        statuses = " ".join(
            f"{k}:{v}" for k, v in sorted(stats.status[kind].items(), key=str)
        )
        print(
            f"{kind:10} {n:7} {n / elapsed:7.0f} {pct(lat, 0.5) * 1000:8.1f} "
            f"{pct(lat, 0.99) * 1000:8.1f} {stats.errors[kind]:7}  {statuses}"
        )
    print(f"errors: {sum(stats.errors.values())}")
    print(
        "article X-Cache-Status: "
        + " ".join(f"{k}:{v}" for k, v in stats.cache.items())
    )


def clicks_total():
    return int(
        psql("select coalesce(sum(clicks), 0) from social_redirect_redirectlink")[0]
    )


# --- micro-cache vs static file --------------------------------------------


def wrk_rps(url, seconds, clients):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "-H", f"User-Agent: {UA}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, int(non2xx.group(1)) if non2xx else 0


async def _hammer(path, seconds, clients):
    done = Counter()
    deadline = time.monotonic() + seconds

    async def one():
        conn = Connection()
        while time.monotonic() < deadline:
            status, _, _ = await conn.request(path)
            done[status] += 1
        conn.close()

    await asyncio.gather(*(one() for _ in range(clients)))
    return sum(done.values()) / seconds, sum(v for k, v in done.items() if k != 200)


def cache_vs_static(article_path, seconds, clients):
    body = get(BASE + article_path).encode()
    static_dir = Path(prod_env()["VAR_DIR"]) / "static" / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    (static_dir / "article-size.html").write_bytes(body)
    static_path = "/static/bench/article-size.html"
    get(BASE + article_path)  # make sure it is cached
    tool = "wrk" if shutil.which("wrk") else "python client"
    # Alternating rounds: a machine that slows down or speeds up during the
    # run weighs on both sides alike.
    rounds = 3
    step = max(2, seconds // rounds)
    paths = {"cached article": article_path, "static file": static_path}
    rates = {label: [] for label in paths}
    errors = dict.fromkeys(paths, 0)
    for _ in range(rounds):
        for label, path in paths.items():
            if tool == "wrk":
                rps, bad = wrk_rps(BASE + path, step, clients)
            else:
                rps, bad = asyncio.run(_hammer(path, step, clients))
            rates[label].append(rps)
            errors[label] += bad
    rows = [(label, sum(r) / len(r), errors[label]) for label, r in rates.items()]
    print(
        f"\nPage files and micro-cache vs static file ({len(body)} bytes, {tool}, "
        f"{clients} connections, {rounds} alternating rounds of {step}s each)"
    )
    for label, rps, bad in rows:
        rounds_text = " ".join(f"{r:.0f}" for r in rates[label])
        print(f"  {label:15} {rps:9.0f} req/s  non-2xx: {bad}  (rounds: {rounds_text})")
    ratio = rows[0][1] / rows[1][1]
    print(f"  ratio cached/static: {ratio:.2f} (target >= 0.8)")
    return ratio


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=int, default=60, help="Seconds of mixed load."
    )
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument(
        "--cache-seconds",
        type=int,
        default=15,
        help="Seconds per side of the cache ratio (in three alternating rounds).",
    )
    args = parser.parse_args()
    if prod_env().get("SEARCH_RATE_LIMIT_PER_MINUTE", "120") != "0":
        print(
            "note: the search limit is on in var/prod/env; the search kind will "
            "get 429s (start with SEARCH_RATE_LIMIT_PER_MINUTE=0 make prod)"
        )
    urls = discover()
    cookies = signed_in_cookies()
    print(
        f"{len(urls['article'])} articles, {len(urls['category'])} categories, "
        f"{len(urls['forum'])} forum pages, {len(urls['redirect'])} short links, "
        f"{len(cookies)} signed-in members; {args.clients} clients for {args.duration}s"
    )
    clicks_before = clicks_total()
    stats = run_load(urls, cookies, duration=args.duration, clients=args.clients)
    report(stats)
    time.sleep(3)  # clicks are written in batches by each web worker
    counted = clicks_total() - clicks_before
    print(f"clicks counted: {counted} / redirects served: {stats.redirects}")
    cache_vs_static(urls["article"][0], args.cache_seconds, args.clients)


if __name__ == "__main__":
    main()
