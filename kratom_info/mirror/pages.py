"""Which addresses the static mirror holds, and each one's answer, rendered by the site itself.

Every page is requested in-process through Django's own request cycle (the test client drives
the project's middleware and views), so a mirrored page is byte for byte the page the app sends
for that address. The list starts from what the database says must exist for years (every
published version of every article and its printed short links and QR codes, in each language)
and grows by following every same-site link and asset the rendered pages name, so a page a
reader can reach from another is never left out.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.http import parse_http_date_safe

from kratom_info.articles.models import Article
from kratom_info.citations.models import Source
from kratom_info.languages import url_in
from kratom_info.mirror.rules import KEPT_HEADERS
from kratom_info.pagecache.cache import bypassing_page_cache

# Addresses that answer differently per request or need the app: never mirrored as they are.
# The report form sets a CSRF cookie and takes a POST; search reads its query string; the check's
# result comes from a POST. (kratom_info.mirror.standins writes what the mirror shows instead.)
NOT_MIRRORED_PREFIXES = ("/admin/", "/editorial/", "/healthz", "/readyz")
# A path of /articles/<slug>/report/ (and its thanks page), in any language.
REPORT_SEGMENT = "report"

# Pages no link reaches but readers or machines ask for by address.
SITE_FILES = ("/robots.txt", "/favicon.ico", "/sitemap.xml")
NOT_FOUND_PROBE = "/mirror-not-found-probe/"  # renders the site's 404 page


@dataclass(frozen=True)
class Page:
    """One address's answer as the app gives it."""

    path: str
    status: int
    content_type: str
    body: bytes
    location: str = ""  # for redirects: where to, as the app says it
    # The page's own Last-Modified, for the file's time; None when the app dates it by the
    # latest public change (its file is then dated so at each export)
    last_modified: float | None = None
    # Headers a static server must repeat file by file (rules.KEPT_HEADERS): name -> value
    kept_headers: dict[str, str] = field(default_factory=dict)
    # The same-site paths its links and assets name (no query, no fragment), in order
    links: tuple[str, ...] = ()
    # The page cache's tags for it (Surrogate-Key): the site, the language, its article if any
    tags: tuple[str, ...] = ()
    # Marked as never changing for its address (a QR code, a pinned short link)
    permanent: bool = False
    # Rendered by this export (False: carried over from the last export's manifest, body unread)
    rendered: bool = True

    @property
    def is_redirect(self) -> bool:
        return 300 <= self.status < 400

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    @property
    def holds_file(self) -> bool:
        """Whether the mirror holds the answer as a file (not a redirect rule, not a 404)."""
        return not self.is_redirect and self.status != 404

    def record(self) -> dict:
        """What the manifest keeps of the page, to carry it over without rendering it."""
        return {
            "status": self.status,
            "type": self.content_type,
            "location": self.location,
            "last_modified": self.last_modified,
            "kept": self.kept_headers,
            "links": list(self.links),
            "tags": list(self.tags),
            "permanent": self.permanent,
        }

    @classmethod
    def from_record(cls, path: str, record: dict) -> Page:
        return cls(
            path=path,
            status=int(record["status"]),
            content_type=str(record["type"]),
            body=b"",
            location=str(record.get("location", "")),
            last_modified=record.get("last_modified"),
            kept_headers=dict(record.get("kept", {})),
            links=tuple(record.get("links", ())),
            tags=tuple(record.get("tags", ())),
            permanent=bool(record.get("permanent", False)),
            rendered=False,
        )


@dataclass
class Crawl:
    pages: dict[str, Page] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)  # the addresses rendered, in order
    # (page that links, link target path) for every same-site link that is not mirrored
    unmirrored: set[tuple[str, str]] = field(default_factory=set)
    # static files the pages use (copied from STATIC_ROOT, not rendered)
    static_paths: set[str] = field(default_factory=set)


