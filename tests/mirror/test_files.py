"""Where answers go on disk, their compressed twins, and the rule files' formats."""

import gzip

import brotli
import pytest

from kratom_info.mirror.files import (
    UnmirrorablePage,
    compressed_variants,
    fallback_file_for,
    file_for,
)
from kratom_info.mirror.rules import Rules, fallback_page, nginx_locations, nginx_maps


def test_folders_hold_an_index_file_named_for_the_type():
    """A page at /a/ is a/index.html; a feed at /feed/ is feed/index.atom; a file keeps its
    name."""
    assert file_for("/", "text/html; charset=utf-8") == "index.html"
    assert (
        file_for("/es/articles/x/v2/", "text/html; charset=utf-8") == "es/articles/x/v2/index.html"
    )
    assert file_for("/feed/", "application/atom+xml; charset=utf-8") == "feed/index.atom"
    assert file_for("/h/abcd/1/qr.png", "image/png") == "h/abcd/1/qr.png"


@pytest.mark.parametrize(
    ("path", "content_type", "message"),
    [
        ("/data/", "application/json", "no index file serves"),
        ("/sitemap.xml", "text/html", "served as application/xml"),
        ("/report", "text/html", "an unknown type"),
    ],
)
def test_an_address_no_file_can_stand_for_is_refused(path, content_type, message):
    """The export stops, naming the address, rather than write a file a server would type
    wrongly."""
    with pytest.raises(UnmirrorablePage, match=message):
        file_for(path, content_type)


def test_short_links_get_a_fallback_folder_but_file_addresses_do_not():
    assert fallback_file_for("/h/abcd") == "h/abcd/index.html"
    assert fallback_file_for("/h/abcd/3/") == "h/abcd/3/index.html"
    assert fallback_file_for("/favicon.ico") is None


def test_compressed_twins_are_deterministic_and_decompress_to_the_file():
    """gzip carries no time or name, so the same bytes give the same twins."""
    data = ("<p>Kratom facts, plainly written. </p>" * 50).encode()
    first, second = compressed_variants("a/index.html", data), compressed_variants("b.html", data)
    assert first == second
    assert gzip.decompress(first[".gz"]) == data
    assert brotli.decompress(first[".br"]) == data
    assert compressed_variants("qr.png", data) == {}
    assert compressed_variants("tiny.html", b"<p>hi</p>") == {}


def test_fallback_page_escapes_its_target():
    page = fallback_page('/a/"><script>', language="en").decode()
    assert "<script>" not in page
    assert 'content="0; url=/a/&quot;&gt;&lt;script&gt;"' in page


def test_nginx_rules_quote_every_address():
    """Quotes and backslashes in an address cannot end the nginx string early."""
    rules = Rules(
        redirects={'/h/a"b': (302, "/x\\y/")},
        statuses={"/articles/x/": (410, "articles/x/index.html")},
        defaults={"Cache-Control": "public"},
    )
    maps = nginx_maps(rules)
    assert '"/h/a\\"b" "/x\\\\y/";' in maps
    assert 'error_page 410 "/articles/x/index.html";' in nginx_locations(rules)
