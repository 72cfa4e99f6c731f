"""Publish new versions of one article through the services, one after another, from a separate
process (as an editor's request on any app server would).

    python -m tests.load.publish SLUG --count 20 --interval 1.2

The article is created on first use. Each version's body names its own number ("Load test
version N."), so a reader can tell a whole version from a mix. Prints one line per publish,
after its commit: ``published N at UNIX_TIME``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def body_for(number: int) -> str:
    filler = " ".join(f"Paragraph {number}.{n} of the load test version." for n in range(40))
    return f"Load test version {number}.\n\n{filler}\n\nEnd of load test version {number}.\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("slug")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--interval", type=float, default=0.0)
    parser.add_argument("--start-delay", type=float, default=0.0)
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kratom_info.settings")
    import django

    django.setup()
    from kratom_info.articles.models import Article
    from kratom_info.articles.services import revision_create, revision_publish_unreviewed

    article, _ = Article.objects.get_or_create(
        slug=options.slug, defaults={"title": "Load test", "order": 999}
    )
    time.sleep(options.start_delay)
    for n in range(options.count):
        if n:
            time.sleep(options.interval)
        number = (article.revisions.order_by("-number").values_list("number", flat=True).first()
                  or 0) + 1  # fmt: skip
        revision = revision_create(
            article=article,
            title="Load test",
            summary=f"Version {number} of the load test article.",
            body=body_for(number),
            change_note=f"Load test change {number}.",
        )
        if revision.number != number:
            sys.stderr.write(f"expected version {number}, made {revision.number}\n")
            return 1
        revision_publish_unreviewed(revision=revision)  # commits before it returns
        sys.stdout.write(f"published {number} at {time.time():.6f}\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
