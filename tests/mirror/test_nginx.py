"""The export served by nginx alone (the shipped deploy/nginx/kratom-mirror.conf), crawled like a
reader would, and compared page by page with the app serving the same database."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import brotli
import pytest

from kratom_info.mirror.files import Writer
from tests.load.servers import SITE_URL
from tests.mirror.conftest import UPDATED, WITHDRAWN
from tests.mirror.servers import nginx_serving

pytestmark = pytest.mark.mirror

# Headers the mirror must send as the app does (ETag differs by nature: nginx's own validator).
COMPARED_HEADERS = (
    "content-type",
    "cache-control",
    "content-disposition",
    "content-language",
    "x-robots-tag",
    "referrer-policy",
    "last-modified",
)


def assert_same_answer(path: str, answer, expected) -> None:
    """The same status and bytes, the same target for a redirect, and the same headers that
    matter (COMPARED_HEADERS)."""
    assert answer.status == expected.status, path
    if 300 <= expected.status < 400:
        assert answer.headers["location"] == expected.headers["location"], path
        assert answer.headers["cache-control"] == expected.headers["cache-control"], path
        return
    assert answer.body == expected.body, path
    for header in COMPARED_HEADERS:
        if header == "last-modified" and header not in expected.headers:
            continue  # a file server dates every file; the app leaves no-store pages undated
        assert answer.headers.get(header) == expected.headers.get(header), (path, header)


class _Html(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def parse(body: bytes) -> _Html:
    parser = _Html()
    parser.feed(body.decode("utf-8"))
    parser.close()
    return parser


def on_site(link: str, base: str) -> tuple[str, str] | None:
    """(path, fragment) of a same-site link, else None."""
    parts = urlsplit(urljoin(f"{SITE_URL}{base}", link))
    if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(SITE_URL).netloc:
        return None
    return parts.path, parts.fragment


def crawl(mirror, starts):
    """Every page reachable from ``starts`` on the mirror: {path: response}, and every
    (page, target path, fragment) link seen."""
    responses, links = {}, []
    queue = list(starts)
    while queue:
        path = queue.pop(0)
        if path in responses:
            continue
        response = responses[path] = mirror.get(path)
        if 300 <= response.status < 400:
            target = on_site(response.headers["location"], path)
            links.append((path, target[0], ""))
            queue.append(target[0])
        elif response.headers.get("content-type", "").startswith("text/html"):
            for link in parse(response.body).links:
                target = on_site(link, path)
                if target is not None:
                    links.append((path, *target))
                    queue.append(target[0])
    return responses, links


@pytest.fixture(scope="module")
def crawled(served_export):
    manifest = json.loads((served_export.export / "_mirror" / "manifest.json").read_text())
    return crawl(served_export.mirror, ["/", "/es/", *manifest["standins"]])


def test_crawl_from_both_home_pages_finds_no_broken_link_or_fragment(served_export, crawled):
    """Every link on every page reachable from / and /es/ answers, and every #fragment names an
    element of its page; only the withdrawn article's address answers 410."""
    responses, links = crawled
    assert len(responses) > 300
    gone = {f"/articles/{WITHDRAWN}/"}
    broken = sorted(
        (page, target, responses[target].status)
        for page, target, _ in links
        if responses[target].status not in (200, 301, 302) and target not in gone
    )
    assert broken == []
    for path in gone:
        assert responses[path].status == 410
        assert b"withdrawn" in responses[path].body
    ids = {
        path: parse(response.body).ids
        for path, response in responses.items()
        if response.headers.get("content-type", "").startswith("text/html")
    }
    missing = sorted(
        (page, f"{target}#{fragment}")
        for page, target, fragment in links
        if fragment and fragment not in ids.get(target, set())
    )
    assert missing == []


def test_every_page_is_the_page_the_app_serves(served_export, crawled):
    """Same status, same bytes (plain, and decompressed from the .gz/.br files) and the same
    headers that matter as the app, for every page the crawl reached except the mirror's own
    stand-ins."""
    responses, _ = crawled
    standins = set(
        json.loads((served_export.export / "_mirror" / "manifest.json").read_text())["standins"]
    )
    compared = 0
    for path, mirrored in sorted(responses.items()):
        if path in standins or urlsplit(path).path.startswith("/static/"):
            continue
        live = served_export.app.get(path)
        assert_same_answer(path, mirrored, live)
        if 300 <= live.status < 400:
            continue
        for encoding, decompress in (("gzip", gzip.decompress), ("br", brotli.decompress)):
            packed = served_export.mirror.get(path, **{"Accept-Encoding": encoding})
            if packed.headers.get("content-encoding") == encoding:
                assert decompress(packed.body) == live.body, (path, encoding)
        compared += 1
    assert compared > 300


def test_every_sitemap_address_is_served(served_export):
    """Each <loc> of the sitemap (and each hreflang alternate) answers 200 on the mirror."""
    sitemap = served_export.mirror.get("/sitemap.xml")
    assert sitemap.status == 200
    text = sitemap.body.decode()
    locations = [part.split("<", 1)[0] for part in text.split("<loc>")[1:]]
    alternates = [part.split('"', 1)[0] for part in text.split('href="')[1:]]
    assert len(locations) >= 10
    for url in locations + alternates:
        assert url.startswith(SITE_URL)
        assert served_export.mirror.get(url.removeprefix(SITE_URL)).status == 200, url


