"""Speed and memory targets, reported as ratios measured in one run (never as timed tests).

    .venv/bin/python scripts/benchmark.py

Each line compares two things measured side by side on this machine, so the numbers hold on a
slow or a fast machine alike:

- page/render: serving a stored article page vs. rendering its Markdown once. Storing the
  rendering is the point of the design; target: a whole page costs less than one render.
- page/home: an article page vs. the home page; target below 3 (article pages stay cheap).
- import memory: peak Python memory of importing content/ vs. the content's size on disk;
  target below 200 (no runaway copies while importing).
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kratom_info.settings")
os.environ["DJANGO_DEBUG"] = "1"
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from kratom_info.articles.models import Article  # noqa: E402
from kratom_info.articles.rendering import render_markdown, sources_for  # noqa: E402

ROUNDS = 200


def per_call(function, rounds: int = ROUNDS) -> float:
    function()  # warm up caches and connections
    start = time.perf_counter()
    for _ in range(rounds):
        function()
    return (time.perf_counter() - start) / rounds


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    content = ROOT / "content"
    content_bytes = sum(p.stat().st_size for p in content.rglob("*") if p.is_file())
    tracemalloc.start()
    call_command("import_content", str(content), "--publish", verbosity=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    article = Article.objects.published().order_by("-live_revision__body").first()
    body = article.live_revision.body
    sources = sources_for(body)
    client = Client()
    url = article.get_absolute_url()

    page = per_call(lambda: client.get(url))
    home = per_call(lambda: client.get("/"))
    render = per_call(lambda: render_markdown(body, sources), rounds=50)

    rows = [
        (
            "page/render",
            page / render,
            1.0,
            f"article page {page * 1e3:.2f} ms, render {render * 1e3:.2f} ms",
        ),
        ("page/home", page / home, 3.0, f"home {home * 1e3:.2f} ms"),
        (
            "import memory",
            peak / content_bytes,
            200.0,
            f"peak {peak / 1e6:.1f} MB for {content_bytes / 1e3:.0f} kB",
        ),
    ]
    failed = False
    for name, ratio, target, detail in rows:
        ok = ratio < target
        failed |= not ok
        print(
            f"{name:<14} {ratio:8.2f}  target < {target:<6g} {'ok' if ok else 'MISSED'}  ({detail})"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
