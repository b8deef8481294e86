"""Faults under load against `make prod`: what users saw, what was lost.

    SEARCH_RATE_LIMIT_PER_MINUTE=0 make prod
    .venv/bin/python bench/faults.py [--only kill_web,postgres,...]
        [--load-seconds 30] [--smtp-down 300]

Each fault runs during mixed traffic (bench/load.py) and prints the status
counts seen by the clients and what was lost (clicks, mails, index updates).
Faults: kill_web (kill -9 one gunicorn worker), postgres (restart the
cluster), postgres_cut (terminate the site's own connections: a restart's
effect on queries in flight, without touching other databases), redis
(stopped 30 s), smtp (mail server down, then back), elastic (configured but
unreachable), kill_worker (task worker killed mid-task).
The SMTP server is a local aiosmtpd sink run here; the web, worker and
scheduler are restarted with EMAIL_URL pointing at it. Only 127.0.0.1.
"""

import argparse
import os
import subprocess
import sys
import threading
import time
import urllib.error
import uuid
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load

ROOT = load.ROOT
RUN = load.PROD / "run"
SMTP_PORT = 2525
CLOSED_PORT = 9  # discard: nothing listens there
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1",
    "--port", "6379", "--save", "", "--appendonly", "no",
    "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip


# --- the local mail server --------------------------------------------------


class Sink:
    """Counts every accepted message by subject; can stall before DATA."""

    def __init__(self):
        self.received = Counter()
        self.stall_seconds = 0.0
        self.controller = None

    async def handle_MAIL(self, server, session, envelope, address, options):
        if self.stall_seconds:
            # A slow mail server: the worker waits here, message not yet sent.
            import asyncio

            await asyncio.sleep(self.stall_seconds)
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for line in envelope.content.decode("utf8", "replace").splitlines():
            if line.lower().startswith("subject:"):
                self.received[line.split(":", 1)[1].strip()] += 1
                break
        return "250 Message accepted"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=SMTP_PORT)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


# --- the stack --------------------------------------------------------------


# What `make prod` was started with and a restart must keep (prod.sh writes
# its env file anew on each start), unless this run's environment says otherwise.
KEPT = ("SEARCH_RATE_LIMIT_PER_MINUTE", "WEB_CONCURRENCY")


def prod(*args, **env):
    started = {k: v for k, v in load.prod_env().items() if k in KEPT}
    subprocess.run(
        [str(ROOT / "deploy/local/prod.sh"), *args],
        check=True,
        env={**started, **os.environ, **env},
        stdout=subprocess.DEVNULL,
    )


def restart_app(**env):
    for name in ("web", "worker", "scheduler"):
        prod("restart", name, **env)
    wait_healthy()


