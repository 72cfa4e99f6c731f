"""Reader tools in Chromium: the sheet prints on one page, the check works without JavaScript,
and every tools page passes axe with zero violations."""

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command

from tests.browser.conftest import ARTIFACTS
from tests.browser.printing import assert_prints_on_one_page
from tests.tools.helpers import answers_form, make_cited_sources, make_tools_article


class _ToolsBrowserTestCase(StaticLiveServerTestCase):
    @pytest.fixture(autouse=True)
    def _browser(self, browser, page, artifacts_dir):
        self.browser = browser
        self.page = page
        self.artifacts_dir = artifacts_dir

    def url(self, path: str) -> str:
        return f"{self.live_server_url}{path}"

    def assert_one_page(self, name: str) -> None:
        assert_prints_on_one_page(self.page, self.artifacts_dir, name, name)


class TrackingSheetPrintTests(_ToolsBrowserTestCase):
    def test_sheet_prints_on_one_page_pinned_and_unpinned(self):
        """The sheet fits one page on Letter and A4, with the pinned short link (article
        published) and with the longer fallback address (not yet published)."""
        make_cited_sources()
        self.page.goto(self.url("/tools/tracking-sheet/print/"))
        assert "/tools/tracking-sheet/" in self.page.locator(".short-url").inner_text()
        self.assert_one_page("tracking-sheet-unpinned")
        article = make_tools_article()
        # The browser may keep a public page for its short max-age: a reload revalidates it.
        self.page.reload()
        assert self.page.locator("svg.qr-code").count() == 1
        short = self.page.locator(".short-url").inner_text()
        assert short.endswith(f"/h/{article.short_code.code}/1"), short
        self.assert_one_page("tracking-sheet")
        (ARTIFACTS / "tracking-sheet-Letter.pdf").write_bytes(
            self.page.pdf(format="Letter", print_background=True)
        )

    def test_clinics_page_leads_to_the_printable_sheet(self):
        """From /clinics/, a clinic reaches the printable sheet in one click."""
        self.page.goto(self.url("/clinics/"))
        self.page.get_by_role("link", name="Print the tracking sheet").click()
        self.page.wait_for_url("**/tools/tracking-sheet/print/")
        assert self.page.locator("table.sheet-table tbody").count() == 7


class CheckWithoutJavaScriptTests(_ToolsBrowserTestCase):
    def test_check_works_without_javascript(self):
        """With JavaScript off, a reader answers, is asked again for a skipped question with
        the other answers kept, and reaches the result with a next step."""
        make_cited_sources()
        context = self.browser.new_context(java_script_enabled=False)
        page = context.new_page()
        try:
            page.goto(self.url("/tools/check/"))
            fieldsets = page.locator("fieldset.check-question")
            count = fieldsets.count()
            assert count == len(answers_form())
            for index in range(count - 1):  # skip the last question
                answer = "Yes" if index in (0, 9) else "No"
                fieldsets.nth(index).get_by_label(answer, exact=True).check()
            page.get_by_role("button", name="See my result").click()
            page.wait_for_load_state()
            assert page.get_by_role("heading", name="Please answer every question").is_visible()
            assert fieldsets.nth(0).get_by_label("Yes", exact=True).is_checked()
            fieldsets.nth(count - 1).get_by_label("No", exact=True).check()
            page.get_by_role("button", name="See my result").click()
            page.wait_for_url("**/tools/check/")
            assert page.locator("h1").inner_text() == "Your result: a few signs"
            assert "2 of 14" in page.locator(".result-count").inner_text()
            assert "not a diagnosis" in page.locator(".result-disclaimer").inner_text()
            assert page.get_by_role("link", name="weekly tracking sheet").is_visible()
            page.screenshot(path=str(self.artifacts_dir / "check-result.png"), full_page=True)
        finally:
            context.close()


class ToolsAccessibilityTests(_ToolsBrowserTestCase):
    def test_axe_finds_no_violations(self):
        """axe-core: zero violations on every tools page, the result and the re-ask, and the
        clinics page that lists the sheet, with the bundled content."""
        from axe_playwright_python.sync_playwright import Axe

        call_command("import_content", "--publish-unreviewed-i-understand", verbosity=0)
        # axe is injected as a script: let it past the site's CSP in this test context only.
        context = self.browser.new_context(bypass_csp=True)
        page = context.new_page()
        axe = Axe()
        reports = {}
        try:
            for path in ("/tools/", "/tools/tracking-sheet/", "/tools/tracking-sheet/print/",
                         "/tools/check/", "/clinics/"):  # fmt: skip
                page.goto(self.url(path))
                reports[path] = axe.run(page)
            page.goto(self.url("/tools/check/"))
            page.locator("fieldset.check-question").first.get_by_label("Yes").check()
            page.get_by_role("button", name="See my result").click()
            page.wait_for_load_state()
            reports["check: asked again"] = axe.run(page)
            for fieldset in page.locator("fieldset.check-question").all():
                fieldset.get_by_label("Yes", exact=True).check()
            page.get_by_role("button", name="See my result").click()
            page.wait_for_load_state()
            assert page.locator("h1").inner_text() == "Your result: many signs"
            reports["check: result"] = axe.run(page)
        finally:
            context.close()
        failing = {
            name: report.generate_report()
            for name, report in reports.items()
            if report.violations_count
        }
        assert not failing, "\n\n".join(f"{name}:\n{text}" for name, text in failing.items())
