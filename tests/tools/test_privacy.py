"""The check keeps nothing: no row, no log line with an answer, no cookie, no cache, no referrer."""

import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connection
from django.test import LiveServerTestCase, TestCase
from django.test.testcases import LiveServerThread

from tests.tools.helpers import answers_form, make_cited_sources, make_tools_article

# Something no log line could contain by chance, sent along with the answers.
CANARY = "canary-7f3a9c-private-note"
YES_IDS = {"tolerance", "withdrawal", "cope", "numb", "daily", "craving"}


def row_counts() -> dict[str, int]:
    """Rows in every table of the database (Django's, the site's and any other)."""
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def assert_no_answers_logged(test, text: str) -> None:
    test.assertNotIn(CANARY, text)
    test.assertNotIn("q-", text)  # a field name
    for word in ("yes", "no"):
        test.assertNotRegex(text.lower(), rf"\b{word}\b")
    for question_id in YES_IDS:
        test.assertNotIn(question_id, text)


class CheckPrivacyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_cited_sources()
        make_tools_article()

    def post(self, data):
        return self.client.post("/tools/check/", {**data, "note": CANARY})

    def test_no_row_is_written(self):
        """Taking the check (complete or not) changes no table's row count."""
        before = row_counts()
        self.assertEqual(self.post(answers_form(YES_IDS)).status_code, 200)
        self.assertEqual(self.post(answers_form(YES_IDS, skip={"numb"})).status_code, 400)
        self.assertEqual(self.client.get("/tools/check/").status_code, 200)
        self.assertGreater(len(before), 10)
        self.assertEqual(row_counts(), before)

    def test_no_answer_in_any_log(self):
        """Every logger at DEBUG: the result and the 400 re-ask log nothing of the body."""
        with self.assertLogs(level="DEBUG") as logs:
            logging.getLogger("tests").debug("start")  # assertLogs needs at least one line
            self.post(answers_form(YES_IDS))
            bad = self.post(answers_form(YES_IDS, skip={"time"}))
        self.assertEqual(bad.status_code, 400)
        text = "\n".join(logs.output)
        self.assertIn("Bad Request: /tools/check/", text)  # the 400 is logged, by path only
        assert_no_answers_logged(self, text)

    def test_headers_and_cookies(self):
        """no-store and no-referrer on the form, the result and the re-ask; no cookie at all,
        not even CSRF, since the POST changes nothing."""
        self.client.cookies.clear()
        for response in (
            self.client.get("/tools/check/"),
            self.post(answers_form(YES_IDS)),
            self.post(answers_form(YES_IDS, skip={"daily"})),
        ):
            with self.subTest(status=response.status_code):
                self.assertIn("no-store", response["Cache-Control"])
                self.assertIn("private", response["Cache-Control"])
                self.assertEqual(response["Referrer-Policy"], "no-referrer")
                self.assertEqual(dict(response.cookies), {})
        self.assertEqual(dict(self.client.cookies), {})

    def test_answers_in_a_query_string_are_ignored(self):
        """A GET never scores answers (query strings end up in server logs): blank form."""
        response = self.client.get("/tools/check/", answers_form(YES_IDS))
        self.assertContains(response, "See my result")
        self.assertNotContains(response, "checked")

    def test_no_answers_on_the_result_page_links(self):
        """No link on the result page carries the answers (they would leak in history)."""
        html = self.post(answers_form(YES_IDS)).content.decode()
        self.assertNotIn("?q-", html)
        self.assertNotIn(CANARY, html)


class _LoggingServerThread(LiveServerThread):
    """The live server with runserver's own request handler, which logs every request to the
    django.server logger (the test server's default handler is silent)."""

    def _create_server(self, connections_override=None):
        return self.server_class(
            (self.host, self.port),
            WSGIRequestHandler,
            allow_reuse_address=False,
            connections_override=connections_override,
        )


class ServerLogTests(LiveServerTestCase):
    server_thread_class = _LoggingServerThread

    def setUp(self):
        make_cited_sources()

    def request(self, data: dict) -> int:
        body = urllib.parse.urlencode({**data, "note": CANARY}).encode()
        url = f"{self.live_server_url}/tools/check/"
        request = urllib.request.Request(url, data=body)  # noqa: S310 (our own server)
        try:
            with urllib.request.urlopen(request) as response:  # noqa: S310 (our own server)
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def test_server_and_request_logs_hold_no_answers(self):
        """As served by runserver: the access log and django.request name only the path."""
        # django.server does not propagate to the root logger: listen to both.
        with (
            self.assertLogs(level="DEBUG") as logs,
            self.assertLogs("django.server", level="DEBUG") as server_logs,
        ):
            self.assertEqual(self.request(answers_form(YES_IDS)), 200)
            self.assertEqual(self.request(answers_form(YES_IDS, skip={"cope"})), 400)
            # The server writes its access line just after sending the response.
            deadline = time.monotonic() + 5
            while len(server_logs.output) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
        text = "\n".join(logs.output + server_logs.output)
        self.assertIn("Bad Request: /tools/check/", text)
        self.assertIn('"POST /tools/check/ HTTP/1.1" 200', text)
        self.assertIn('"POST /tools/check/ HTTP/1.1" 400', text)
        assert_no_answers_logged(self, text)
