#!/usr/bin/env python3
"""Fit the confidence model of social_redirect/triage/confidence.py.

Reads `mentions_triage` outputs (with their "features") and the gold files,
for the French and IBM dev sets together: every tweet whose gold is an
article is one example, labelled 1 when the first candidate is right. Fits a
logistic regression (numpy, L2 5, features standardised) with the post's
language as a feature and every figure also crossed with it: the same
figure does not mean the same in each language (a French post shares fewer
exact words with its article than an English one, and the English set's
knowledge base is harder), so each language gets its own weights, fitted
together. Reports the 5-fold cross-validated precision and coverage at the
"sure" level, overall and per language, and prints the coefficients per
language to paste into confidence.py. Levels: "sure" is the lowest
probability at which the cross-validated predictions above it are right at
least 85 % of the time; "check" is 0.45.

Usage: bench/triage_calibrate.py GOLD1 OUT1 [GOLD2 OUT2 ...]
       (bench/triage_quality.py --calibrate runs it on its own outputs)
"""

import json
import sys
from pathlib import Path

import numpy as np

FEATURES = [
    "top",
    "margin",
    "lexical",
    "dense",
    "coverage",
    "words",
    "branded",
    "agree",
    # Each leg's own view: the chosen article's rank in the lexical and in
    # the embedding ranking, whether both legs alone put the same article
    # first, and each leg's lead of its first over its second.
    "lexical_rank",
    "dense_rank",
    "legs_agree",
    "lexical_margin",
    "dense_margin",
]
TARGET_PRECISION = 0.85
LANGUAGES = ("en", "fr")
L2 = 5.0


def examples(pairs):
    rows = []
    groups = []
    for group, (gold_path, out_path) in enumerate(pairs):
        gold = {}
        for line in Path(gold_path).read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            gold[q["id"]] = q["gold"]
        for line in Path(out_path).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            g = gold.get(r["id"])
            if not g or g["kind"] != "article" or not r.get("features"):
                continue
            first = (r.get("candidates") or [{}])[0].get("source")
            x = [float(r["features"].get(k, 0.0)) for k in FEATURES]
            rows.append((x, float(first == g["source"]), r.get("lang") == "fr"))
            groups.append(group)
    x = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows])
    french = np.array([float(r[2]) for r in rows])
    return with_language(x, french), y, np.array(groups)


def with_language(x, french):
    """The figures (English weights), then "French" and the figures again
    for French posts only (French weights = English + these)."""
    return np.c_[x, french, x * french[:, None]]


def per_language(w, b):
    """{lang: (coefficients, intercept)} from the weights of ``with_language``."""
    n = len(FEATURES)
    base, offset, crossed = w[:n], w[n], w[n + 1 :]
    return {"en": (base, b), "fr": (base + crossed, b + offset)}


def fit(x, y, l2=L2, steps=3000, lr=0.5):
    mean, std = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / std
    w = np.zeros(z.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        w -= lr * ((z.T @ (p - y)) / len(y) + l2 * w / len(y))
        b -= lr * float((p - y).mean())
    # Back to the raw features' scale.
    return w / std, b - float((w / std) @ mean)


def predict(x, w, b):
    return 1 / (1 + np.exp(-(x @ w + b)))


def cross_validated(x, y, folds=5, seed=7):
    order = np.random.default_rng(seed).permutation(len(y))
    p = np.zeros(len(y))
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(order, test)
        w, b = fit(x[train], y[train])
        p[test] = predict(x[test], w, b)
    return p


def sure_level(p, y):
    for t in np.arange(0.3, 0.99, 0.01):
        chosen = p >= t
        if chosen.sum() >= 5 and y[chosen].mean() >= TARGET_PRECISION:
            return round(float(t), 2)
    return 0.99


def main(args):
    pairs = list(zip(args[0::2], args[1::2], strict=True))
    x, y, groups = examples(pairs)
    p = cross_validated(x, y)
    sure = sure_level(p, y)
    print(f"{len(y)} examples, first candidate right {y.mean():.3f}")
    for label, keep in [("both sets", groups >= 0)] + [
        (pairs[g][0], groups == g) for g in range(len(pairs))
    ]:
        chosen = (p >= sure) & keep
        precision = y[chosen].mean() if chosen.any() else 0.0
        print(
            f"  5-fold CV, 'sure' from {sure:.2f} on {label}: precision "
            f"{precision:.3f}, coverage {chosen.sum() / keep.sum():.3f}"
        )
    w, b = fit(x, y)
    models = per_language(w, b)
    print("COEFFICIENTS = {")
    for lang in LANGUAGES:
        print(f'    "{lang}": {{')
        for name, value in zip(FEATURES, models[lang][0], strict=True):
            print(f'        "{name}": {value:.4f},')
        print("    },")
    print("}")
    print("INTERCEPTS = {")
    for lang in LANGUAGES:
        print(f'    "{lang}": {models[lang][1]:.4f},')
    print("}")
    print(f"SURE = {sure}")


if __name__ == "__main__":
    main(sys.argv[1:])
