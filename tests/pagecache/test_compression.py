"""Public pages compressed once at the best settings; everything else at the library's quick
ones."""

import gzip

import brotli
import zstandard
from compression_middleware.middleware import brotli_compress, compressor
from django.test import TestCase

from kratom_info.pagecache.compression import negotiated_encoding, public_compressor
from tests.factories import make_article, make_editor, make_revision, make_source


class PublicPageCompressionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        cls.article = make_article("dose")
        body = "".join(
            f"Paragraph {n}: words about doses, mixing and when to get help [@k1].\n\n"
            for n in range(80)
        )
        make_revision(cls.article, body, publish=True)

    def test_a_public_page_is_smaller_than_at_the_library_default_and_decodes_to_the_page(self):
        plain = self.client.get("/articles/dose/").content
        squeezed = self.client.get("/articles/dose/", headers={"accept-encoding": "br"})
        self.assertEqual(squeezed["Content-Encoding"], "br")
        self.assertEqual(brotli.decompress(squeezed.content), plain)
        self.assertLess(len(squeezed.content), len(brotli_compress(plain)))
        zipped = self.client.get("/articles/dose/", headers={"accept-encoding": "gzip"})
        self.assertEqual(gzip.decompress(zipped.content), plain)
        self.assertLessEqual(len(zipped.content), len(compressor("gzip")[1](plain)))
        zst = self.client.get("/articles/dose/", headers={"accept-encoding": "zstd"})
        self.assertEqual(zstandard.ZstdDecompressor().decompress(zst.content), plain)
        self.assertLess(len(zst.content), len(compressor("zstd")[1](plain)))

    def test_gzip_is_zopfli_smaller_than_zlib_at_its_best_and_the_same_every_time(self):
        """Clients without brotli or zstd get zopfli's deflate: smaller than zlib's level 9,
        a standard gzip member with no timestamp, so the same page gives the same bytes."""
        plain = self.client.get("/articles/dose/").content
        first = self.client.get("/articles/dose/", headers={"accept-encoding": "gzip"}).content
        self.assertEqual(gzip.decompress(first), plain)
        self.assertLess(len(first), len(gzip.compress(plain, compresslevel=9, mtime=0)))
        self.assertEqual(first[4:8], b"\0\0\0\0")  # MTIME
        self.assertEqual(public_compressor("gzip")[1](plain), first)

    def test_a_browser_accepting_brotli_and_zstd_gets_brotli(self):
        """The smaller of the two for HTML; the page cache's key names the same encoding."""
        response = self.client.get(
            "/articles/dose/", headers={"accept-encoding": "gzip, deflate, br, zstd"}
        )
        self.assertEqual(response["Content-Encoding"], "br")
        self.assertEqual(negotiated_encoding("gzip, deflate, br, zstd"), "br")
        self.assertEqual(negotiated_encoding("gzip, br;q=0"), "gzip")
        self.assertEqual(negotiated_encoding("identity"), "identity")

    def test_a_query_the_page_reads_gets_the_quick_settings(self):
        """Each search's words make a new page: they must not buy 40 ms of brotli 11 each."""
        squeezed = self.client.get("/search/?q=doses", headers={"accept-encoding": "br"})
        self.assertEqual(squeezed["Content-Encoding"], "br")
        plain = brotli.decompress(squeezed.content)
        self.assertIn(b"doses", plain)
        self.assertEqual(squeezed.content, public_compressor("br", best=False)[1](plain))

    def test_a_tracking_tag_is_the_clean_page(self):
        """A parameter the page does not read is the page at its clean address: the one copy,
        compressed at the best settings once, whatever tag a link carried."""
        clean = self.client.get("/articles/dose/", headers={"accept-encoding": "br"})
        tagged = self.client.get("/articles/dose/?utm=y", headers={"accept-encoding": "br"})
        self.assertEqual(tagged.content, clean.content)
        plain = brotli.decompress(clean.content)
        self.assertEqual(clean.content, public_compressor("br")[1](plain))

    def test_admin_responses_keep_the_library_settings(self):
        """Pages for one editor are compressed at the library's quick default, in its order."""
        self.client.force_login(make_editor("alice", "Author"))
        response = self.client.get(
            "/admin/articles/article/", headers={"accept-encoding": "br, gzip"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Encoding"], "br")
        decoded = brotli.decompress(response.content)
        # The admin page carries a fresh CSRF token each time: compare its compression of
        # what was sent, not the bytes of another response.
        self.assertEqual(response.content, brotli_compress(decoded))
        self.assertGreater(len(response.content), len(brotli.compress(decoded, quality=11)))
