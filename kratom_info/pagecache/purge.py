"""Purge shared caches in front of the site (Varnish, nginx) when public content changes.

The app's own page cache is fresh at once on a change (the generation); a shared cache or CDN in
front of it would keep the old page for ``s-maxage`` plus ``stale-while-revalidate``. So every
publish, withdrawal, review-date change and approved source change sends an HTTP ``PURGE`` for
each page it affects to every address in ``DJANGO_PURGE_URLS``, the way Varnish (``return
(purge)`` in ``vcl_recv``) and nginx's cache purge module understand it, with the site's own
Host. Pages also carry ``Surrogate-Key`` and ``Cache-Tag`` headers (the site, the language, the
article) for a CDN that purges by tag.

Purges are sent after the change commits, from a background thread: a shared cache that is slow
or down never holds up the publish. Each one waits the generation TTL first, so that no app
server can hand the purged cache the old page again; a failure is logged and retried with
backoff, a few times.
"""

from __future__ import annotations

import atexit
import http.client
import itertools
import logging
import queue
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.dispatch import Signal
from django.urls import NoReverseMatch

from kratom_info.languages import page_language, url_in

logger = logging.getLogger(__name__)

SITE_TAG = "kratom-site"
RETRY_DELAYS = (1, 2, 5, 15, 60)  # seconds before each new attempt after a failure
REQUEST_TIMEOUT = 2.0
EXIT_WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05
# Pages that list articles or sources, in every language: any change may show on them.
LIST_PAGES = ("home", "citations:source_list", "readers:changes_feed", "handouts:clinics")
SOURCE_LANGUAGE_PAGES = ("readers:sitemap",)
# Pages about one article, in its language.
ARTICLE_PAGES = ("articles:detail", "articles:history", "readers:article_feed", "handouts:handout")
TAGGED_NAMESPACES = frozenset({"articles", "handouts", "readers"})


def article_tag(language: str, slug: str) -> str:
    return f"article-{language}-{slug}"


def tag_response(response, request) -> None:
    """Surrogate-Key (Fastly, Varnish xkey; space-separated) and Cache-Tag (Cloudflare;
    comma-separated): the site, the page's language and, for a page about one article, it."""
    language = page_language(request)
    tags = [SITE_TAG, f"lang-{language}"]
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace in TAGGED_NAMESPACES and "slug" in match.kwargs:
        tags.append(article_tag(language, match.kwargs["slug"]))
    response["Surrogate-Key"] = " ".join(tags)
    response["Cache-Tag"] = ",".join(tags)


#: Sent to work out the pages a change shows on, beyond the lists and the source pages named
#: here: the apps above the page cache that know which pages show what (kratom_info.articles:
#: an article's pages, its translations', the pages of the sources it cites, the articles
#: citing a source) connect in their AppConfig.ready and return a list of paths. Arguments:
#: ``articles`` and ``sources``, lists.
pages_affected = Signal()


def page_paths(names: Iterable[str], languages: Iterable[str], **kwargs) -> list[str]:
    """The address of each named page in each language; pages a language lacks are left out."""
    found = []
    for language in languages:
        for name in names:
            try:
                found.append(url_in(language, name, **kwargs))
            except NoReverseMatch:
                continue
    return found


def affected_paths(*, articles: Iterable = (), sources: Iterable = ()) -> list[str]:
    """The addresses of the pages a change to ``articles`` and ``sources`` shows on."""
    languages = [code for code, _ in settings.LANGUAGES]
    paths = page_paths(LIST_PAGES, languages)
    paths += page_paths(SOURCE_LANGUAGE_PAGES, [settings.LANGUAGE_CODE])
    articles, sources = list(articles), list(sources)
    for source in sources:
        paths += page_paths(["citations:source_detail"], languages, key=source.key)
    for _receiver, found in pages_affected.send(
        sender=affected_paths, articles=articles, sources=sources
    ):
        paths += found
    return list(dict.fromkeys(paths))


