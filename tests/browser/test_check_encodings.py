"""Chromium reads the check's padded responses in every encoding the site sends: the padding
(a gzip header comment, a brotli metadata block, a zstd skippable frame) decodes to nothing."""

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from kratom_info.tools.padding import COMPRESSED_PADDED_SIZE
from tests.tools.helpers import make_cited_sources


class CheckEncodingsTests(StaticLiveServerTestCase):
    @pytest.fixture(autouse=True)
    def _browser(self, browser):
        self.browser = browser

    def test_result_reads_the_same_in_every_encoding(self):
        """For gzip, brotli and zstd: the questions and the result show as usual, and each
        response arrived in that encoding at the padded size."""
        make_cited_sources()
        for encoding in ("gzip", "br", "zstd"):
            context = self.browser.new_context(extra_http_headers={"Accept-Encoding": encoding})
            page = context.new_page()
            seen = []
            page.on(
                "response",
                lambda response, seen=seen: (
                    seen.append(response.all_headers()) if "/tools/check/" in response.url else None
                ),
            )
            try:
                page.goto(f"{self.live_server_url}/tools/check/")
                for fieldset in page.locator("fieldset.check-question").all():
                    fieldset.get_by_label("No", exact=True).check()
                page.get_by_role("button", name="See my result").click()
                page.wait_for_url("**/tools/check/")
                page.wait_for_load_state()
                assert "0 of 14" in page.locator(".result-count").inner_text(), encoding
                assert [h.get("content-encoding") for h in seen] == [encoding] * 2, seen
                sizes = {h.get("content-length") for h in seen}
                assert sizes == {str(COMPRESSED_PADDED_SIZE)}, sizes
            finally:
                context.close()