def wait_healthy(timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            load.get(load.BASE + "/healthz")
            return
        except urllib.error.HTTPError as answer:
            # The application answers, with a component it reports as
            # degraded (Elasticsearch down on purpose): it is back.
            if answer.code == 503 and b"degraded" in answer.read():
                return
            time.sleep(0.5)
        except Exception:
            time.sleep(0.5)
    raise SystemExit("the site did not come back")


def shell(code, **env):
    """Run Python in the production environment (manage.py shell)."""
    full = {**os.environ, **load.prod_env(), **env}
    return subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


MAIL_QUEUE = """
from outbox.services import mail_queue
for subject in {subjects!r}:
    mail_queue(kind="bench", to=["bench@example.org"], subject=subject, body="bench")
"""


def mails_queue(subjects):
    shell(MAIL_QUEUE.format(subjects=list(subjects)))


def mail_status(prefix):
    table = "social_redirect_outboundmail"
    rows = load.psql(
        f"select status, count(*) from {table} where subject like '{prefix}%' "
        "group by status"
    )
    return dict(row.split("|") for row in rows)


def pid(name):
    return int((RUN / f"{name}.pid").read_text())


def wait_dead(pid, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return
        if stat.rpartition(")")[2].split()[0] == "Z":
            return
        time.sleep(0.05)


def web_workers():
    out = subprocess.run(
        ["pgrep", "-P", str(pid("web"))], capture_output=True, text=True
    ).stdout
    return [int(p) for p in out.split()]


# --- load in the background -------------------------------------------------


class Load:
    def __init__(self, urls, cookies, seconds, clients=32):
        self.stop = threading.Event()
        self.stats = None
        self.clicks_before = load.clicks_total()

        def run():
            self.stats = load.run_load(
                urls, cookies, duration=seconds, clients=clients, stop=self.stop
            )

        self.thread = threading.Thread(target=run)
        self.thread.start()

    def finish(self):
        self.stop.set()
        self.thread.join()
        time.sleep(3)  # clicks are written in batches
        return self.stats, load.clicks_total() - self.clicks_before


def statuses(stats):
    total = Counter()
    for counter in stats.status.values():
        total.update(counter)
    return " ".join(f"{k}:{v}" for k, v in sorted(total.items(), key=str))


def summary(name, stats, clicks, lost):
    print(f"\n## {name}")
    print(f"users saw: {statuses(stats)}  ({stats.total()} requests)")
    errors = {k: v for k, v in stats.errors.items() if v}
    print(f"errors by kind: {errors or 'none'}")
    print(f"clicks counted {clicks} / redirects served {stats.redirects}")
    print(f"lost: {lost}")


# --- the faults -------------------------------------------------------------


def fault_kill_web(ctx):
    run = Load(ctx.urls, ctx.cookies, ctx.seconds)
    time.sleep(ctx.seconds / 3)
    victim = web_workers()[0]
    os.kill(victim, 9)
    stats, clicks = run.finish()
    back = len(web_workers())
    lost = stats.redirects - clicks
    summary(
        f"kill -9 gunicorn worker {victim} (workers after: {back})",
        stats,
        clicks,
        f"{lost} click(s) not counted" if lost else "nothing",
    )


def fault_postgres(ctx):
    version = os.listdir("/etc/postgresql")[0]
    run = Load(ctx.urls, ctx.cookies, ctx.seconds)
    time.sleep(ctx.seconds / 3)
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
    )
    took = time.monotonic() - started
    stats, clicks = run.finish()
    lost = stats.redirects - clicks
    summary(
        f"PostgreSQL restart ({took:.1f}s)",
        stats,
        clicks,
        f"{lost} click(s) not counted" if lost else "nothing",
    )


def fault_postgres_cut(ctx):
    """What a restart does to connections in use, without restarting the
    machine's PostgreSQL (other databases are not touched): every connection
    of the site's database is terminated, three times, during load."""
    db = load.prod_env()["DATABASE_URL"].rsplit("/", 1)[1]
    run = Load(ctx.urls, ctx.cookies, ctx.seconds)
    time.sleep(ctx.seconds / 3)
    cut = 0
    for _ in range(3):
        cut += len(
            load.psql(
                "select pg_terminate_backend(pid) from pg_stat_activity "
                f"where datname = '{db}' and pid <> pg_backend_pid()"
            )
        )
        time.sleep(2)
    stats, clicks = run.finish()
    lost = stats.redirects - clicks
    summary(
        f"PostgreSQL connections of {db} terminated ({cut} in 3 rounds)",
        stats,
        clicks,
        f"{lost} click(s) not counted" if lost else "nothing",
    )


def fault_redis(ctx):
    run = Load(ctx.urls, ctx.cookies, ctx.seconds + 30)
    time.sleep(ctx.seconds / 3)
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], check=False)
    try:
        time.sleep(30)
    finally:
        subprocess.run(REDIS_START, check=True, stdout=subprocess.DEVNULL)
    ok = subprocess.run(["redis-cli", "ping"], capture_output=True, text=True)
    stats, clicks = run.finish()
    lost = stats.redirects - clicks
    summary(
        f"Redis stopped 30 s (after restart: {ok.stdout.strip()})",
        stats,
        clicks,
        f"{lost} click(s) not counted" if lost else "nothing (cache only)",
    )


def fault_smtp(ctx):
    tag = f"bench-smtp-{uuid.uuid4().hex[:6]}-"
    ctx.sink.stop()
    run = Load(ctx.urls, ctx.cookies, ctx.smtp_down + 60, clients=16)
    subjects = [f"{tag}{i}" for i in range(10)]
    # Tickets keep coming in while the mail server is down.
    for chunk in (subjects[:5], subjects[5:]):
        mails_queue(chunk)
        time.sleep(ctx.smtp_down / 2)
    during = mail_status(tag)
    ctx.sink.start()
    deadline = time.monotonic() + 15 * 60
    while time.monotonic() < deadline:
        if mail_status(tag).get("sent") == str(len(subjects)):
            break
        time.sleep(5)
    waited = ctx.smtp_down + time.monotonic() - (deadline - 15 * 60)
    time.sleep(5)
    stats, clicks = run.finish()
    got = {s: ctx.sink.received[s] for s in subjects}
    dupes = sum(n - 1 for n in got.values() if n > 1)
    missing = sum(1 for n in got.values() if n == 0)
    summary(
        f"SMTP down {ctx.smtp_down}s then back: {len(subjects)} ticket mails",
        stats,
        clicks,
        f"mail rows while down {during}; after {mail_status(tag)}; "
        f"received {sum(got.values())} ({missing} missing, {dupes} duplicates) "
        f"within {waited:.0f}s of the outage start",
    )


