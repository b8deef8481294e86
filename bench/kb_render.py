"""Article page render time, anonymous, uncached vs served from the KB cache.

Run: DJANGO_SETTINGS_MODULE=config.settings_test VAR_DIR=/tmp/kb-bench \
     .venv/bin/python bench/kb_render.py [N]
Builds a throw-away SQLite database in VAR_DIR, loads the demo articles and
times N GET requests with the Django test client. Prints figures only.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")


def main(n):
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from kb.demo import load_demo_articles
    from kb.models import ArticlePage

    load_demo_articles(io.StringIO())
    page = ArticlePage.objects.get(
        source_key="demo/connexion/voyants-box", locale__language_code="fr"
    )
    url = page.url
    client = Client(HTTP_HOST="localhost")

    def timed(clear):
        samples = []
        for _ in range(n):
            if clear:
                cache.clear()
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        return samples

    client.get(url)  # warm templates
    for label, clear in (("uncached", True), ("cached", False)):
        samples = timed(clear)
        samples.sort()
        print(
            f"{label:9s} n={n} mean={statistics.mean(samples):.2f} ms "
            f"median={statistics.median(samples):.2f} ms "
            f"p95={samples[int(len(samples) * 0.95) - 1]:.2f} ms"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
