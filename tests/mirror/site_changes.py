"""Changes an editor makes, run against a prepared site from another process (as the nginx
tests' site runs in subprocesses):

    python -m tests.mirror.site_changes new-version SLUG
    python -m tests.mirror.site_changes withdraw SLUG

``new-version`` publishes the live text plus one paragraph as the next version (so the site has
a diff and a superseded /v1/ with its newer-version banner); ``withdraw`` takes an article
offline (its address then answers 410).
"""

from __future__ import annotations

import os
import sys

ADDED_SENTENCE = "Ask a pharmacist before you change how you take anything."


def publish_next_version(article):
    """Publish the live text plus one sentence as ``article``'s next version (without review,
    as imported content is)."""
    from kratom_info.articles.services import revision_create, revision_publish_unreviewed

    live = article.live_revision
    revision = revision_create(
        article=article,
        title=live.title,
        summary=live.summary,
        main_message=live.main_message,
        key_points=list(live.key_points),
        body=f"{live.body}\n\n{ADDED_SENTENCE}\n",
        change_note="Added a sentence on asking a pharmacist.",
    )
    return revision_publish_unreviewed(revision=revision)


def main(argv: list[str]) -> int:
    action, slug = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kratom_info.settings")
    os.environ["DJANGO_EDITORIAL_REQUIRE_2FA"] = "0"  # the superuser below has no phone
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from kratom_info.articles.models import Article
    from kratom_info.editorial.services import article_unpublish

    article = Article.objects.select_related("live_revision").get(slug=slug, language="en")
    if action == "new-version":
        publish_next_version(article)
    elif action == "withdraw":
        user, _ = get_user_model().objects.get_or_create(
            username="mirror-test-admin", defaults={"is_superuser": True, "is_staff": True}
        )
        article_unpublish(article=article, user=user, reason="it is being rewritten")
    else:
        raise SystemExit(f"unknown action {action!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
