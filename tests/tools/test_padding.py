"""Every response of the warning-signs check has one size, whatever the answers: in English
and Spanish, uncompressed and in each encoding the site sends, and it still decodes to the
page a reader sees."""

import gzip
import os

import brotli
import zstandard
from django.test import SimpleTestCase, TestCase

from kratom_info.tools.content import site_check
from kratom_info.tools.padding import (
    COMPRESSED_PADDED_SIZE,
    PADDED_SIZE,
    brotli_padded,
    gzip_padded,
    pad_html,
    zstd_padded,
)
from tests.factories import make_article, make_revision, make_translation
from tests.tools.helpers import answers_form, make_cited_sources, make_tools_article
from tests.tools.test_spanish import spanish_answers

DECODE = {
    "": lambda body: body,
    "gzip": gzip.decompress,
    "br": brotli.decompress,
    "zstd": lambda body: zstandard.ZstdDecompressor().decompress(body),
}
PAD = {"gzip": gzip_padded, "br": brotli_padded, "zstd": zstd_padded}


class PaddingFormatTests(SimpleTestCase):
    def test_each_format_decodes_to_the_body_at_exactly_the_size(self):
        """Bodies small and large (past the target too: the next multiple), every format."""
        for length in (0, 1, 500, 6_000, 20_000, 60_000):
            body = os.urandom(length // 2).hex().encode()
            for encoding, pad in PAD.items():
                with self.subTest(encoding=encoding, length=length):
                    padded = pad(body)
                    self.assertEqual(DECODE[encoding](padded), body)
                    self.assertEqual(len(padded) % COMPRESSED_PADDED_SIZE, 0)
            html = pad_html(body)
            self.assertTrue(html.startswith(body))
            self.assertEqual(len(html) % PADDED_SIZE, 0)

    def test_brotli_padding_fits_every_length(self):
        """Brotli's metadata header grows with its length; every target is still met."""
        for size in range(600, 2_000, 7):
            body = b"<p>kratom</p>" * 20
            self.assertEqual(len(brotli_padded(body, size)), size)
            self.assertEqual(brotli.decompress(brotli_padded(body, size)), body)


class CheckSizeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_cited_sources()
        english = make_tools_article()
        # Every article any answer can list, in both languages: the longest results.
        slugs = {slug for question in site_check().questions for slug in question.articles}
        slugs |= {slug for band in site_check().bands for slug in band.articles}
        for slug in sorted(slugs - {english.slug}):
            original = make_article(slug, title=slug.replace("-", " ").title() * 3)
            live = make_revision(original, "Words.\n", publish=True)
            translation = make_translation(original, title=f"{original.title} (es)")
            make_revision(translation, "Palabras.\n", publish=True, translates=live)

    def answer_sets(self, language):
        form = answers_form if language == "en" else spanish_answers
        ids = [question.id for question in site_check(language).questions]
        return {
            "none": form(()),
            "all": form(ids),
            **{f"only {qid}": form({qid}) for qid in ids},
            f"all but {ids[0]}": form(set(ids) - {ids[0]}),
            "first half": form(ids[: len(ids) // 2]),
            "missing one": form(ids[:3], skip={ids[-1]}),
            "missing all": {},
        }

    def test_every_answer_set_has_one_size_in_every_encoding(self):
        """The questions, an incomplete form and every result: the same number of bytes, in
        both languages, for identity, gzip, brotli and zstd; decoded, the page as usual."""
        for language, prefix in (("en", ""), ("es", "/es")):
            for encoding, decode in DECODE.items():
                expected = COMPRESSED_PADDED_SIZE if encoding else PADDED_SIZE
                headers = {"HTTP_ACCEPT_ENCODING": encoding} if encoding else {}
                responses = {"questions": self.client.get(f"{prefix}/tools/check/", **headers)}
                for name, data in self.answer_sets(language).items():
                    responses[name] = self.client.post(f"{prefix}/tools/check/", data, **headers)
                for name, response in responses.items():
                    with self.subTest(language=language, encoding=encoding, answers=name):
                        self.assertEqual(len(response.content), expected)
                        self.assertEqual(response["Content-Length"], str(expected))
                        self.assertEqual(response.get("Content-Encoding", ""), encoding)
                        self.assertIn("no-transform", response["Cache-Control"])
                        self.assertIn("Accept-Encoding", response["Vary"])
                        page = decode(response.content).decode()
                        self.assertIn("</html>", page)
                        self.assertTrue(page.rsplit("</html>", 1)[1].strip().startswith("<!--"))
                self.assertIn("14</strong>", decode(responses["all"].content).decode())

    def test_the_largest_page_fits_with_room_to_spare(self):
        """The longest page (every sign, every article) uses under three quarters of each
        target, so edited texts can grow before the padding needs a larger size."""
        ids = [question.id for question in site_check().questions]
        for prefix, form in (("", answers_form), ("/es", spanish_answers)):
            data = form(ids)
            for encoding in ("", "gzip", "br", "zstd"):
                with self.subTest(prefix=prefix, encoding=encoding):
                    response = self.client.post(
                        f"{prefix}/tools/check/", data, HTTP_ACCEPT_ENCODING=encoding
                    )
                    page = DECODE[encoding](response.content)
                    unpadded = page[: page.rindex(b"</html>") + len(b"</html>")]
                    size = len(PAD[encoding](unpadded, 1)) if encoding else len(unpadded)
                    target = COMPRESSED_PADDED_SIZE if encoding else PADDED_SIZE
                    self.assertLess(size, target * 3 / 4, (size, target))
