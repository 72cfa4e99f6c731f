"""Readers never see a broken or mixed page while versions are published under load."""

from __future__ import annotations

import re
import time

import pytest

from tests.load.http_load import LABEL, fetch, run_load
from tests.load.servers import gunicorn

pytestmark = pytest.mark.load

SLUG = "load-test"
VERSION_LINE = re.compile(rb"Version (\d+), published")
BODY_MARK = re.compile(rb"Load test version (\d+)\.")
END_MARK = re.compile(rb"End of load test version (\d+)\.")


def whole_version(response) -> str:
    """What is wrong with the page, or (labelled as accepted) its version if it is one whole
    version: its version line and the numbers in its body's first and last lines agree, and
    the page is complete."""
    body = response.decoded
    if response.status != 200:
        return f"HTTP {response.status}"
    numbers = {
        name: [int(n) for n in pattern.findall(body)]
        for name, pattern in (("line", VERSION_LINE), ("body", BODY_MARK), ("end", END_MARK))
    }
    if any(len(found) != 1 for found in numbers.values()):
        return f"not one version: {numbers}"
    if len({found[0] for found in numbers.values()}) != 1:
        return f"mixed versions: {numbers}"
    if not body.rstrip().endswith(b"</html>"):
        return "incomplete page"
    return f"{LABEL}v{numbers['line'][0]}"


def test_publishing_twenty_versions_under_load(load_site):
    """30 s of load at 32 connections on the live article (half asking for gzip) while 20 new
    versions are published one after another through the services: no error, and every
    answer is one whole version; the last one is served at the end."""
    first = load_site.publish(SLUG)
    assert first.wait(timeout=120) == 0
    with gunicorn("kratom_info.wsgi", env=load_site.env, log=load_site.workdir / "g1.log") as site:
        url = f"/articles/{SLUG}/"
        start_version = int(VERSION_LINE.search(fetch(site.host, site.port, url).body).group(1))
        publisher = load_site.publish(SLUG, count=20, interval=1.2)
        started = time.monotonic()
        result = run_load(
            site.host,
            site.port,
            [url],
            connections=32,
            seconds=30,
            max_requests=300_000,
            variants=({}, {"Accept-Encoding": "gzip"}),
            check=whole_version,
        )
        publisher_output, _ = publisher.communicate(timeout=120)
        assert publisher.returncode == 0, publisher_output
        published = [int(line.split()[1]) for line in publisher_output.splitlines()]
        assert published == list(range(start_version + 1, start_version + 21))
        assert time.monotonic() - started < 120
        assert result.errors == 0, result.failures
        assert result.requests > 1000
        # Readers saw the versions change under them (not one cached page throughout).
        assert len(result.labels) >= 10, result.labels
        # Every worker serves the last version once its generation TTL (0.5 s) has passed.
        time.sleep(1)
        for _ in range(8):
            final = fetch(site.host, site.port, url)
            assert whole_version(final) == f"{LABEL}v{published[-1]}"
        assert "Traceback" not in site.log_text()
