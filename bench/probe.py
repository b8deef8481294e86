#!/usr/bin/env python
"""Fuzz the public endpoints with malformed input; count answers, find 500s.

    .venv/bin/python bench/probe.py [--xss 40] [--seed 1]

Bounded and loopback-only: a fresh temporary SQLite database with the demo
content (``load_demo``), requests through Django's test client (no socket, no
server), e-mail in memory, no Elasticsearch. Each form is read first (GET) so
its real field names are fuzzed one at a time with huge numbers, wrong types,
control characters and XSS payloads; the JSON endpoints get wrong shapes, deep
nesting and huge numbers. The cache is cleared before every request so rate
limits do not hide errors; a last section checks the limits themselves (login
brute force on every password form, allauth's own limits).

XSS payloads come from ../shared/data/xss when it is present; without it that
part is skipped and a few built-in payloads are used. Prints status-code counts
per endpoint and the total number of 500s (exit status 1 when there are any).
"""

import argparse
import atexit
import base64
import hashlib
import hmac
import html
import io
import json
import logging
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HUGE = "9" * 20
BAD_VALUES = [
    "",
    HUGE,
    "1" + "0" * 30,
    "9" * 5000,
    "-1",
    "1e309",
    "NaN",
    "0x10",
    "1.5",
    "\x00",
    "a\x00b",
    "\t\n\r",
    "\u202e\u200b",
    "x" * 100_000,
    "/\t/evil.com",
    "//evil.com",
    "/\\evil.com",
    "javascript:alert(1)",
    "' OR 1=1 --",
    "{{ 7*7 }}{% debug %}",
]
BUILTIN_XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<a href='javascript:alert(1)'>x</a>",
    '"><svg/onload=alert(1)>',
]
# Valid values per input type, so one bad field at a time is what is tested.
BASELINE = {
    "email": "probe@example.org",
    "url": "https://x.com/probe/status/1234567890",
    "number": "12",
}
FIELD_RE = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.IGNORECASE | re.DOTALL)
ATTR_RE = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')
FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)


