"""Every URL pattern of the site, fed what people and scanners type: non-numeric, huge,
negative and zero numbers, unknown slugs, NUL bytes, overlong segments, in both languages,
anonymous and as a signed-in superuser. Nothing answers 5xx, and every answer comes within
2 seconds (measured here; the speed targets live in scripts/benchmark.py)."""

from __future__ import annotations

import re
import time

from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from kratom_info.editorial.services import article_unpublish
from tests.editorial.base import EditorialTestCase
from tests.factories import make_article, make_revision, make_translation
from tests.tools.helpers import make_cited_sources

ANSWER_WITHIN = 2.0  # seconds
HOSTILE = (
    "abc", "0", "-1", "1.5", "99999999999999999999", "9" * 400, "a%00b", "%FF%FE",
    "unknown-slug", "x" * 3000, "%2e%2e", "<script>", "'%20OR%201=1",
)  # fmt: skip
QUERIES = (
    "q=%00", "q=a%00b", "q=" + "x" * 3000, "q=%FF%FE", "q='%20OR%201=1", "page=abc", "page=-1",
    "page=0", "page=99999999999999999999", "p=abc", "p=99999999999999999999", "o=abc",
    "o=99", "all=&p=-1", "action=%00", "_changelist_filters=%00", "status__exact=%00",
    "article__id__exact=abc", "e=1", "q=%00&p=99999999999999999999",
)  # fmt: skip
PARAMETER_RE = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def routes(patterns=None, prefix=""):
    """Every pattern's route, resolvers' prefixes joined, as written (``<converter:name>``)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def concrete_paths(route: str, real: dict[str, str]) -> list[str]:
    """``route`` with each parameter set to each hostile value in turn (the others real), and
    all of them hostile at once. The admin's two regular expressions get their own."""
    route = route.removeprefix("^").removesuffix("$")
    if "(?P<app_label>" in route:
        return ["/admin/articles/", "/admin/nope/", "/admin/%00/"]
    if "(?P<url>" in route:
        return ["/admin/" + value for value in HOSTILE] + ["/admin/articles/revision/x/y/z/"]
    names = [match["name"] for match in PARAMETER_RE.finditer(route)]

    def fill(values: dict[str, str]) -> str:
        return "/" + PARAMETER_RE.sub(lambda m: values.get(m["name"], "1"), route)

    real_values = {name: real.get(name, "1") for name in names}
    paths = {fill(real_values), fill(real_values) + "%00", fill(real_values) + "x" * 3000}
    for name in names:
        for value in HOSTILE:
            paths.add(fill({**real_values, name: value}))
    for value in HOSTILE:
        paths.add(fill(dict.fromkeys(names, value)))
    return sorted(paths)


class UrlFuzzTests(EditorialTestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_cited_sources()  # the tools' texts cite them
        article = cls.article  # "dose"
        v1 = make_revision(article, "Kratom is a plant [@k1].\n", publish=True)
        make_revision(article, "Kratom is a tree [@k1].\n", publish=True)
        spanish = make_translation(article)
        make_revision(spanish, "El kratom es una planta [@k1].\n", publish=True, translates=v1)
        withdrawn = make_article("gone")
        make_revision(withdrawn, "Kratom is a plant.\n", publish=True)
        article_unpublish(article=withdrawn, user=cls.publisher, reason="it was wrong")
        cls.real = {
            "slug": "dose",
            "number": "1",
            "old": "1",
            "new": "2",
            "key": "k1",
            "code": article.short_code.code,
            "fmt": "svg",
            "object_id": str(v1.pk),
            "pk": str(v1.pk),
        }
        cls.superuser = get_user_model().objects.create_superuser("root", password="x" * 20)

    def paths(self):
        i18n = re.compile(r"^(admin|editorial|robots\.txt|favicon\.ico)")
        for route in routes():
            for path in concrete_paths(route, self.real):
                yield path
                if not i18n.match(path.lstrip("/")):
                    yield "/es" + path
                # Lists read their query strings: searches, pages, sorting, filters.
                if path in ("/search/", "/sources/") or re.fullmatch(r"/admin/\w+/\w+/", path):
                    for query in QUERIES:
                        yield f"{path}?{query}"
                        if not path.startswith("/admin/"):
                            yield f"/es{path}?{query}"

    def fuzz(self, method: str, paths) -> list[str]:
        failures = []
        for path in paths:
            started = time.perf_counter()
            try:
                response = getattr(self.client, method)(path)
            except Exception as exc:  # noqa: BLE001 (each failure is reported with its path)
                failures.append(f"{method.upper()} {path[:120]}: {exc!r}"[:300])
                continue
            elapsed = time.perf_counter() - started
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {path[:120]}: {response.status_code}")
            elif elapsed > ANSWER_WITHIN:
                failures.append(f"{method.upper()} {path[:120]}: {elapsed:.1f} s")
        return failures

    def test_anonymous_requests_never_fail(self):
        """GET and POST to every pattern, signed out."""
        paths = list(self.paths())
        self.assertGreater(len(paths), 1000)
        failures = self.fuzz("get", paths) + self.fuzz("post", paths)
        self.assertEqual(failures, [])

    @override_settings(EDITORIAL_REQUIRE_2FA=False)
    def test_superuser_requests_never_fail(self):
        """GET to every admin and editorial pattern as a superuser, who can open every screen
        (public pages do not depend on who asks; POSTs would act: the services' own tests
        cover those)."""
        self.client.force_login(self.superuser)
        paths = [
            path
            for path in self.paths()
            if path.startswith(("/admin/", "/editorial/")) and "logout" not in path
        ]
        self.assertEqual(self.fuzz("get", paths), [])
