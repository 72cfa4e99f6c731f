"""Clinic handouts in Chromium: a pinned short link to an old version, and one printed page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from kratom_info.articles.importing import read_articles
from kratom_info.articles.models import Article
from tests.browser.printing import assert_prints_on_one_page
from tests.factories import make_article, make_revision

CONTENT = Path(settings.BASE_DIR) / "content"


class _BrowserTestCase(StaticLiveServerTestCase):
    @pytest.fixture(autouse=True)
    def _browser_page(self, page, artifacts_dir):
        self.page = page
        self.artifacts_dir = artifacts_dir


class PinnedShortLinkTests(_BrowserTestCase):
    def setUp(self):
        self.article = make_article("dose", title="Dose ranges")
        make_revision(self.article, "Low doses feel stimulating.\n", change_note="First version.",
                      publish=True)  # fmt: skip
        make_revision(self.article, "Low doses may feel stimulating.\n",
                      change_note="Softer wording about low doses.", publish=True)  # fmt: skip
        self.code = Article.objects.get(pk=self.article.pk).short_code.code

    def test_pinned_link_reaches_old_version_notice_and_diff(self):
        """A handout's pinned link opens version 1, says it was updated since printing, lists
        version 2's note, and its link leads to the diff."""
        page = self.page
        page.goto(f"{self.live_server_url}/h/{self.code.upper()}/1")
        page.wait_for_url("**/articles/dose/v1/")
        assert page.get_by_text("Low doses feel stimulating.").is_visible()
        notice = page.get_by_role("note")
        assert "updated since your handout was printed" in notice.inner_text()
        assert "Softer wording about low doses." in notice.inner_text()
        page.screenshot(path=str(self.artifacts_dir / "handout-pinned-old.png"), full_page=True)
        notice.get_by_role("link", name="See what changed since version 1").click()
        page.wait_for_url("**/articles/dose/diff/1/2/")
        assert "may" in page.locator(".diff ins").first.inner_text()
        page.go_back()
        page.get_by_role("link", name="Read the current version").click()
        page.wait_for_url("**/articles/dose/")
        assert page.get_by_text("Low doses may feel stimulating.").is_visible()


def _make_handout_articles() -> list[str]:
    """The real articles' handout text (title, main message, key points) from content/ when
    present, plus one deliberately long article: the handout never shows the body."""
    slugs = []
    if (CONTENT / "articles").is_dir():
        for item in read_articles(CONTENT):
            article = make_article(item.slug, title=item.title, order=item.order)
            make_revision(article, title=item.title, summary=item.summary,
                          main_message=item.main_message, key_points=item.key_points,
                          publish=True)  # fmt: skip
            slugs.append(item.slug)
    long = make_article("long-handout", title="Mixing kratom with alcohol, sedatives, opioids "
                        "and other medicines: what to know")  # fmt: skip
    make_revision(
        long,
        title=long.title,
        main_message=(
            "Most serious harms linked to kratom involve mixing it with other drugs, tainted or "
            "spiked products, or heavy use. Avoid mixing it with alcohol, sedatives or opioids, "
            "and know the warning signs that need emergency care: slow breathing, a seizure, "
            "chest pain, or someone you cannot wake."
        ),
        key_points=[
            "If you have depression, bipolar disorder or severe anxiety, talk to a clinician "
            "before you start, stop or change how much kratom you use.",
            "Tell your doctor and pharmacist that you use kratom, because it can change how "
            "some medicines work, including medicines for mood, pain and sleep.",
            "Products vary in strength and can be contaminated, and some products sold as "
            "kratom contain strong lab-made opioids that are not the same as the leaf.",
            "Yellow skin or eyes, dark urine or pain on the right side of the belly can be "
            "signs of liver injury and need a doctor quickly.",
            "A short daily note of mood, sleep and kratom use can help you and your clinician "
            "tell kratom effects apart from your own symptoms.",
        ],
        publish=True,
    )
    slugs.append(long.slug)
    return slugs


class HandoutPrintTests(_BrowserTestCase):
    def test_every_handout_prints_on_one_page_on_letter_and_a4(self):
        """Each article's handout prints to exactly one page on US Letter and on A4."""
        slugs = _make_handout_articles()
        page = self.page
        for slug in slugs:
            page.goto(f"{self.live_server_url}/articles/{slug}/handout/")
            assert page.locator("svg.qr-code").count() == 1
            assert_prints_on_one_page(
                page, self.artifacts_dir, f"handout-{slug}", f"{slug} handout"
            )
        (self.artifacts_dir / "handout-long-Letter.pdf").write_bytes(
            page.pdf(format="Letter", print_background=True)
        )
