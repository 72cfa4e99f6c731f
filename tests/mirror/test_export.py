"""site_export on the bundled content: deterministic, incremental (only the pages showing a
change rendered, the result the same as a full export's), only changed files rewritten, stale
ones removed, bad input refused."""

from __future__ import annotations

import fcntl
import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings

from kratom_info.articles.importing import import_content
from kratom_info.articles.models import Article
from kratom_info.citations.models import Source
from kratom_info.editorial.services import article_unpublish
from kratom_info.mirror.export import LOCK, ExportError, site_export
from kratom_info.source_review.services import source_change_approve, source_change_propose
from kratom_info.tools.content import site_check
from tests.factories import make_editor
from tests.mirror.site_changes import publish_next_version

ROOT = Path(__file__).resolve().parents[2]


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def dates(root: Path) -> dict[str, float]:
    """Each file's time (what nginx sends as Last-Modified), but the lock's."""
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "export.lock"
    }


def identities(root: Path, names) -> dict[str, tuple[int, int]]:
    """(inode, mtime in ns) of files: a rewritten file gets a new inode (written beside and
    renamed into place)."""
    return {name: ((root / name).stat().st_ino, (root / name).stat().st_mtime_ns) for name in names}


@override_settings(
    ALLOWED_HOSTS=["127.0.0.1"], SITE_URL="https://kratom.example.org", EDITORIAL_REQUIRE_2FA=False
)
class SiteExportTests(TestCase):
    @classmethod
    def setUpClass(cls):
        # Before setUpTestData, which exports: the pages' static files, collected.
        cls.workdir = Path(tempfile.mkdtemp(prefix="kratom-export-test-"))
        cls.static = override_settings(STATIC_ROOT=cls.workdir / "static")
        cls.static.enable()
        call_command("collectstatic", "--noinput", verbosity=0)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        cls.static.disable()
        shutil.rmtree(cls.workdir, ignore_errors=True)
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        import_content(ROOT / "content", publish=True)
        # One export of the imported site; each test starts from a copy (as a server's folder
        # holds the last export) rather than exporting again.
        cls.base = cls.workdir / "base"
        cls.base_report = site_export(cls.base)

    def setUp(self):
        self.out = Path(tempfile.mkdtemp(dir=self.workdir)) / "site"
        shutil.copytree(self.base, self.out)

    def _new_version(self, slug: str) -> None:
        publish_next_version(Article.objects.get(slug=slug, language="en"))

    def assert_same_as_a_full_export(self):
        """The folder holds what a full export of the same database into an empty folder
        writes: the same files, byte for byte (the manifest too), dated the same."""
        fresh = Path(tempfile.mkdtemp(dir=self.workdir)) / "site"
        site_export(fresh, full=True)
        incremental, full = tree(self.out), tree(fresh)
        self.assertEqual(sorted(incremental.keys() ^ full.keys()), [])
        self.assertEqual([name for name in full if incremental[name] != full[name]], [])
        incremental_dates, full_dates = dates(self.out), dates(fresh)
        self.assertEqual(
            [name for name in full_dates if incremental_dates[name] != full_dates[name]], []
        )

    def test_same_database_gives_byte_identical_files(self):
        """Two exports of one database, into two folders, hold the same files, byte for byte."""
        other = Path(tempfile.mkdtemp(dir=self.workdir))
        site_export(other)
        first, second = tree(self.base), tree(other)
        self.assertGreater(len(first), 1000)
        self.assertEqual(first.keys(), second.keys())
        self.assertEqual([k for k in first if first[k] != second[k]], [])

    def test_every_language_article_version_and_short_link_is_exported(self):
        """Both languages' pages, each version's page, handout and QR codes, short-link
        fallback pages and redirect rules in nginx's and _redirects' formats."""
        self.assertEqual(self.base_report.broken_links, [])
        article = Article.objects.get(slug="tolerance", language="en")
        code = article.short_code.code
        for name in (
            "index.html", "es/index.html", "404.html", "es/404.html", "sitemap.xml",
            "robots.txt", "feed/index.atom", "es/feed/index.atom", "clinics/index.html",
            "es/clinics/index.html", "sources/index.html", "editorial-policy/index.html",
            "articles/tolerance/index.html", "articles/tolerance/index.html.br",
            "articles/tolerance/index.html.gz", "articles/tolerance/v1/index.html",
            "articles/tolerance/history/index.html", "articles/tolerance/v1/handout/index.html",
            "es/articles/tolerance/v1/index.html", f"h/{code}/1/qr.svg", f"h/{code}/1/qr.png",
            f"h/{code}/qr.svg", f"h/{code}/index.html", f"h/{code}/1/index.html",
            "tools/tracking-sheet.csv", "es/tools/tracking-sheet.csv",
            "tools/tracking-sheet/print/index.html", "tools/check/index.html",
            "feed/articles/tolerance/index.atom",
        ):  # fmt: skip
            self.assertTrue((self.out / name).is_file(), name)
        redirects = (self.out / "_redirects").read_text()
        self.assertIn(f"/h/{code} /articles/tolerance/ 302\n", redirects)
        self.assertIn(f"/h/{code}/1 /articles/tolerance/v1/ 301\n", redirects)
        maps = (self.out / "_mirror" / "nginx-maps.conf").read_text()
        self.assertIn(f'"/h/{code}/1/" "/articles/tolerance/v1/";', maps)
        fallback = (self.out / f"h/{code}/1/index.html").read_text()
        self.assertIn('http-equiv="refresh" content="0; url=/articles/tolerance/v1/"', fallback)
        self.assertIn('<a href="/articles/tolerance/v1/">', fallback)

    def test_exported_files_are_the_app_answers(self):
        """Each exported page holds exactly the bytes the app sends for its address."""
        for path, name in (
            ("/articles/tolerance/v1/", "articles/tolerance/v1/index.html"),
            ("/es/feed/", "es/feed/index.atom"),
            ("/sitemap.xml", "sitemap.xml"),
            ("/tools/tracking-sheet.csv", "tools/tracking-sheet.csv"),
        ):
            response = self.client.get(path, HTTP_HOST="127.0.0.1", secure=True)
            self.assertEqual(response.status_code, 200, path)
            self.assertEqual((self.out / name).read_bytes(), response.content, path)

    def test_nothing_changed_means_nothing_to_do(self):
        """Under the generation already exported, a second export renders and writes nothing."""
        report = site_export(self.out)
        self.assertTrue(report.up_to_date)
        self.assertEqual(report.written, [])

    def test_a_publish_rewrites_only_the_files_it_changed(self):
        """After a new version of one article, its pages (and lists that show it) are written;
        another article's frozen version page and the static files are not rewritten."""
        untouched = self.out / "articles/dose-ranges-and-effects/v1/index.html"
        before = untouched.read_bytes()
        self._new_version("tolerance")
        report = site_export(self.out)
        self.assertFalse(report.up_to_date)
        written = set(report.written)
        for name in (
            "articles/tolerance/v2/index.html",
            "articles/tolerance/v1/index.html",  # its banner now names version 2
            "articles/tolerance/diff/1/2/index.html",
            "articles/tolerance/history/index.html",
            "feed/index.atom",
        ):
            self.assertIn(name, written)
        self.assertNotIn("articles/dose-ranges-and-effects/v1/index.html", written)
        self.assertFalse(any(name.startswith("static/") for name in written))
        self.assertEqual(untouched.read_bytes(), before)
        self.assertLess(
            len(written),
            len(json.loads((self.out / "_mirror/manifest.json").read_text())["files"]) / 2,
        )

    def test_a_publish_renders_only_the_pages_that_show_it(self):
        """The incremental export renders the article's pages (its new /v2/, the /v1/ whose
        banner names it, history, diff, handouts, feed), its translation's (which now lags
        behind), the lists, feeds and sitemap; not another article's pages, whose files are
        not even rewritten. The folder then holds exactly what a full export writes."""
        unrelated = [
            "articles/dose-ranges-and-effects/index.html",
            "articles/dose-ranges-and-effects/index.html.br",
            "articles/dose-ranges-and-effects/v1/index.html",
            "articles/dose-ranges-and-effects/history/index.html",
        ]
        before = identities(self.out, unrelated)
        self._new_version("tolerance")
        report = site_export(self.out)
        rendered = set(report.rendered)
        for path in (
            "/articles/tolerance/", "/articles/tolerance/v2/", "/articles/tolerance/v1/",
            "/articles/tolerance/history/", "/articles/tolerance/diff/1/2/",
            "/articles/tolerance/handout/", "/articles/tolerance/v2/handout/",
            "/feed/articles/tolerance/", "/es/articles/tolerance/", "/", "/es/",
            "/sitemap.xml", "/feed/", "/es/feed/", "/clinics/", "/sources/",
        ):  # fmt: skip
            self.assertIn(path, rendered)
        for path in (
            "/articles/dose-ranges-and-effects/",
            "/articles/dose-ranges-and-effects/v1/",
            "/es/articles/dose-ranges-and-effects/",
        ):
            self.assertNotIn(path, rendered)
        self.assertLess(len(rendered), report.pages / 3)
        translation = (self.out / "es/articles/tolerance/index.html").read_text()
        self.assertTrue('id="stale-heading"' in translation, "no lag banner on the translation")
        self.assertEqual(identities(self.out, unrelated), before)
        self.assert_same_as_a_full_export()

    def test_a_withdrawal_exports_as_a_full_export_does(self):
        """A withdrawal re-renders the article's pages, drops its live handout and QR code,
        and leaves the folder as a full export of the same database writes it."""
        article = Article.objects.get(slug="tolerance", language="en")
        publisher = make_editor("mirror-publisher", "Publisher")
        article_unpublish(article=article, user=publisher, reason="it is being rewritten")
        report = site_export(self.out)
        self.assertIn("/articles/tolerance/", report.rendered)
        self.assertNotIn("/articles/dose-ranges-and-effects/v1/", report.rendered)
        self.assertIn(f"h/{article.short_code.code}/qr.png", report.removed)
        self.assert_same_as_a_full_export()

    def test_a_source_change_renders_the_pages_citing_it_and_the_source_pages(self):
        """An approved source change renders its pages in each language, the sources list and
        the live articles citing it, and nothing about articles that do not cite it."""
        source = Source.objects.approved().filter(revisions__isnull=False).first()
        citing = Article.objects.filter(live_revision__sources=source).first()
        other = Article.objects.exclude(revisions__sources=source).filter(language="en").first()
        author = make_editor("mirror-author", "Author")
        reviewer = make_editor("mirror-reviewer", "Reviewer")
        change = source_change_propose(
            user=author, source=source, values={"title": "A corrected title"}, note="Typo."
        )
        source_change_approve(change=change, user=reviewer, note="Checked.")
        report = site_export(self.out)
        for path in (f"/sources/{source.key}/", f"/es/sources/{source.key}/", "/sources/"):
            self.assertIn(path, report.rendered)
        self.assertIn(citing.get_absolute_url(), report.rendered)
        self.assertNotIn(other.get_absolute_url(), report.rendered)
        self.assert_same_as_a_full_export()

    def test_a_file_changed_behind_the_exports_back_is_rendered_again(self):
        """A page whose file no longer holds what the manifest says is rendered and written
        again, even though what it shows did not change."""
        damaged = self.out / "articles/dose-ranges-and-effects/v1/index.html"
        damaged.write_bytes(b"edited by hand")
        (self.out / "articles/dose-ranges-and-effects/index.html.br").unlink()
        self._new_version("tolerance")
        report = site_export(self.out)
        self.assertIn("/articles/dose-ranges-and-effects/v1/", report.rendered)
        self.assertIn("/articles/dose-ranges-and-effects/", report.rendered)
        self.assert_same_as_a_full_export()

    def test_a_manifest_of_another_format_means_a_full_export(self):
        """An export that cannot trust the manifest renders every page."""
        manifest = self.out / "_mirror/manifest.json"
        data = json.loads(manifest.read_text())
        data["format"] = 1
        manifest.write_text(json.dumps(data))
        self._new_version("tolerance")
        report = site_export(self.out)
        pages = json.loads(manifest.read_text())["pages"]
        self.assertEqual(sorted(report.rendered), sorted(pages))
        self.assert_same_as_a_full_export()

    def test_a_withdrawal_answers_410_and_removes_what_no_longer_exists(self):
        """A withdrawn article's address is served with 410 and its notice; its live handout
        and QR of the live link are removed; every version page stays."""
        article = Article.objects.get(slug="tolerance", language="en")
        code = article.short_code.code
        self.assertTrue((self.out / "articles/tolerance/handout/index.html").is_file())
        publisher = make_editor("mirror-publisher", "Publisher")
        article_unpublish(article=article, user=publisher, reason="it is being rewritten")
        report = site_export(self.out)
        self.assertIn("articles/tolerance/handout/index.html", report.removed)
        self.assertIn(f"h/{code}/qr.svg", report.removed)
        self.assertTrue((self.out / "articles/tolerance/v1/index.html").is_file())
        self.assertIn(b"withdrawn", (self.out / "articles/tolerance/index.html").read_bytes())
        locations = (self.out / "_mirror/nginx-locations.conf").read_text()
        self.assertIn(
            'location = "/articles/tolerance/" {\n'
            '    error_page 410 "/articles/tolerance/index.html";\n    return 410;\n}',
            locations,
        )
        self.assertIn(
            "/articles/tolerance/ /articles/tolerance/index.html 410",
            (self.out / "_redirects").read_text(),
        )

    def test_an_approved_source_change_reaches_the_source_page(self):
        """A source change approved through review is re-exported on its public page; the
        frozen article versions citing it keep their bytes."""
        source = Source.objects.approved().filter(revisions__isnull=False).first()
        page = self.out / f"sources/{source.key}/index.html"
        version = self.out / "articles/tolerance/v1/index.html"
        frozen = version.read_bytes()
        author = make_editor("mirror-author", "Author")
        reviewer = make_editor("mirror-reviewer", "Reviewer")
        change = source_change_propose(
            user=author, source=source, values={"title": "A corrected title"}, note="Typo."
        )
        source_change_approve(change=change, user=reviewer, note="Checked.")
        report = site_export(self.out)
        self.assertIn(f"sources/{source.key}/index.html", report.written)
        self.assertIn(b"A corrected title", page.read_bytes())
        self.assertEqual(version.read_bytes(), frozen)

    def test_the_check_has_one_static_result_per_count(self):
        """The check's result for each number of yes answers is a page of its own, in each
        language, linked from the count page the mirror sends the form to."""
        total = len(site_check("en").questions)
        count_page = (self.out / "tools/check/count/index.html").read_text()
        for count in range(total + 1):
            self.assertIn(f'href="/tools/check/result/{count}/"', count_page)
            result = (self.out / f"tools/check/result/{count}/index.html").read_text()
            self.assertIn(f"<strong>{count} of {total}</strong>", result)
        spanish = (self.out / "es/tools/check/result/0/index.html").read_text()
        self.assertIn(f"<strong>0 de {total}</strong>", spanish)
        maps = (self.out / "_mirror/nginx-maps.conf").read_text()
        self.assertIn('"POST:/es/tools/check/" "/es/tools/check/count/";', maps)

    def test_report_forms_are_replaced_by_a_note(self):
        """The report form needs the app: the mirror's page at its address says so and links
        to the live form; the manifest lists it as the mirror's own."""
        note = (self.out / "articles/tolerance/report/index.html").read_text()
        self.assertIn('href="https://kratom.example.org/articles/tolerance/report/"', note)
        self.assertNotIn("<form", note)
        manifest = json.loads((self.out / "_mirror/manifest.json").read_text())
        self.assertIn("/articles/tolerance/report/", manifest["standins"])

    def test_a_file_in_place_of_the_folder_is_refused(self):
        """The command names the problem and writes nothing."""
        target = self.workdir / "not-a-folder"
        target.write_text("keep me")
        with self.assertRaisesMessage(CommandError, f"{target} is not a folder."):
            call_command("export_site", str(target), stdout=StringIO())
        self.assertEqual(target.read_text(), "keep me")

    def test_a_second_export_into_the_same_folder_waits_its_turn(self):
        """While one export writes a folder, another into it stops with a clear message."""
        with (self.out / LOCK).open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with self.assertRaisesMessage(ExportError, "Another export into"):
                site_export(self.out, full=True)

    def test_missing_static_files_are_named_before_anything_is_written(self):
        """Without collectstatic the export stops, says what to run, and creates nothing."""
        target = self.out / "site"
        with override_settings(STATIC_ROOT=self.workdir / "empty-static"):
            with self.assertRaisesMessage(ExportError, "Run manage.py collectstatic first."):
                site_export(target)
        self.assertFalse(target.exists())

    def test_command_reports_what_it_wrote(self):
        """The command says nothing changed; with --full it renders every page again and finds
        no file to write."""
        out = StringIO()
        call_command("export_site", str(self.out), stdout=out)
        self.assertIn("Up to date", out.getvalue())
        out = StringIO()
        call_command("export_site", str(self.out), "--full", stdout=out)
        self.assertRegex(
            out.getvalue(), r"Exported \d+ pages and \d+ redirects .*: 0 file\(s\) written"
        )