SEARCH_EDIT = """
from kb.models import ArticlePage
page = ArticlePage.objects.live().filter(locale__language_code="fr").first()
revision = page.save_revision()
page.summary = page.summary + " {word}"
revision = page.save_revision()
revision.publish()
print(page.url_path)
"""


def fault_elastic(ctx):
    es = f"http://127.0.0.1:{CLOSED_PORT}"
    restart_app(EMAIL_URL=ctx.email_url, ELASTICSEARCH_URL=es)
    word = "zq" + uuid.uuid4().hex[:8]
    run = Load(ctx.urls, ctx.cookies, ctx.seconds)
    time.sleep(ctx.seconds / 3)
    shell(SEARCH_EDIT.format(word=word), ELASTICSEARCH_URL=es)
    time.sleep(5)  # the worker indexes it
    found = load.get(f"{load.BASE}/api/search?q={word}&lang=fr")
    degraded = '"degraded": true' in found
    stats, clicks = run.finish()
    queued = load.psql("select count(*) from search_indexupdate")[0]
    retry = shell(
        "from django.core.management import call_command; "
        "call_command('search_index', 'retry')",
        ELASTICSEARCH_URL=es,
    ).strip()
    restart_app(EMAIL_URL=ctx.email_url)
    summary(
        "Elasticsearch configured but down",
        stats,
        clicks,
        f"edited article found through the embedded index: {word in found}; "
        f"degraded flag: {degraded}; "
        f"{queued} index update(s) queued for replay; retry now: {retry}",
    )


def fault_kill_worker(ctx):
    tag = f"bench-worker-{uuid.uuid4().hex[:6]}-"
    subject = tag + "0"
    ctx.sink.stall_seconds = 20
    run = Load(ctx.urls, ctx.cookies, ctx.seconds)
    try:
        mails_queue([subject])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            running = load.psql(
                "select count(*) from django_tasks_database_dbtaskresult "
                "where status = 'RUNNING'"
            )[0]
            if running != "0":
                break
            time.sleep(0.2)
        time.sleep(1)
        victim = pid("worker")
        os.kill(victim, 9)
        wait_dead(victim)
        ctx.sink.stall_seconds = 0
        # What systemd (Restart=always) does.
        prod("start", "worker", EMAIL_URL=ctx.email_url)
        print(f"worker {victim} killed, new worker {pid('worker')}", flush=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and mail_status(tag).get("sent") != "1":
            time.sleep(1)
        time.sleep(2)
    finally:
        ctx.sink.stall_seconds = 0
    stats, clicks = run.finish()
    runs = load.psql(
        "select status, worker_ids from django_tasks_database_dbtaskresult "
        f"where args_kwargs::text like '%' || (select id from "
        f"social_redirect_outboundmail where subject = '{subject}')::text || '%' "
        "order by enqueued_at desc limit 1"
    )
    summary(
        f"task worker {victim} killed -9 while sending a mail",
        stats,
        clicks,
        f"mail {mail_status(tag)}, received {ctx.sink.received[subject]} time(s); "
        f"task: {runs[0] if runs else '?'}",
    )


FAULTS = {
    "kill_web": fault_kill_web,
    "postgres": fault_postgres,
    "postgres_cut": fault_postgres_cut,
    "redis": fault_redis,
    "smtp": fault_smtp,
    "elastic": fault_elastic,
    "kill_worker": fault_kill_worker,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(FAULTS))
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--smtp-down", type=int, default=300)
    args = parser.parse_args()
    ctx = argparse.Namespace(
        urls=load.discover(),
        cookies=load.signed_in_cookies(),
        seconds=args.load_seconds,
        smtp_down=args.smtp_down,
        sink=Sink(),
        email_url=f"smtp://127.0.0.1:{SMTP_PORT}",
    )
    ctx.sink.start()
    restart_app(EMAIL_URL=ctx.email_url)
    try:
        for name in args.only.split(","):
            FAULTS[name](ctx)
    finally:
        ctx.sink.stop()
        if subprocess.run(["redis-cli", "ping"], capture_output=True).returncode:
            subprocess.run(REDIS_START, check=False)
        restart_app()  # back to the console mail backend


if __name__ == "__main__":
    main()
