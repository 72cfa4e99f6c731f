"""Concurrent editors against a real SQLite file, run in its own process by
tests/editorial/test_concurrency.py (pytest's own test database is in memory).

Usage: python -m tests.editorial.sqlite_concurrency DB_PATH [--deferred]

Several threads, each its own connection, save an edit of the same article at once, then
publish the same approved revision at once. Prints one JSON line: the status code and outcome
of every request. ``--deferred`` drops the SQLite options from settings (Django's defaults),
to show what the settings fix.
"""

from __future__ import annotations

import json
import os
import sys
import threading

THREADS = 6


def main(db_path: str, deferred: bool) -> dict:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kratom_info.settings")
    import django
    from django.conf import settings

    django.setup()
    if deferred:
        settings.DATABASES["default"]["OPTIONS"] = {}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from kratom_info.editorial.models import Publication
    from kratom_info.editorial.services import default_next_review_due
    from tests.factories import (
        make_approved,
        make_article,
        make_editor,
        make_source,
        make_submitted,
    )

    call_command("migrate", verbosity=0)
    make_source("k1")
    authors = [make_editor(f"author{n}", "Author") for n in range(THREADS)]
    reviewer = make_editor("rita", "Reviewer")
    publishers = [make_editor(f"publisher{n}", "Publisher") for n in range(THREADS)]
    saved = make_article("saves")
    make_submitted(saved, author=authors[0])  # v1, which every editor opens
    approved = make_approved(
        make_submitted(make_article("publishes"), author=authors[0]), reviewer=reviewer
    )
    connection.close()

    def run(users, url, data_for) -> list[dict]:
        barrier = threading.Barrier(len(users))
        results: list[dict] = [{} for _ in users]

        def worker(index, user):
            client = Client(raise_request_exception=False)
            client.force_login(user)
            barrier.wait()
            response = client.post(url, data_for(index), follow=True)
            body = response.content.decode(errors="replace")
            results[index] = {
                "status": response.status_code,
                "conflict": "Edit conflict" in body,
                "saved": "Saved saves v" in body,
                "published": "Readers now see it" in body,
                "refused": "cannot be published" in body,
            }
            connection.close()

        threads = [threading.Thread(target=worker, args=pair) for pair in enumerate(users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def edit(index):
        return {
            "based_on": 1,
            "title": "Saves",
            "summary": "Summary.",
            "key_points": "One.\nTwo.\nThree.",
            "body": f"Edit number {index} [@k1].\n",
            "change_note": f"Edit {index}.",
        }

    due = default_next_review_due().isoformat()
    report = {
        "saves": run(authors, reverse("admin:articles_article_edit", args=[saved.pk]), edit),
        "publishes": run(
            publishers,
            reverse("admin:articles_revision_publish", args=[approved.pk]),
            lambda index: {"next_review_due": due},
        ),
        "revisions_saved": saved.revisions.count() - 1,
        "publications": Publication.objects.count(),
    }
    connection.close()
    return report


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], "--deferred" in sys.argv[2:])))  # noqa: T201