def purge_source_pages(source, **kwargs) -> None:
    """An approved source change committed: purge its pages and the articles citing it
    (connected to :data:`kratom_info.citations.signals.source_public_changed` by the
    citations app)."""
    if settings.PURGE_URLS:
        purger.submit(affected_paths(sources=[source]))


@dataclass(order=True)
class _Job:
    not_before: float  # monotonic
    number: int  # in order of submission, among jobs due at the same time
    paths: list[str] = field(compare=False)
    attempt: int = field(default=0, compare=False)


class Purger:
    """One background thread per process that sends the purges, the earliest due first; a
    failed one goes back in the queue, due after its backoff, so an unreachable cache never
    holds up the others."""

    def __init__(self):
        self.jobs: queue.PriorityQueue[_Job] = queue.PriorityQueue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self.numbers = itertools.count()

    def submit(self, paths: list[str]) -> None:
        if not settings.PURGE_URLS or not paths:
            return
        delay = settings.PAGE_CACHE_GENERATION_TTL + 0.1
        self._put(_Job(time.monotonic() + delay, 0, paths))
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="purge", daemon=True)
                self.thread.start()

    def _put(self, job: _Job) -> None:
        job.number = next(self.numbers)
        self.jobs.put(job)

    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            wait = job.not_before - time.monotonic()
            if wait > 0:
                # Not due: back in the queue, and look again soon (a new job may be due first).
                self.jobs.put(job)
                self.jobs.task_done()
                time.sleep(min(wait, POLL_SECONDS))
                continue
            try:
                self._attempt(job)
            finally:
                self.jobs.task_done()

    def _attempt(self, job: _Job) -> None:
        failed = []
        for base in settings.PURGE_URLS:
            problem = purge(base, job.paths)
            if problem:
                failed.append((base, problem))
        if not failed:
            return
        if job.attempt >= len(RETRY_DELAYS):
            logger.error("Purge: gave up after %s attempts: %s", job.attempt + 1, failed)
            return
        delay = RETRY_DELAYS[job.attempt]
        logger.warning("Purge failed (%s); retrying in %s s.", failed, delay)
        self._put(_Job(time.monotonic() + delay, 0, job.paths, job.attempt + 1))

    def wait(self, timeout: float) -> bool:
        """Wait for the queued purges, retries included; True if none is left."""
        deadline = time.monotonic() + timeout
        while self.jobs.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(POLL_SECONDS)
        return True


def purge(base: str, paths: list[str]) -> str | None:
    """PURGE each path at the cache ``base`` (http://host:port); what went wrong, or None."""
    target = urlsplit(base)
    site_host = urlsplit(settings.SITE_URL).netloc
    connection_class = (
        http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(target.hostname, target.port, timeout=REQUEST_TIMEOUT)
    try:
        for path in paths:
            connection.request("PURGE", path, headers={"Host": site_host})
            response = connection.getresponse()
            response.read()
            # 404: nginx's purge module when the page was not cached; nothing to purge.
            if response.status >= 400 and response.status != 404:
                return f"HTTP {response.status} for {path}"
    except OSError as error:
        return f"{type(error).__name__}: {error}"
    finally:
        connection.close()
    return None


purger = Purger()


def purge_after_commit(*, articles: Iterable = (), sources: Iterable = (), using=None) -> None:
    """Purge the pages showing ``articles`` and ``sources`` once the current transaction
    commits (at once outside one); the addresses are worked out then."""
    if not settings.PURGE_URLS:
        return
    from django.db import DEFAULT_DB_ALIAS, transaction

    articles, sources = list(articles), list(sources)
    transaction.on_commit(
        lambda: purger.submit(affected_paths(articles=articles, sources=sources)),
        using=using or DEFAULT_DB_ALIAS,
    )


@atexit.register
def _send_before_exit() -> None:
    """A management command or script that published waits (briefly) for its purges."""
    if purger.thread is not None and purger.thread.is_alive():
        purger.wait(EXIT_WAIT_SECONDS)
