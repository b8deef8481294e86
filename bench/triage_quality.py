#!/usr/bin/env python3
"""Triage quality on the French and IBM dev sets, side by side.

For each set, in a fresh temporary database: `kb_import` the knowledge base,
run `mentions_triage` on the dev tweets twice (ours: lexical + embeddings;
our lexical-only variant: SOCIAL_SEMANTIC_MATCHING=0), score both with the
shared scorer, and run the shared plain-BM25 baseline on the same files.
Prints hits@1, hits@3, mrr@10 (candidates on article tweets), ticket
routing precision/recall, right target, and the precision and coverage of
the "sure" level (article tweets whose first candidate is "sure": share
right, share of all article tweets).

Usage: .venv/bin/python bench/triage_quality.py [--calibrate] [--keep]
  --calibrate  also refit the confidence model on both sets' outputs
               (bench/triage_calibrate.py)
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PYTHON = sys.executable
SETS = [
    (
        "French dev (alwaysdata)",
        SHARED / "data" / "kb_alwaysdata" / "content",
        SHARED / "data" / "alwaysdata_tweets_fr" / "dev.jsonl",
    ),
    (
        "IBM dev (real tweets)",
        SHARED / "data" / "ibm_customer_care" / "kb",
        SHARED / "data" / "ibm_customer_care" / "dev.jsonl",
    ),
]
_NUMBER = r"([0-9.]+)"


def run(args, env, **kw):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, text=True, **kw)


def scored(gold_path, out_path, env):
    text = run(
        [PYTHON, str(SHARED / "eval" / "score_triage.py"), str(gold_path), out_path],
        env,
        capture_output=True,
    ).stdout
    figures = {}
    for name in ("hits@1", "hits@3", "mrr@10"):
        figures[name] = float(re.search(rf"{name} {_NUMBER}", text).group(1))
    match = re.search(rf"precision {_NUMBER}\s+recall {_NUMBER}", text)
    figures["ticket P"], figures["ticket R"] = map(float, match.groups())
    right = re.search(r"right target: (\d+)/(\d+)", text)
    figures["right target"] = f"{right.group(1)}/{right.group(2)}"
    gold = {}
    for line in Path(gold_path).read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        gold[q["id"]] = q["gold"]
    sure = sure_right = articles = 0
    for line in Path(out_path).read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        g = gold[r["id"]]
        if g["kind"] != "article":
            continue
        articles += 1
        if r.get("level") == "sure" and r["target"]["kind"] in ("article", "topic"):
            sure += 1
            sure_right += r["target"].get("source") == g["source"]
    figures["sure P"] = round(sure_right / sure, 3) if sure else 0.0
    figures["sure cov"] = round(sure / articles, 3) if articles else 0.0
    return figures


def baseline(kb, gold_path, env):
    text = run(
        [PYTHON, str(SHARED / "eval" / "bm25_baseline.py"), str(kb), str(gold_path)],
        env,
        capture_output=True,
    ).stdout
    return {
        name: float(re.search(rf"{name} {_NUMBER}", text).group(1))
        for name in ("hits@1", "hits@3", "mrr@10")
    }


COLUMNS = [
    "hits@1",
    "hits@3",
    "mrr@10",
    "ticket P",
    "ticket R",
    "right target",
    "sure P",
    "sure cov",
]


def table(title, rows):
    print(f"\n{title}")
    print(f"{'':<16}" + "".join(f"{c:>13}" for c in COLUMNS))
    for label, figures in rows:
        cells = []
        for column in COLUMNS:
            value = figures.get(column, "—")
            cells.append(
                f"{value:>13.3f}" if isinstance(value, float) else f"{value:>13}"
            )
        print(f"{label:<16}" + "".join(cells))


def main():
    missing = [str(p) for _n, kb, dev in SETS for p in (kb, dev) if not p.exists()]
    if missing:
        sys.exit(f"absent: {', '.join(missing)}")
    outputs = {"ours": [], "lexical": []}
    for title, kb, dev in SETS:
        tmp = tempfile.mkdtemp(prefix="triage-quality-")
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
        run(
            manage + ["kb_import", str(kb)],
            env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        rows = []
        for label, key, semantic in (
            ("ours", "ours", "1"),
            ("lexical only", "lexical", "0"),
        ):
            out = Path(tmp) / f"triage-{key}.jsonl"
            run(
                manage + ["mentions_triage", "--input", str(dev), "--output", str(out)],
                {**env, "SOCIAL_SEMANTIC_MATCHING": semantic},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            kept = Path(tempfile.gettempdir()) / f"triage-{key}-{dev.parent.name}.jsonl"
            shutil.copy(out, kept)
            outputs[key] += [str(dev), str(kept)]
            rows.append((label, scored(dev, str(out), env)))
        rows.append(("plain BM25", baseline(kb, dev, env)))
        table(title, rows)
        if "--keep" in sys.argv:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if "--calibrate" in sys.argv:
        for key in ("ours", "lexical"):
            print(f"\nconfidence model, {key}:")
            run(
                [PYTHON, str(ROOT / "bench" / "triage_calibrate.py"), *outputs[key]], {}
            )


if __name__ == "__main__":
    main()
