#!/usr/bin/env python
"""Speed of the embedded search backend (posting lists on SQLite) at two data sizes.

Generates articles and forum topics from the alwaysdata help-centre text
(10,000 articles and 50,000 forum posts by default, grouped into topics of five
posts), indexes them straight into the search tables of a fresh temporary
SQLite database, then measures GET /api/search through gunicorn on 127.0.0.1,
as deployed (gthread; by default 2 x CPUs + 1 workers, gunicorn's advice, with
2 threads each; no preload: each worker opens its own database connections),
with 1 and 8 client threads, after every worker has served some requests.
Server CPU per request sums the gunicorn master and its workers. The same is
repeated with one tenth of the data.

    .venv/bin/python bench/search_speed.py [--articles 10000] [--posts 50000]
        [--requests 400] [--workers N] [--threads N]
"""

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CONTENT = SHARED / "data" / "kb_alwaysdata" / "content"
QUERIES = SHARED / "data" / "kb_alwaysdata_queries.jsonl"
POSTS_PER_TOPIC = 5


def setup_django(tmp):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ["VAR_DIR"] = str(tmp)
    os.environ["DEBUG"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["LOG_LEVEL"] = "ERROR"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- data ------------------------------------------------------------------


def corpus_sentences():
    """{lang: [sentences]} and {lang: [titles]} from the Markdown files."""
    sentences = {"fr": [], "en": []}
    titles = {"fr": [], "en": []}
    for path in CONTENT.rglob("*.md"):
        match = re.fullmatch(r"(.+)\.(fr|en)\.md", path.name)
        if not match:
            continue
        lang = match.group(2)
        text = path.read_text(encoding="utf-8")
        title = re.search(r'^title\s*=\s*"(.*)"', text, re.M)
        if title:
            titles[lang].append(title.group(1))
        text = re.sub(r"\{\{[<%].*?[%>]\}\}", " ", text.split("+++")[-1], flags=re.S)
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            sentence = re.sub(r"[#*_`>|]+", " ", sentence).strip()
            if len(sentence.split()) >= 5:
                sentences[lang].append(sentence)
    return sentences, titles


def generate(articles, posts, seed=1):
    rng = random.Random(seed)
    sentences, titles = corpus_sentences()
    langs = ["fr", "en"]
    for i in range(articles):
        lang = langs[i % 2]
        pool = sentences[lang]
        yield {
            "kind": "article",
            "id": i + 1,
            "lang": lang,
            "title": f"{rng.choice(titles[lang])} {i}",
            "summary": rng.choice(pool),
            "symptoms": "\n".join(rng.sample(pool, 2)),
            "body": " ".join(rng.sample(pool, rng.randint(15, 40))),
            "tags": rng.sample(["dns", "ssl", "mail", "ftp", "ssh", "php", "box"], 2),
            "category": f"category {rng.randint(1, 30)}",
            "url": f"/{lang}/kb/bench/{i + 1}/",
            "source": None,
            "helpfulness": rng.random(),
        }
    for i in range(posts // POSTS_PER_TOPIC):
        lang = langs[i % 2]
        pool = sentences[lang]
        replies = [" ".join(rng.sample(pool, rng.randint(2, 5))) for _ in range(3)]
        yield {
            "kind": "topic",
            "id": i + 1,
            "lang": lang,
            "title": rng.choice(pool)[:120],
            "question": " ".join(rng.sample(pool, rng.randint(2, 5))),
            "solution": " ".join(rng.sample(pool, rng.randint(2, 4))),
            "replies": "\n".join(replies),
            "solved": rng.random() < 0.4,
            "category": f"forum {rng.randint(1, 10)}",
            "url": f"/{lang}/forum/bench/{i + 1}/",
        }


def queries(seed=2):
    """Known-item sentences and short phrases as people type them."""
    rng = random.Random(seed)
    rows = [json.loads(line) for line in QUERIES.open(encoding="utf-8")]
    out = []
    for row in rows:
        words = row["text"].split()
        out.append((row["text"], row["lang"]))
        start = rng.randint(0, max(0, len(words) - 3))
        fragment = " ".join(words[start : start + rng.randint(1, 3)])
        if re.search(r"\w\w", fragment):
            out.append((fragment, row["lang"]))
    rng.shuffle(out)
    return out


# --- server ----------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_server(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_server(tmp, workers, threads):
    """gunicorn (gthread) serving the project from the temporary database."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(tmp),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "ERROR",
        # A throwaway key: DEBUG off refuses the development one.
        "SECRET_KEY": "bench-" + os.urandom(24).hex(),
        # Measures throughput from one address: the per-IP search limit is off.
        "SEARCH_RATE_LIMIT_PER_MINUTE": "0",
        # The client sends "Host: 127.0.0.1".
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("ELASTICSEARCH_URL", None)
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited with status {process.returncode}")
            try:
                # The master listens before its workers have loaded Django:
                # wait for a real response.
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/api/search?q=ping", headers={"Host": "127.0.0.1"})
                conn.getresponse().read()
                conn.close()
                return process, port
            except OSError:
                time.sleep(0.2)
        raise SystemExit("the bench server did not start")
    except BaseException:
        stop_server(process)
        raise


def cpu_seconds(pid):
    """User + system CPU time of a process (Linux), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid):
    """Process ids whose parent is ``pid`` (Linux)."""
    found = set()
    try:
        for path in Path(f"/proc/{pid}/task").glob("*/children"):
            found.update(int(child) for child in path.read_text().split())
        if found:
            return found
    except OSError:
        pass
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(path.parent.name))
    return found