def _short_links(export) -> list[tuple[str, int, str]]:
    rules = []
    for line in (export / "_redirects").read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith(("/h/", "/es/h/")):
            rules.append((parts[0], int(parts[2]), parts[1]))
    return rules


def test_every_short_link_and_pinned_version_leads_where_the_app_does(served_export):
    """/h/<code> and /h/<code>/<N> (with and without the slash) redirect as the app does, to
    the same page; a withdrawn article's short link leads to its 410 notice."""
    links = _short_links(served_export.export)
    pinned = [link for link in links if link[0].rstrip("/").split("/")[-1].isdigit()]
    assert len(pinned) >= 40 and any(link.endswith(("/2", "/2/")) for link, _, _ in pinned)
    for path, status, target in links:
        mirrored, live = served_export.mirror.get(path), served_export.app.get(path)
        assert (mirrored.status, mirrored.headers["location"]) == (status, target)
        assert (live.status, live.headers["location"]) == (status, target)
        landed, live_landed = served_export.mirror.get(target), served_export.app.get(target)
        assert landed.status == live_landed.status, target
        assert landed.body == live_landed.body, target
        assert landed.status == (410 if target == f"/articles/{WITHDRAWN}/" else 200)


def test_superseded_version_shows_its_newer_version_banner(served_export):
    """The pinned /v1/ of the updated article is the app's page, banner and diff link
    included."""
    page = served_export.mirror.get(f"/articles/{UPDATED}/v1/")
    assert page.status == 200
    assert f"/articles/{UPDATED}/diff/1/2/".encode() in page.body
    assert served_export.mirror.get(f"/articles/{UPDATED}/diff/1/2/").status == 200


def test_qr_codes_decode_to_addresses_the_mirror_serves(served_export):
    """Every exported QR image (PNG) decodes to a short link on the public address that the
    mirror resolves to a page."""
    from PIL import Image
    from pyzbar.pyzbar import decode

    images = sorted(served_export.export.glob("h/**/qr.png"))
    assert len(images) >= 40
    for image in images:
        (symbol,) = decode(Image.open(io.BytesIO(image.read_bytes())))
        url = symbol.data.decode()
        assert url.startswith(f"{SITE_URL}/h/"), url
        redirect = served_export.mirror.get(url.removeprefix(SITE_URL))
        assert redirect.status in (301, 302), url
        assert served_export.mirror.get(redirect.headers["location"]).status in (200, 410), url


def test_the_check_form_posts_to_the_count_page(served_export):
    """The warning-signs check posts its answers; the mirror, which cannot score them, sends the
    reader on (303) to the page of result counts, in the form's language."""
    import http.client

    for prefix in ("", "/es"):
        connection = http.client.HTTPConnection("127.0.0.1", served_export.mirror.port, timeout=5)
        connection.request(
            "POST",
            f"{prefix}/tools/check/",
            body="q_daily=yes",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        assert response.status == 303
        assert response.getheader("Location") == f"{prefix}/tools/check/count/"
        connection.close()
    count_page = served_export.mirror.get("/tools/check/count/")
    assert count_page.status == 200
    result = served_export.mirror.get("/tools/check/result/0/")
    assert result.status == 200 and b"0 of" in result.body


def test_server_files_and_unknown_addresses_are_not_served(served_export):
    """The export's rule files are refused, and an unknown address gets the site's 404 page in
    its language."""
    for path in ("/_mirror/manifest.json", "/_redirects", "/_headers"):
        assert served_export.mirror.get(path).status == 404
    english, spanish = (served_export.mirror.get(p) for p in ("/no-such-page/", "/es/nada/"))
    assert (english.status, spanish.status) == (404, 404)
    assert b'lang="en"' in english.body and b'lang="es"' in spanish.body


def test_a_re_exported_page_is_served_within_seconds(served_export):
    """The shipped config keeps open files and lookups (open_file_cache) for speed; a page the
    export rewrites (atomically, by renaming a new file into place) is still served within
    open_file_cache_valid (2 s), plain and precompressed, and a page that appears is found."""
    workdir = Path(tempfile.mkdtemp(prefix="kratom-mirror-fresh-"))
    workdir.chmod(0o755)
    try:
        export = workdir / "export"
        shutil.copytree(served_export.export, export)
        page, new_page = "/articles/what-kratom-is/", "/articles/what-kratom-is/v99/"
        with nginx_serving(export) as mirror:
            for encoding in ("identity", "gzip", "br"):  # now in nginx's cache of open files
                assert mirror.get(page, **{"Accept-Encoding": encoding}).status == 200
            assert mirror.get(new_page).status == 404  # and this miss too
            old = (export / page.strip("/") / "index.html").read_bytes()
            changed = old.replace(b"</main>", b"<p>Fresh.</p></main>")
            writer = Writer(export, mtime=None)
            writer.put(f"{page.strip('/')}/index.html", changed)
            writer.put(f"{new_page.strip('/')}/index.html", changed)
            started = time.monotonic()
            waiting = {"identity", "gzip", "br", "new"}
            while waiting and time.monotonic() - started < 5:
                for encoding in sorted(waiting):
                    path, sent = (new_page, "identity") if encoding == "new" else (page, encoding)
                    answer = mirror.get(path, **{"Accept-Encoding": sent})
                    if answer.status == 200 and answer.decoded == changed:
                        waiting.discard(encoding)
                time.sleep(0.1)
            seconds = time.monotonic() - started
        assert not waiting, f"still the old answer after {seconds:.1f} s: {sorted(waiting)}"
        assert seconds < 3.5, f"the new page took {seconds:.1f} s to be served"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