def site_client() -> Client:
    """A client that asks as a reader's browser would, over the site's public address: no
    cookie, no Accept-Encoding (so bodies come uncompressed; the exporter compresses them)."""
    site = urlsplit(settings.SITE_URL)
    host = site.hostname or "localhost"
    if not _host_allowed(host):
        # Pages build absolute addresses from SITE_URL, never from the Host header, so any
        # allowed name gives the same bytes.
        host = next(
            (h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in ("*",) and h), "localhost"
        )
    return Client(HTTP_HOST=host, secure=site.scheme == "https")


def _host_allowed(host: str) -> bool:
    from django.http.request import validate_host

    allowed = settings.ALLOWED_HOSTS or (
        [".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else []
    )
    return validate_host(host, allowed)


def render(client: Client, path: str) -> Page:
    with bypassing_page_cache():
        response = client.get(path)
    content_type = response.get("Content-Type", "")
    body = b"" if response.streaming else response.content
    location = response.get("Location", "")
    if 300 <= response.status_code < 400:
        named = [location]
    elif content_type.startswith(("text/html", "application/atom+xml", "application/xml")):
        named = links_in(body)
    else:
        named = []
    links = (same_site_path(link, base=path) for link in named)
    return Page(
        path=path,
        status=response.status_code,
        content_type=content_type,
        body=body,
        location=location,
        last_modified=None
        if getattr(response, "dated_by_public_change", False)
        else parse_http_date_safe(response.get("Last-Modified", "")),
        kept_headers={name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
        links=tuple(dict.fromkeys(link for link in links if link is not None)),
        tags=tuple(response.get("Surrogate-Key", "").split()),
        permanent="immutable" in response.get("Cache-Control", ""),
    )


def seed_paths() -> list[str]:
    """What must be in the mirror whatever links to it: each language's front pages, and for
    every article with a published version, every version, its handout, history, diffs between
    consecutive versions, feed, short links and QR codes."""
    paths = [*SITE_FILES]
    for language, _name in settings.LANGUAGES:
        paths += [
            url_in(language, "home"),
            url_in(language, "handouts:clinics"),
            url_in(language, "citations:source_list"),
            url_in(language, "readers:policy"),
            url_in(language, "readers:changes_feed"),
            url_in(language, "readers:search"),
            url_in(language, "tools:index"),
            url_in(language, "tools:tracking_sheet"),
            url_in(language, "tools:tracking_sheet_print"),
            url_in(language, "tools:tracking_sheet_csv"),
            url_in(language, "tools:check"),
        ]
        paths += [
            url_in(language, "citations:source_detail", key=key)
            for key in Source.objects.approved().order_by("key").values_list("key", flat=True)
        ]
    articles = (
        Article.objects.filter(revisions__public_number__isnull=False)
        .exclude(live_revision__isnull=True, withdrawn_at__isnull=True)
        .select_related("short_code")
        .distinct()
        .order_by("language", "slug")
    )
    for article in articles:
        paths += list(article_paths(article))
    return paths


def article_paths(article: Article) -> Iterator[str]:
    language, slug = article.language, article.slug
    numbers = sorted(article.public_revisions().values_list("public_number", flat=True))
    yield url_in(language, "articles:detail", slug=slug)
    yield url_in(language, "articles:history", slug=slug)
    if article.is_published:  # a withdrawn article has no feed and no live handout
        yield url_in(language, "readers:article_feed", slug=slug)
        yield url_in(language, "handouts:handout", slug=slug)
    for old, new in zip(numbers, numbers[1:], strict=False):
        yield url_in(language, "articles:diff", slug=slug, old=old, new=new)
    short_code = getattr(article, "short_code", None)
    for number in numbers:
        yield url_in(language, "articles:version", slug=slug, number=number)
        yield url_in(language, "handouts:handout_version", slug=slug, number=number)
        if short_code is not None:
            yield from _typed_forms("handouts:pinned", code=short_code.code, number=number)
            for fmt in ("svg", "png"):
                yield reverse(
                    "handouts:pinned_qr",
                    kwargs={"code": short_code.code, "number": number, "fmt": fmt},
                )
    if short_code is not None:
        yield from _typed_forms("handouts:live", code=short_code.code)
        if article.is_published:
            for fmt in ("svg", "png"):
                yield reverse("handouts:live_qr", kwargs={"code": short_code.code, "fmt": fmt})


def _typed_forms(viewname: str, **kwargs) -> Iterator[str]:
    """A short link as people may type it from paper: with or without the trailing slash, and
    under each language's prefix (the app answers /es/h/<code> as /h/<code>)."""
    for language, _name in settings.LANGUAGES:
        path = url_in(language, viewname, **kwargs)
        yield from (path, f"{path}/")


def is_mirrored(path: str) -> bool:
    """Whether the mirror holds ``path`` as the app answers it."""
    if path.startswith(NOT_MIRRORED_PREFIXES) or path.startswith(static_prefix()):
        return False
    parts = [part for part in path.split("/") if part]
    return not (len(parts) >= 3 and parts[-1] in (REPORT_SEGMENT, "thanks") and "articles" in parts)


def static_prefix() -> str:
    """The path under which collected static files are served (copied, not rendered)."""
    return urlsplit(urljoin(f"{settings.SITE_URL}/", settings.STATIC_URL)).path


def crawl(
    seeds: Iterable[str],
    client: Client | None = None,
    *,
    carried_over: Callable[[str], Page | None] = lambda path: None,
) -> Crawl:
    """Render ``seeds`` and every same-site page they link to, breadth first. A page
    ``carried_over`` gives (the last export's, still good) is taken as it is, its links followed
    from what the manifest kept, and not rendered."""
    client = client or site_client()
    result = Crawl()
    with _quiet_not_found():
        _crawl(client, seeds, result, carried_over)
    return result


def not_found_pages() -> dict[str, Page]:
    """The site's 404 page in each language, as the app answers an unknown address."""
    client = site_client()
    with _quiet_not_found():
        return {
            language: render(client, url_in(language, "home") + NOT_FOUND_PROBE.lstrip("/"))
            for language, _name in settings.LANGUAGES
        }


@contextmanager
def _quiet_not_found():
    """A 404 is reported as a broken link with the page that links to it; Django's own warning
    line for it would only repeat that without the page."""
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        request_log.setLevel(level)


def _crawl(client: Client, seeds: Iterable[str], result: Crawl, carried_over) -> None:
    queue = deque(dict.fromkeys(seeds))
    seen = set(queue)
    while queue:
        path = queue.popleft()
        page = carried_over(path)
        if page is None:
            page = render(client, path)
            result.rendered.append(path)
        result.pages[path] = page
        for target in page.links:
            if target in seen:
                continue
            if target.startswith(static_prefix()):
                result.static_paths.add(target)
                continue
            if not is_mirrored(target):
                result.unmirrored.add((path, target))
                continue
            seen.add(target)
            queue.append(target)


def same_site_path(link: str, *, base: str) -> str | None:
    """The path (no query, no fragment) that ``link`` on page ``base`` names on this site (a
    fragment alone names ``base`` itself), or None for another site or an e-mail address."""
    if _PLAIN_PATH.match(link):  # most links: the answer without building the URL
        return unquote(link.split("#", 1)[0].split("?", 1)[0]) or "/"
    absolute = urljoin(f"{settings.SITE_URL}{base}", link)
    parts = urlsplit(absolute)
    site = urlsplit(settings.SITE_URL)
    if parts.scheme not in ("http", "https") or parts.netloc != site.netloc:
        return None
    return unquote(parts.path) or "/"


# An absolute path on this site with nothing urljoin would change: no "//" host, no dot
# segment, no backslash, space or control character.
_PLAIN_PATH = re.compile(r"/(?![/\\])(?!.*(?:/\.|\\))[!-~]*\Z")


class _Links(HTMLParser):
    """href and src of every element, and the loc of sitemap/feed entries."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._in_loc = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
        self._in_loc = tag in ("loc",)

    def handle_endtag(self, tag):
        self._in_loc = False

    def handle_data(self, data):
        if self._in_loc and data.strip():
            self.links.append(data.strip())


def links_in(body: bytes) -> list[str]:
    parser = _Links()
    parser.feed(body.decode("utf-8", "replace"))
    parser.close()
    return parser.links