def server_cpu_seconds(pid):
    """CPU time of the gunicorn master plus all its workers, or None."""
    total = cpu_seconds(pid)
    if total is None:
        return None
    for child in children(pid):
        total += cpu_seconds(child) or 0
    return total


def measure(port, workload, concurrency, total):
    latencies = []
    errors = []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            text, lang = workload[i % len(workload)]
            path = "/api/search?" + urlencode({"q": text[:200], "lang": lang})
            started = time.perf_counter()
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed * 1000)
                if response.status != 200:
                    errors.append(response.status)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "n": len(latencies),
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "rps": len(latencies) / wall,
        "errors": len(errors),
    }


def run_size(tmp, articles, posts, requests, workers, threads):
    from django.db import connection

    from search import services
    from search.models import QueryLog

    started = time.perf_counter()
    count = services.documents_replace(generate(articles, posts))
    seconds = time.perf_counter() - started
    QueryLog.objects.all().delete()
    connection.close()
    print(
        f"\n{articles} articles + {posts} forum posts = {count} documents indexed in "
        f"{seconds:.1f} s ({count / seconds:.0f} docs/s, "
        f"{(articles + posts) / seconds:.0f} articles+posts/s)"
    )
    process, port = start_server(tmp, workers, threads)
    results = {}
    try:
        workload = queries()
        # Steady state: every worker process has loaded its per-process caches
        # (vocabulary, spelling index, document tables) before the timing.
        measure(port, workload, workers * threads, 100 * workers)
        for concurrency in (1, 8):
            total = requests if concurrency == 1 else requests * 2
            cpu_before = server_cpu_seconds(process.pid)
            result = measure(port, workload, concurrency, total)
            cpu_after = server_cpu_seconds(process.pid)
            results[concurrency] = result
            cpu = (
                f", server CPU {(cpu_after - cpu_before) * 1000 / result['n']:.1f} "
                "ms/request"
                if cpu_before is not None
                else ""
            )
            print(
                f"  concurrency {concurrency}: {result['n']} requests, "
                f"p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, "
                f"{result['rps']:.0f} req/s, errors {result['errors']}{cpu}"
            )
    finally:
        stop_server(process)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn workers (default: 2 x CPUs + 1, gunicorn's advice)",
    )
    parser.add_argument(
        "--threads", type=int, default=2, help="threads per gunicorn worker"
    )
    args = parser.parse_args()
    if not CONTENT.is_dir():
        sys.exit(f"{CONTENT} is absent: nothing to generate from.")
    with tempfile.TemporaryDirectory(prefix="entraide-speed-") as tmp:
        setup_django(tmp)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            # Readers never wait for the query log writer (a deployment setting).
            cursor.execute("PRAGMA journal_mode=WAL")
        print(
            f"server: gunicorn gthread, {args.workers} workers x {args.threads}"
            " threads on 127.0.0.1"
        )
        full = run_size(
            tmp, args.articles, args.posts, args.requests, args.workers, args.threads
        )
        tenth = run_size(
            tmp,
            args.articles // 10,
            args.posts // 10,
            args.requests,
            args.workers,
            args.threads,
        )
        print("\nratio full / tenth of the data (target < 3):")
        for concurrency in (1, 8):
            print(
                f"  concurrency {concurrency}: p50 x"
                f"{full[concurrency]['p50'] / tenth[concurrency]['p50']:.2f}, p99 x"
                f"{full[concurrency]['p99'] / tenth[concurrency]['p99']:.2f}"
            )
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"machine load average (1 min) at the end: {load:.2f} "
            f"on {os.cpu_count()} CPUs"
        )
        c8 = full[8]
        print(
            f"targets at concurrency 8 (p50 <= 20 ms, p99 <= 100 ms): "
            f"p50 {c8['p50']:.1f} ms, p99 {c8['p99']:.1f} ms"
        )


if __name__ == "__main__":
    main()
