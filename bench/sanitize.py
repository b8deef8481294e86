"""Sanitizing cost per page: bleach (the old core) vs nh3 (config/sanitize.py).

Run: .venv/bin/python bench/sanitize.py [ROUNDS]
Pages are the Markdown articles of ../shared/data/kb_alwaysdata when present,
else the demo articles of kb/demo.py. Markdown is rendered once, outside the
timing, then each page is cleaned by both cores in the same run with the same
allow-list. Columns: the allow-list cleaning alone, then the whole write-time
pass (cleaning + bleach.linkify, which both keep). Prints figures only.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

SHARED = Path(os.environ.get("ENTRAIDE_SHARED_DIR") or ROOT.parent / "shared")


def pages():
    folder = SHARED / "data" / "kb_alwaysdata" / "content"
    if folder.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.md"))]
        return "kb_alwaysdata", texts
    from kb.demo import ARTICLES

    texts = []
    for article in ARTICLES:
        for lang in ("fr", "en"):
            body = article.get(lang, {}).get("body") or []
            texts.append("\n\n".join(v for k, v in body if k == "markdown"))
    return "kb/demo.py", [t for t in texts if t]


def per_page_us(function, htmls, rounds):
    samples = []
    for _ in range(rounds):
        for html in htmls:
            start = time.perf_counter()
            function(html)
            samples.append((time.perf_counter() - start) * 1e6)
    return statistics.mean(samples), statistics.median(samples)


def main(rounds):
    import django

    django.setup()
    import bleach
    import markdown

    from config import sanitize

    source, texts = pages()
    htmls = [
        markdown.Markdown(extensions=["extra", "sane_lists"]).convert(t) for t in texts
    ]
    old_cleaner = bleach.Cleaner(
        tags=sanitize.ALLOWED_TAGS,
        attributes=sanitize.ALLOWED_ATTRIBUTES,
        protocols=sanitize.ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )

    def linkify(html):
        return bleach.linkify(
            html,
            callbacks=[sanitize._linkify_callback],
            skip_tags=["pre", "code"],
            parse_email=False,
        )

    runs = {
        "clean only": (old_cleaner.clean, sanitize._cleaner.clean),
        "clean + linkify": (
            lambda h: linkify(old_cleaner.clean(h)),
            sanitize.clean_html,
        ),
    }
    size = statistics.mean(len(h) for h in htmls)
    print(f"{len(htmls)} pages from {source}, mean {size / 1024:.1f} KiB of HTML")
    print(f"rounds={rounds}")
    print(
        f"{'pass':16s} {'bleach mean':>12s} {'nh3 mean':>10s} "
        f"{'bleach med':>11s} {'nh3 med':>9s} {'speed-up':>9s}"
    )
    for label, (old, new) in runs.items():
        per_page_us(old, htmls[:5], 1)  # warm both
        per_page_us(new, htmls[:5], 1)
        old_mean, old_median = per_page_us(old, htmls, rounds)
        new_mean, new_median = per_page_us(new, htmls, rounds)
        print(
            f"{label:16s} {old_mean:9.0f} µs {new_mean:7.0f} µs "
            f"{old_median:8.0f} µs {new_median:6.0f} µs {old_mean / new_mean:8.1f}×"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
