#!/usr/bin/env python
"""Search quality on the alwaysdata help centre, next to the BM25 baseline.

Imports ../shared/data/kb_alwaysdata/content into a fresh temporary SQLite
database (with `manage.py kb_import`, or with a minimal Markdown loader straight
into the search index when that command is missing or `--loader minimal`),
runs the known-item query files through GET /api/search and prints hits@1,
hits@3 and mrr@10 per language beside ../shared/eval/bm25_baseline.py.

    .venv/bin/python bench/search_quality.py [--loader auto|kb_import|minimal]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CONTENT = SHARED / "data" / "kb_alwaysdata" / "content"
QUERY_FILES = [
    SHARED / "data" / "kb_alwaysdata_queries.jsonl",
    SHARED / "data" / "kb_alwaysdata_queries_noisy.jsonl",
]
BASELINE = SHARED / "eval" / "bm25_baseline.py"


def setup_django(tmp):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["VAR_DIR"] = str(tmp)
    # Every query is measured: the per-IP search limit is for visitors.
    os.environ["SEARCH_RATE_LIMIT_PER_MINUTE"] = "0"
    os.environ.setdefault("DEBUG", "1")
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)


# --- minimal loader (used when kb_import is unavailable) --------------------

_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.S)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[#*_`>|]+")


def _plain(markdown):
    text = _SHORTCODE.sub(" ", markdown)
    text = _LINK.sub(r"\1", text)
    return _MARKUP.sub(" ", text)


def minimal_documents():
    for path in sorted(CONTENT.rglob("*.md")):
        match = re.fullmatch(r"(.+)\.(fr|en)\.md", path.name)
        if not match or match.group(1) == "_index":
            continue
        rel = path.relative_to(CONTENT)
        key = rel.parent if match.group(1) == "index" else rel.with_name(match.group(1))
        text = path.read_text(encoding="utf-8")
        meta, body = {}, text
        if text.startswith("+++"):
            _, front, body = text.split("+++", 2)
            meta = tomllib.loads(front)
        lang = match.group(2)
        yield {
            "kind": "article",
            "id": f"{key.as_posix()}.{lang}",
            "lang": lang,
            "title": meta.get("title", key.name),
            "summary": "",
            "body": _plain(body),
            "tags": meta.get("tags", []),
            "category": key.parts[0] if len(key.parts) > 1 else "",
            "url": f"/{lang}/kb/{key.as_posix()}/",
            "source": key.as_posix(),
        }


def load(loader):
    from django.core.management import call_command, get_commands

    from search import services

    if loader == "auto":
        loader = "kb_import" if "kb_import" in get_commands() else "minimal"
    started = time.perf_counter()
    if loader == "kb_import":
        with open(os.devnull, "w") as devnull:
            call_command("kb_import", str(CONTENT), stdout=devnull, stderr=devnull)
            call_command("search_index", "rebuild", "--no-progress", stdout=devnull)
    else:
        services.documents_replace(minimal_documents())
    from search.models import SearchDocument

    return loader, SearchDocument.objects.count(), time.perf_counter() - started


# --- evaluation ------------------------------------------------------------


def evaluate(queries):
    from django.test import Client

    client = Client()
    out = {}
    for query in queries:
        if query["gold"]["kind"] != "article":
            continue
        lang = query.get("lang", "en")
        gold = query["gold"].get("source") or query["gold"].get("slug")
        response = client.get(
            "/api/search",
            {"q": query["text"][:200], "lang": lang, "kind": "article", "limit": 10},
        )
        ranked = [r["source"] for r in response.json().get("results", [])]
        stats = out.setdefault(lang, [0, 0, 0.0, 0])
        stats[0] += bool(ranked) and ranked[0] == gold
        stats[1] += gold in ranked[:3]
        stats[2] += 1 / (ranked.index(gold) + 1) if gold in ranked[:10] else 0
        stats[3] += 1
    return out


def baseline(path, lang):
    """The baseline script on the queries of one language (all when None)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lang:
        lines = [line for line in lines if json.loads(line).get("lang") == lang]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as tmp:
        tmp.write("\n".join(lines) + "\n")
    try:
        result = subprocess.run(
            [sys.executable, str(BASELINE), str(CONTENT), tmp.name],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(tmp.name)
    figures = re.findall(r"(hits@1|hits@3|mrr@10) ([0-9.]+)", result.stdout)
    return {name: float(value) for name, value in figures}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--loader", choices=["auto", "kb_import", "minimal"], default="auto"
    )
    args = parser.parse_args()
    if not CONTENT.is_dir():
        sys.exit(f"{CONTENT} is absent: nothing to measure.")
    with tempfile.TemporaryDirectory(prefix="entraide-quality-") as tmp:
        setup_django(tmp)
        loader, count, seconds = load(args.loader)
        print(f"loaded {count} documents with {loader} in {seconds:.1f} s")
        header = f"{'file':<34}{'lang':<6}{'n':>5}  {'metric':<8}{'ours':>7}{'bm25':>7}"
        print(header)
        print("-" * len(header))
        worse = []
        for path in QUERY_FILES:
            with open(path, encoding="utf-8") as lines:
                queries = [json.loads(line) for line in lines]
            ours = evaluate(queries)
            total = [sum(v[i] for v in ours.values()) for i in range(4)]
            rows = [(lang, ours[lang]) for lang in sorted(ours)] + [("all", total)]
            for lang, (h1, h3, rr, n) in rows:
                base = baseline(path, None if lang == "all" else lang)
                for name, value in (("hits@1", h1), ("hits@3", h3), ("mrr@10", rr)):
                    mine = value / n
                    print(
                        f"{path.name:<34}{lang:<6}{n:>5}  {name:<8}"
                        f"{mine:>7.3f}{base[name]:>7.3f}"
                    )
                    if mine < base[name]:
                        worse.append(f"{path.name} {lang} {name}")
        print("below baseline: " + (", ".join(worse) if worse else "none"))


if __name__ == "__main__":
    main()