def setup_django():
    tmp = tempfile.mkdtemp(prefix="entraide-probe-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    for name in ("DATABASE_URL", "ELASTICSEARCH_URL", "REDIS_URL", "EMAIL_URL"):
        os.environ.pop(name, None)
    os.environ["VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.SOCIAL_SEMANTIC_MATCHING = False
    settings.MENTIONS_WEBHOOK_SECRET = "probe-webhook-secret"
    settings.X_CONSUMER_SECRET = "probe-x-secret"
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    logging.disable(logging.CRITICAL)  # 4xx/5xx log lines would drown the report
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=io.StringIO())
    print(f"demo database ready in {time.perf_counter() - started:.0f} s ({tmp})")


def xss_payloads(shared, limit, rng):
    corpus = shared / "data" / "xss"
    if not corpus.is_dir():
        print("../shared/data/xss absent: XSS corpus skipped (built-in payloads only)")
        return list(BUILTIN_XSS)
    lines = []
    for path in sorted(corpus.rglob("*.txt")):
        if path.name.startswith("LICENSE"):
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip():
                lines.append(line)
    rng.shuffle(lines)
    print(f"XSS corpus: {len(lines)} payloads, {min(limit, len(lines))} sampled")
    return lines[:limit]


class Probe:
    def __init__(self, xss):
        from django.core.cache import cache
        from django.test import Client

        self.cache = cache
        self.xss = xss
        self.counts = defaultdict(Counter)
        self.examples = {}
        self.anonymous = Client(raise_request_exception=False)
        self.clients = {"anonymous": self.anonymous}

    def client(self, email):
        if email not in self.clients:
            from django.contrib.auth import get_user_model
            from django.test import Client

            client = Client(raise_request_exception=False)
            user = get_user_model().objects.get(email=email)
            client.force_login(user)
            self.clients[email] = client
        return self.clients[email]

    def hit(self, endpoint, method, client, path, **kwargs):
        self.cache.clear()
        try:
            response = getattr(client, method)(path, REMOTE_ADDR="127.0.0.1", **kwargs)
            status = response.status_code
        except Exception as exc:  # the test client itself (e.g. unencodable data)
            status = f"client:{type(exc).__name__}"
        self.counts[endpoint][status] += 1
        if status == 500 and endpoint not in self.examples:
            self.examples[endpoint] = (method, path, str(kwargs)[:300])
        return status

    # --- forms --------------------------------------------------------------------

    def form_fields(self, client, path, action_hint=""):
        """``(action, {name: value})`` of the first form on ``path`` whose action
        contains ``action_hint`` (default: the page itself)."""
        self.cache.clear()
        response = client.get(path, REMOTE_ADDR="127.0.0.1")
        if response.status_code != 200:
            return None, {}
        page = response.content.decode("utf-8", "replace")
        best = (None, {})
        for attrs, body in FORM_RE.findall(page):
            form_attrs = dict(ATTR_RE.findall(attrs))
            action = html.unescape(form_attrs.get("action", "")) or path
            if form_attrs.get("method", "get").lower() != "post":
                continue
            # The header's language switch and sign-out forms are not the page's.
            if "setlang" in action or "logout" in action:
                continue
            if action_hint and action_hint not in action:
                continue
            fields = self.read_fields(body)
            if len(fields) > len(best[1]):
                best = (action, fields)
        return best

    @staticmethod
    def read_fields(body):
        fields = {}
        for tag, field_attrs in FIELD_RE.findall(body):
            values = dict(ATTR_RE.findall(field_attrs))
            name = values.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            kind = values.get("type", "").lower()
            if kind in ("submit", "button", "file"):
                continue
            if tag.lower() == "select":
                pattern = (
                    r'<select[^>]*name="' + re.escape(name) + r'"[^>]*>.*?'
                    r'<option[^>]*value="([^"]+)"'
                )
                option = re.search(pattern, body, re.DOTALL)
                fields[name] = option.group(1) if option else ""
            elif kind in ("checkbox", "radio"):
                fields.setdefault(name, values.get("value", "on"))
            elif name == "website":  # the honeypot: a person leaves it empty
                fields[name] = ""
            elif kind in BASELINE:  # a valid value, so the fuzz reaches the save
                fields[name] = BASELINE[kind]
            else:
                fields[name] = html.unescape(values.get("value", "")) or "probe"
        return fields

    def fuzz_form(self, endpoint, client, path, action_hint="", overrides=None):
        action, fields = self.form_fields(client, path, action_hint)
        if action is None:
            print(f"  {endpoint}: no form found on {path} (skipped)")
            return
        fields.update(overrides or {})
        print(f"  {endpoint}: fields {', '.join(fields)}")
        self.hit(endpoint, "post", client, action, data=fields)
        for name in fields:
            for value in BAD_VALUES + self.xss:
                self.hit(endpoint, "post", client, action, data={**fields, name: value})
            # Wrong type: several values, or the field missing altogether.
            self.hit(
                endpoint, "post", client, action, data={**fields, name: ["1", "2"]}
            )
            rest = {k: v for k, v in fields.items() if k != name}
            self.hit(endpoint, "post", client, action, data=rest)

    def fuzz_get(self, endpoint, client, path, params):
        for name in params:
            for value in BAD_VALUES + self.xss[:10]:
                self.hit(endpoint, "get", client, path, data={**params, name: value})
            self.hit(endpoint, "get", client, path, data={**params, name: ["1", "2"]})

    # --- JSON ---------------------------------------------------------------------

    def webhook_headers(self, body):
        from django.conf import settings

        # The module that holds the webhook: its own file since the renovation.
        try:
            from social_redirect import views as social
        except ImportError:
            social = None
        if not hasattr(social, "mentions_webhook"):
            from social_redirect.views import social

        secret = settings.MENTIONS_WEBHOOK_SECRET.encode()
        timestamp = str(int(time.time()))
        # Signed the way the code under test expects (before/after the
        # replay protection), so the payload itself is what gets probed.
        signed = (
            timestamp.encode() + b"." + body
            if hasattr(social, "WEBHOOK_TOLERANCE_SECONDS")
            else body
        )
        signature = hmac.new(secret, signed, hashlib.sha256).hexdigest()
        return {
            "HTTP_X_ENTRAIDE_TIMESTAMP": timestamp,
            "HTTP_X_ENTRAIDE_SIGNATURE": "sha256=" + signature,
        }

    def x_headers(self, body):
        from django.conf import settings

        digest = hmac.new(
            settings.X_CONSUMER_SECRET.encode(), body, hashlib.sha256
        ).digest()
        return {
            "HTTP_X_TWITTER_WEBHOOKS_SIGNATURE": "sha256="
            + base64.b64encode(digest).decode()
        }

    def json_payloads(self, rng):
        now = int(time.time())
        record = {"id": "1", "text": "Toujours pas de réseau !"}
        values = [
            "2024-03-01T10:00:00",
            now,
            str(now),
            now * 1000,
            10**30,
            -(10**30),
            1e308,
            "not a date",
            [],
            {},
            None,
            True,
            "\x00",
        ]
        payloads = []
        for n, value in enumerate(values):
            for key in ("created_at", "timestamp_ms", "followers_count", "id", "text"):
                payloads.append({**record, "id": f"{n}-{key}", key: value})
            payloads.append({**record, "id": f"u{n}", "user": value})
        for xss in self.xss[:20]:
            payloads.append({"id": str(rng.random()), "text": xss, "author": xss})
        payloads += [
            {"tweet_create_events": "not a list"},
            {"tweet_create_events": ["a", "b"]},
            {"tweet_create_events": [{"id_str": "9", "text": "x", "user": "y"}]},
            {"mentions": "nope"},
            ["just", "strings"],
            "a string",
            42,
            None,
        ]
        raws = [json.dumps(p).encode() for p in payloads]
        for depth in (50, 1000, 100_000):
            raws.append(b"[" * depth + b"]" * depth)
            raws.append(
                b'{"tweet_create_events": ' + b"[" * depth + b"]" * depth + b"}"
            )
        raws += [
            b"{not json",
            b"\xff\xfe",
            b'{"id": 1, "text": "a", "x": ' + b"9" * 5000 + b"}",
        ]
        return raws

    def fuzz_json(self, rng):
        for body in self.json_payloads(rng):
            self.hit(
                "POST /api/mentions/",
                "post",
                self.anonymous,
                "/api/mentions/",
                data=body,
                content_type="application/json",
                **self.webhook_headers(body),
            )
            self.hit(
                "POST /api/x/activity/",
                "post",
                self.anonymous,
                "/api/x/activity/",
                data=body,
                content_type="application/json",
                **self.x_headers(body),
            )

    # --- limits -------------------------------------------------------------------

    def login_brute_force(self):
        """25 wrong passwords on each form, then the right one: signed in?"""
        from django.test import Client

        forms = {
            "/fr/accounts/login/": "login",
            "/fr/_util/login/": "username",
            "/cms/login/": "username",
            "/django-admin/login/": "username",
        }
        results = {}
        for path, field in forms.items():
            self.cache.clear()
            client = Client(raise_request_exception=False)
            statuses = Counter()
            for attempt in range(25):
                response = client.post(
                    path,
                    {field: "admin@entraide.example", "password": "wrong"},
                    REMOTE_ADDR=f"10.0.0.{attempt}",
                )
                statuses[response.status_code] += 1
            client.post(
                path,
                {field: "admin@entraide.example", "password": "entraide-demo"},
                REMOTE_ADDR="10.0.1.1",
            )
            results[path] = (
                "SIGNED IN" if "_auth_user_id" in client.session else "refused",
                dict(statuses),
            )
        return results

    def allauth_limits(self):
        from django.test import Client

        self.cache.clear()
        client = Client(raise_request_exception=False)
        signups = Counter(
            client.post(
                "/fr/accounts/signup/",
                {
                    "email": f"probe{n}@example.org",
                    "password1": "Une phrase solide 42",
                    "password2": "Une phrase solide 42",
                },
            ).status_code
            for n in range(25)
        )
        resets = Counter(
            client.post(
                "/fr/accounts/password/reset/", {"email": "someone@example.org"}
            ).status_code
            for _ in range(15)
        )
        return {"signup x25": dict(signups), "password reset x15": dict(resets)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xss", type=int, default=40, help="XSS payloads sampled")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--shared",
        type=Path,
        default=ROOT.parent / "shared",
        help="the shared evaluation sets (default: ../shared)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    setup_django()

    from django.urls import reverse
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Post, Topic

    from kb.models import ArticlePage
    from search.models import QueryLog
    from social_redirect.models import RedirectLink

    probe = Probe(xss_payloads(args.shared, args.xss, rng))
    member = probe.client("member@entraide.example")
    trusted = probe.client("trusted@entraide.example")
    cm = probe.client("cm@entraide.example")
    started = time.perf_counter()

    # JSON APIs
    probe.fuzz_json(rng)
    probe.fuzz_get(
        "GET /api/search",
        probe.anonymous,
        "/api/search",
        {"q": "box", "limit": "10", "lang": "fr", "kind": "article"},
    )
    probe.fuzz_get(
        "GET /api/search/suggest", probe.anonymous, "/api/search/suggest", {"q": "bo"}
    )
    probe.fuzz_get(
        "GET /<lang>/search/",
        probe.anonymous,
        "/fr/search/",
        {"q": "box", "page": "1", "category": "", "solved": "yes", "kind": "article"},
    )
    # Click-through: a real log and made-up ids.
    probe.anonymous.get("/fr/search/", {"q": "box"})
    log = QueryLog.objects.order_by("-pk").first()
    for log_id in [log.pk if log else 1, HUGE, 2**31, 0]:
        probe.fuzz_get(
            "GET /<lang>/search/go/<id>/",
            probe.anonymous,
            f"/fr/search/go/{log_id}/",
            {"to": "/fr/kb/", "rank": "1"},
        )

    # Knowledge base
    article = ArticlePage.objects.live().filter(locale__language_code="fr").first()
    probe.fuzz_form("POST /<lang>/kb/propose/", member, "/fr/kb/propose/")
    probe.fuzz_form("POST <article>/edit/", member, article.url + "edit/")
    probe.fuzz_form("POST <article>/edit/ (trusted)", trusted, article.url + "edit/")
    for value in BAD_VALUES + probe.xss:
        probe.hit(
            "POST /<lang>/kb/preview/",
            "post",
            member,
            "/fr/kb/preview/",
            data={"body": value},
        )
        probe.hit(
            "POST <article>/feedback/",
            "post",
            probe.anonymous,
            article.url + "feedback/",
            data={"helpful": value},
        )

    # Forum
    forum = Forum.objects.filter(type=Forum.FORUM_POST).first()
    topic = Topic.objects.filter(approved=True).first()
    post = Post.objects.filter(approved=True).first()
    probe.fuzz_form(
        "POST forum topic create",
        member,
        reverse(
            "forum_conversation:topic_create",
            kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk},
        ),
    )
    probe.fuzz_form(
        "POST forum reply",
        member,
        reverse(
            "forum_conversation:post_create",
            kwargs={
                "forum_slug": topic.forum.slug,
                "forum_pk": topic.forum.pk,
                "topic_slug": topic.slug,
                "topic_pk": topic.pk,
            },
        ),
    )
    probe.fuzz_form(
        "POST forum report",
        member,
        reverse("community_forum:post_report", args=[post.pk]),
    )

    # Social redirect
    probe.fuzz_form("POST /<lang>/social/ (paste)", cm, "/fr/social/")
    link = RedirectLink.objects.first()
    if link:
        for value in BAD_VALUES:
            probe.hit(
                "POST /r/<code>/feedback",
                "post",
                probe.anonymous,
                f"/r/{link.code}/feedback",
                data={"helpful": value},
            )
            probe.hit("GET /r/<code>", "get", probe.anonymous, f"/r/{value[:200]}")

    # Tickets
    probe.fuzz_form("POST /<lang>/support/new/", probe.anonymous, "/fr/support/new/")
    probe.fuzz_form("POST /<lang>/support/link/", probe.anonymous, "/fr/support/link/")
    for value in BAD_VALUES + probe.xss[:10]:
        probe.hit(
            "POST /<lang>/support/new/solved/",
            "post",
            probe.anonymous,
            "/fr/support/new/solved/",
            data={"url": value, "title": value},
        )
        probe.hit(
            "GET /<lang>/support/new/suggestions/",
            "get",
            probe.anonymous,
            "/fr/support/new/suggestions/",
            data={"q": value},
        )

    # Password forms (malformed values; the limits are checked below)
    for path in (
        "/fr/accounts/login/",
        "/fr/_util/login/",
        "/cms/login/",
        "/django-admin/login/",
        "/fr/accounts/signup/",
        "/fr/accounts/password/reset/",
    ):
        from django.test import Client

        probe.fuzz_form(f"POST {path}", Client(raise_request_exception=False), path)

    fuzz_seconds = time.perf_counter() - started
    brute = probe.login_brute_force()
    limits = probe.allauth_limits()

    total = Counter()
    print(f"\n{'endpoint':<42} {'requests':>8}  status counts")
    for endpoint, counts in probe.counts.items():
        total.update(counts)
        shown = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str))
        print(f"{endpoint:<42} {sum(counts.values()):>8}  {shown}")
    print(f"\nfuzz requests: {sum(total.values())} in {fuzz_seconds:.0f} s")
    print(
        "status totals:",
        ", ".join(f"{k}: {v}" for k, v in sorted(total.items(), key=str)),
    )
    print("\nlogin brute force (25 wrong passwords, then the right one):")
    for path, (outcome, statuses) in brute.items():
        print(f"  {path:<26} {outcome:<10} wrong-password answers {statuses}")
    print("allauth's own limits:", limits)
    fives = total[500] + sum(c.get(500, 0) for c in limits.values())
    signed_in = sum(outcome == "SIGNED IN" for outcome, _ in brute.values())
    for endpoint, example in probe.examples.items():
        print(f"  first 500 on {endpoint}: {example}")
    print(f"\n500s: {fives}   brute-forced logins that got in: {signed_in}")
    return 1 if fives or signed_in else 0


if __name__ == "__main__":
    sys.exit(main())
