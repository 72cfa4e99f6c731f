"""A shared cache in front of the site (a real Varnish) is purged on publish: a new version is
visible through it within 2 seconds, although the pages say s-maxage=300."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from tests.load.daemons import varnish_cache
from tests.load.http_load import fetch
from tests.load.outages import VERSION_LINE
from tests.load.servers import SITE_URL, free_port, gunicorn

pytestmark = pytest.mark.load

SLUG = "load-purge"
SITE_HOST = urlsplit(SITE_URL).netloc


def version_through(cache, url: str) -> tuple[int | None, dict[str, str]]:
    response = fetch(cache.host, cache.port, url)
    match = VERSION_LINE.search(response.decoded) if response.status == 200 else None
    return (int(match.group(1)) if match else None), response.headers


def test_publish_is_visible_through_varnish_within_two_seconds(load_site, tmp_path):
    """The article is cached by Varnish (a second request is a Varnish hit, with the tags a
    CDN purges by); a version is published from another process; Varnish serves it within
    2 s of the commit, three times over."""
    varnish_port = free_port()
    env = {
        **load_site.env,
        "DJANGO_PURGE_URLS": f"http://127.0.0.1:{varnish_port}",
        "DJANGO_ALLOWED_HOSTS": f"127.0.0.1,localhost,{SITE_HOST}",
    }
    assert load_site.publish(SLUG).wait(timeout=120) == 0
    url = f"/articles/{SLUG}/"
    delays = []
    with (
        gunicorn("kratom_info.wsgi", env=env, log=load_site.workdir / "purge.log") as site,
        varnish_cache(
            tmp_path, backend_port=site.port, site_host=SITE_HOST, port=varnish_port
        ) as cache,
    ):
        for _ in range(3):
            before, _ = version_through(cache, url)
            again, headers = version_through(cache, url)
            assert again == before is not None
            assert int(headers.get("age", "0")) >= 0 and len(headers["x-varnish"].split()) == 2
            assert f"article-en-{SLUG}" in headers["surrogate-key"].split()
            assert f"article-en-{SLUG}" in headers["cache-tag"].split(",")
            publisher = load_site.publish(SLUG, env=env)
            line = publisher.stdout.readline()  # printed at the commit, before any purge
            number, committed = int(line.split()[1]), float(line.split()[3])
            assert number > before
            seen = None
            while time.time() - committed < 5:
                if version_through(cache, url)[0] == number:
                    seen = time.time() - committed
                    break
                time.sleep(0.05)
            delays.append(seen)
            publisher.communicate(timeout=120)
            assert publisher.returncode == 0
        assert "Traceback" not in site.log_text()
    assert None not in delays, f"Varnish still served an old version after 5 s: {delays}"
    assert max(delays) <= 2.0, f"visible through Varnish after {delays} s"
